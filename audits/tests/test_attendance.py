"""Attendance of the opening and closing meetings (ISO 19011 §6.4.3, §6.4.10): people of the
system and external attendees, present or absent, on the audit page and in the report; the free
text of before kept as the note of other attendees."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audits import services
from audits.models import Audit, MeetingAttendee
from audits.report import AuditReport
from audits.tests.helpers import START, audit
from core.services import ServiceError

pytestmark = pytest.mark.django_db


def _url(a: Audit, meeting: str = "opening") -> str:
    return reverse("audits:meeting_record", args=[a.pk, meeting])


def test_the_attendance_is_a_list_of_people_and_externals(cmg, auditor, ut_cusco, oficial_si, client_as):
    a = audit(cmg, auditor)
    services.record_meeting(
        a,
        meeting="opening",
        on=START,
        present=[auditor, ut_cusco],
        absent=[oficial_si],
        externals=[
            {"name": "Ana Quispe", "organisation": "Municipalidad del Cusco", "present": True},
            {"name": "Luis Mamani", "organisation": "", "present": False},
        ],
        other="Personal de la UT (12)",
        by=auditor,
    )
    rows = {r.name: r for r in MeetingAttendee.objects.filter(audit=a, removed_at__isnull=True)}
    assert len(rows) == 5
    assert rows[ut_cusco.get_full_name()].person == ut_cusco and rows[ut_cusco.get_full_name()].present
    assert rows[oficial_si.get_full_name()].present is False
    assert rows["Ana Quispe"].is_external and rows["Ana Quispe"].organisation == "Municipalidad del Cusco"
    assert rows["Luis Mamani"].present is False
    a.refresh_from_db()
    assert a.opening_on == START and a.opening_other_attendees == "Personal de la UT (12)"
    # on the audit page
    body = client_as(cmg).get(a.get_absolute_url()).content.decode()
    table = body[body.index('data-testid="attendance-opening"') :]
    table = table[: table.index("</table>")]
    assert "Ana Quispe" in table and ut_cusco.get_full_name() in table
    assert table.count('data-present="0"') == 2 and table.count('data-present="1"') == 3
    assert "Personal de la UT (12)" in body
    # in the report
    html = AuditReport(Audit.objects.get(pk=a.pk)).html()
    assert "Reunión de apertura" in html and "Ana Quispe" in html and "Municipalidad del Cusco" in html
    assert oficial_si.get_full_name() in html and "Ausente" in html and "Personal de la UT (12)" in html


def test_recording_again_replaces_the_list_and_keeps_the_old_rows(cmg, auditor, ut_cusco):
    a = audit(cmg, auditor)
    services.record_meeting(a, meeting="closing", present=[ut_cusco], by=auditor)
    services.record_meeting(a, meeting="closing", present=[auditor], externals=[{"name": "Ana Quispe"}], by=auditor)
    current = MeetingAttendee.objects.filter(audit=a, meeting="closing", removed_at__isnull=True)
    assert sorted(current.values_list("name", flat=True)) == sorted([auditor.get_full_name(), "Ana Quispe"])
    assert MeetingAttendee.objects.filter(audit=a, person=ut_cusco, removed_at__isnull=False).exists()
    entry = AuditEvent.objects.filter(object_id=str(a.pk), changes__has_key="attendees").order_by("-pk").first()
    assert entry is not None
    old, new = entry.changes["attendees"]
    assert [r["person"] for r in old] == [ut_cusco.pk] and {r["name"] for r in new} >= {"Ana Quispe"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"on": START - datetime.timedelta(days=1)}, "on"),
        ({"externals": [{"name": "  ", "organisation": "X"}]}, "externals"),
        ({"externals": [{"name": "x" * 201}]}, "externals"),
        ({"meeting": "lunch"}, "meeting"),
    ],
)
def test_bad_attendance_names_its_field_and_stores_nothing(cmg, auditor, kwargs, field):
    a = audit(cmg, auditor)
    data = {"meeting": "opening", **kwargs}
    with pytest.raises(ServiceError) as exc:
        services.record_meeting(a, by=auditor, **data)
    assert exc.value.field == field and not MeetingAttendee.objects.filter(audit=a).exists()


def test_present_and_absent_at_once_is_refused(cmg, auditor, ut_cusco):
    a = audit(cmg, auditor)
    with pytest.raises(ServiceError) as exc:
        services.record_meeting(a, meeting="opening", present=[ut_cusco], absent=[ut_cusco], by=auditor)
    assert exc.value.field == "absent" and not MeetingAttendee.objects.filter(audit=a).exists()


def test_the_form_through_the_page(cmg, auditor, ut_cusco, ut_puno, client_as):
    a = audit(cmg, auditor)
    client = client_as(auditor)
    page = client.get(a.get_absolute_url()).content.decode()
    assert 'name="meeting-opening-present"' in page and "data-filter-options" in page  # the filtering widget
    r = client.post(
        _url(a),
        {"meeting-opening-on": "2020-09-14", "meeting-opening-present": [ut_cusco.pk],
         "meeting-opening-externals": "Ana Quispe; Municipalidad\nLuis Mamani; ; ausente"},
    )  # fmt: skip
    assert r.status_code == 302
    rows = {m.name: m.present for m in MeetingAttendee.objects.filter(audit=a)}
    assert rows == {ut_cusco.get_full_name(): True, "Ana Quispe": True, "Luis Mamani": False}
    # a malformed line, a blank name, a person present and absent: 400 naming the field, nothing changes
    for data, field in [
        ({"meeting-opening-externals": "Ana; Muni; tarde"}, "externals"),
        ({"meeting-opening-externals": "; Municipalidad"}, "externals"),
        ({"meeting-opening-present": [ut_cusco.pk], "meeting-opening-absent": [ut_cusco.pk]}, "absent"),
        ({"meeting-opening-on": "2019-01-01"}, "on"),
        ({"meeting-opening-present": ["999999999"]}, "present"),
    ]:
        r = client.post(_url(a), data)
        assert r.status_code == 400, data
        assert r.context["meetings"][0]["form"].errors.get(field), data
    assert {m.name for m in MeetingAttendee.objects.filter(audit=a, removed_at__isnull=True)} == set(rows)
    assert client_as(ut_puno).post(_url(a), {}).status_code == 404
    assert client_as(ut_cusco).post(_url(a), {}).status_code == 403  # sees the audit, does not keep it
    assert client.post(_url(a, "lunch"), {}).status_code == 404


def test_the_free_text_attendance_of_before_is_kept_as_the_note():
    migration = importlib.import_module("audits.migrations.0006_meeting_attendance").Migration
    renames = {(op.old_name, op.new_name) for op in migration.operations if type(op).__name__ == "RenameField"}
    assert renames == {
        ("opening_meeting", "opening_other_attendees"),
        ("closing_meeting", "closing_other_attendees"),
    }
    assert not any(type(op).__name__ == "RemoveField" for op in migration.operations)


def test_the_demo_audits_have_their_attendance():
    a = Audit.objects.get(code="AI-01-2020")
    assert a.attendees.filter(meeting="opening", removed_at__isnull=True, present=True).count() >= 3
    assert a.attendees.filter(meeting="closing", present=False).exists()
