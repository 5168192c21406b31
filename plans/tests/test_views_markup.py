"""Every plan page works under the strict CSP (no inline script, style or handlers), labels
every form field, has one h1 and a title, and marks the Plans item of the main menu."""

from __future__ import annotations

import re

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
    find_all,
    plan,
    plan_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(cmg, direccion):
    p = plan(cmg)
    a = add_activity(p, "1.1", by=cmg, sites=("UT-CUS",))
    product = add_product(p, "Informe de seguimiento", [a], by=cmg)
    task = services.save_budget_task(p, data={"title": "Auditoría interna", "programmed_amount": "1000.00"}, by=cmg)
    approve(p, cmg, direccion)
    cr = services.propose_change(
        p, data={"reason": "Reprogramación", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    return {
        "list": (cmg, LIST),
        "create": (cmg, CREATE),
        "detail": (cmg, plan_url(p)),
        "detail_director": (direccion, plan_url(p)),
        "dashboard": (cmg, plan_url(p, "plan_dashboard")),
        "activities": (cmg, plan_url(p, "activity_list")),
        "activity": (cmg, activity_url(a)),
        "activity_edit": (cmg, activity_url(a, "activity_edit")),
        "activity_create": (cmg, plan_url(p, "activity_create", 2)),
        "product_create": (cmg, plan_url(p, "product_create")),
        "deliver": (cmg, deliver_url(product)),
        "budget_create": (cmg, plan_url(p, "budget_task_create")),
        "budget_edit": (cmg, plan_url(p, "budget_task_edit", task.pk)),
        "cr_create": (cmg, plan_url(p, "change_request_create")),
        "cr_detail": (cmg, cr_url(cr)),
        "version": (cmg, plan_url(p, "plan_version", 1)),
    }


PAGES = [
    "list",
    "create",
    "detail",
    "detail_director",
    "dashboard",
    "activities",
    "activity",
    "activity_edit",
    "activity_create",
    "product_create",
    "deliver",
    "budget_create",
    "budget_edit",
    "cr_create",
    "cr_detail",
    "version",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_page_needs_no_inline_script_or_style_and_has_one_heading(client_as, pages, name):
    user, url = pages[name]
    response = client_as(user).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html, re.IGNORECASE))
    assert len(re.findall(r"<h1\b", html)) == 1
    assert re.search(r"<title>[^<]+ · sig</title>", html)
    assert find_all(response.content, "a", href=LIST, **{"aria-current": "page"})


@pytest.mark.parametrize("name", PAGES)
def test_every_form_field_has_a_label(client_as, pages, name):
    user, url = pages[name]
    html = client_as(user).get(url).content
    labelled = {dict(el.attributes).get("for") for el in find_all(html, "label")}
    for tag in ("input", "select", "textarea"):
        for el in find_all(html, tag):
            attrs = dict(el.attributes)
            if attrs.get("type") in ("hidden", "submit") or attrs.get("name") in ("csrfmiddlewaretoken", "next"):
                continue
            if attrs.get("type") == "radio":
                continue  # each option is wrapped in its own <label>
            assert attrs.get("id") in labelled or attrs.get("aria-label"), f"{tag} {attrs.get('name')} has no label"


@pytest.mark.parametrize("name", ["detail", "activities", "activity", "dashboard"])
def test_progress_bars_carry_their_value_as_text(client_as, pages, name):
    user, url = pages[name]
    html = client_as(user).get(url).content
    bars = find_all(html, "progress")
    assert bars
    for bar in bars:
        attrs = dict(bar.attributes)
        assert attrs.get("aria-label") and attrs.get("max") == "100"
