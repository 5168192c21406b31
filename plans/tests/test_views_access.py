"""The permission matrix over every plan page that changes something: a reader gets 403 on every
POST, a person without roles 404 on every page, and nothing is stored or audited."""

from __future__ import annotations

import pytest

from plans import services
from plans.tests.api_support import A_CHANGE
from plans.tests.page_support import (
    CREATE,
    LIST,
    activity_url,
    add_activity,
    add_product,
    approve,
    cr_url,
    deliver_url,
    events,
    plan,
    plan_url,
    session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(cmg, direccion):
    p = plan(cmg)
    a = add_activity(p, "1.1", by=cmg, sites=("UT-CUS",))
    product = add_product(p, "Informe", [a], by=cmg)
    task = services.save_budget_task(p, data={"title": "Tarea", "programmed_amount": "10.00"}, by=cmg)
    approve(p, cmg, direccion)
    proposed = services.propose_change(
        p, data={"reason": "x", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    reviewed = services.propose_change(
        p, data={"reason": "y", "supporting_report": "Informe 2", "changes": A_CHANGE}, by=cmg
    )
    services.record_committee_review(reviewed, session=session(cmg), opinion="", by=cmg)
    return {
        "create": CREATE,
        "edit": plan_url(p, "plan_edit"),
        "submit": plan_url(p, "plan_submit"),
        "approve": plan_url(p, "plan_approve"),
        "close": plan_url(p, "plan_close"),
        "activity_create": plan_url(p, "activity_create", 1),
        "activity_edit": activity_url(a, "activity_edit"),
        "product_create": plan_url(p, "product_create"),
        "deliver": deliver_url(product),
        "budget_create": plan_url(p, "budget_task_create"),
        "budget_edit": plan_url(p, "budget_task_edit", task.pk),
        "cr_create": plan_url(p, "change_request_create"),
        "cr_review": cr_url(proposed, "change_request_review"),
        "cr_decide": cr_url(reviewed, "change_request_decide"),
        "cr_communications": cr_url(reviewed, "change_request_communications"),
    }


POSTS = [
    "create",
    "edit",
    "submit",
    "approve",
    "close",
    "activity_create",
    "activity_edit",
    "product_create",
    "deliver",
    "budget_create",
    "budget_edit",
    "cr_create",
    "cr_review",
    "cr_decide",
    "cr_communications",
]


@pytest.mark.parametrize("name", POSTS)
def test_a_reader_gets_403_on_every_post_and_nothing_is_recorded(client_as, lector, targets, name):
    client = client_as(lector)
    before = events()
    assert client.post(targets[name], {}).status_code == 403
    assert events() == before


@pytest.mark.parametrize("name", POSTS)
def test_a_person_without_roles_gets_404_on_every_page(client_as, no_role_user, targets, name):
    client = client_as(no_role_user)
    assert client.post(targets[name], {}).status_code == 404
    if name not in ("submit", "approve", "close", "cr_review", "cr_decide", "cr_communications"):
        assert client.get(targets[name]).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client_as, targets):
    response = client_as(None).get(LIST)
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("name", ["submit", "approve", "close", "cr_review", "cr_decide", "cr_communications"])
def test_workflow_buttons_answer_only_to_post(client_as, cmg, targets, name):
    assert client_as(cmg).get(targets[name]).status_code == 405
