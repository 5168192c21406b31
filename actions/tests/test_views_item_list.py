"""/acciones/: the follow-up of acuerdos and actions. Central roles see every item; a UT head
sees the items of their UT (an acuerdo assigned to them included) and nothing of another UT.
Filters: kind, status, overdue, responsible, unit."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from actions.models import ActionItem
from actions.services import set_action_status
from actions.tests.helpers import LIST, acuerdo, session
from organization.models import OrgUnit
from organization.tests.helpers import attr_values, find, find_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(cmg, uppm, ut_cusco, ut_puno):
    source = session(cmg)
    future = timezone.localdate() + datetime.timedelta(days=60)
    return {
        "cusco": acuerdo(
            source, cmg, ut_cusco, "Remitir el informe de avance de la UT Cusco", datetime.date(2020, 4, 15)
        ),
        "puno": acuerdo(source, cmg, ut_puno, "Capacitar al personal de la UT Puno", future),
        "uppm": acuerdo(source, cmg, uppm, "Actualizar el mapa de procesos", future),
    }


def listed(response) -> list[str]:
    return attr_values(find(response.content, "table", data_testid="items"), "data-number", "tr")


def test_central_roles_see_every_item(client_as, items, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    assert {i.number for i in items.values()} <= set(listed(response))


def test_a_ut_head_sees_the_acuerdo_assigned_to_them_and_nothing_of_other_units(client_as, items, ut_cusco, ut_puno):
    for user, mine, code in ((ut_cusco, "cusco", "UT-CUS"), (ut_puno, "puno", "UT-PUN")):
        seen = listed(client_as(user).get(LIST))
        assert items[mine].number in seen
        assert not {i.number for k, i in items.items() if k != mine} & set(seen)
        assert not ActionItem.objects.filter(number__in=seen).exclude(site__code=code).exists()


def test_a_person_without_role_does_not_see_the_page(client_as, no_role_user):
    assert client_as(no_role_user).get(LIST).status_code == 404


def test_overdue_items_are_marked_and_can_be_filtered(client_as, items, cmg):
    client = client_as(cmg)
    row = find(client.get(LIST).content, "tr", data_number=items["cusco"].number)
    assert dict(row.attributes)["data-overdue"] == "yes"
    only_overdue = listed(client.get(LIST, {"overdue": "on"}))
    assert items["cusco"].number in only_overdue
    assert items["puno"].number not in only_overdue and items["uppm"].number not in only_overdue


def test_filters_by_status_responsible_unit_and_kind(client_as, items, cmg, uppm):
    set_action_status(items["uppm"], status="done", note="Mapa aprobado", by=uppm)
    client = client_as(cmg)

    def numbers(**lookup) -> set[str]:
        return set(ActionItem.objects.filter(**lookup).values_list("number", flat=True))

    done = set(listed(client.get(LIST, {"status": "done"})))
    assert items["uppm"].number in done and done == numbers(status="done")
    assert items["uppm"].number not in listed(client.get(LIST, {"status": "open"}))
    puno = items["puno"].responsible_id
    assert set(listed(client.get(LIST, {"responsible": puno}))) == numbers(responsible_id=puno)
    unit = OrgUnit.objects.get(code="UT-CUS")
    by_unit = set(listed(client.get(LIST, {"unit": unit.pk})))
    assert items["cusco"].number in by_unit and by_unit == numbers(responsible_unit=unit)
    assert set(listed(client.get(LIST, {"kind": ActionItem.AGREEMENT}))) >= {i.number for i in items.values()}


def test_the_responsible_choices_are_limited_to_what_the_user_sees(client_as, items, ut_cusco):
    response = client_as(ut_cusco).get(LIST)
    offered = {v for v in attr_values(find(response.content, "select", name="responsible"), "value", "option") if v}
    expected = ActionItem.objects.filter(site__code="UT-CUS").values_list("responsible_id", flat=True)
    assert str(items["cusco"].responsible_id) in offered and offered == {str(pk) for pk in expected}
    assert str(items["puno"].responsible_id) not in offered


def test_an_invalid_filter_answers_400(client_as, items, cmg):
    response = client_as(cmg).get(LIST, {"status": "whatever"})
    assert response.status_code == 400 and response.context["form"].errors.get("status")


def test_the_status_form_shows_only_where_the_user_may_change_it(client_as, items, ut_cusco, tecnico, cmg):
    def forms(user, item):
        row = find(client_as(user).get(LIST).content, "tr", data_number=item.number)
        return find_all(row, "form", data_testid="status-form")

    assert forms(ut_cusco, items["cusco"])  # responsible
    assert forms(cmg, items["puno"])  # manager of acuerdos
    assert not forms(tecnico, items["puno"])  # central, but neither responsible nor manager


def test_the_query_count_is_pinned_and_does_not_grow_with_the_rows(
    client_as, cmg, uppm, ut_cusco, django_assert_num_queries
):
    client = client_as(cmg)
    client.get(LIST)  # warm the session
    source = session(cmg)
    acuerdo(source, cmg, ut_cusco, "Primero", datetime.date(2020, 4, 1))
    with django_assert_num_queries(QUERIES):
        client.get(LIST)
    for n in range(15):
        acuerdo(source, cmg, uppm if n % 2 else ut_cusco, f"Acuerdo {n}", datetime.date(2020, 5, 1 + n))
    with django_assert_num_queries(QUERIES):
        client.get(LIST)
    with django_assert_num_queries(QUERIES):
        client.get(LIST, {"status": "open", "overdue": "on"})


# session, user, role scope, count, page of items (with responsible, unit and site), and the
# two choice lists of the filter (responsible people, units).
QUERIES = 7


@pytest.mark.parametrize("who", ["cmg", "ut_cusco", "ut_puno"])
def test_the_filter_offers_exactly_the_people_and_units_of_the_visible_items(items, who, request):
    """The choices are read with EXISTS per person and unit; they are the ones the plain
    definition gives (the people and units that appear in the items the user sees)."""
    from accounts.models import User
    from actions.access import action_items_visible_to
    from actions.forms import ActionFilterForm
    from organization.models import OrgUnit

    user = request.getfixturevalue(who)
    visible = action_items_visible_to(user)
    form = ActionFilterForm(visible=visible)
    people = list(User.objects.filter(pk__in=visible.values("responsible_id")).order_by("last_name", "first_name"))
    units = list(OrgUnit.objects.filter(pk__in=visible.values("responsible_unit_id")).order_by("code"))
    assert people and list(form.fields["responsible"].queryset) == people
    assert list(form.fields["unit"].queryset) == units
