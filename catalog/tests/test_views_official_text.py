"""Loading the licensee's official text: reference editors only, bounded, audited — and the audit
trail keeps a fingerprint of the text, never the licensed words themselves."""

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEvent
from catalog.models import Requirement
from core.testing import event_count, last_event

TEXT = "Texto de la copia licenciada, párrafo 1.\nPárrafo 2."


@pytest.fixture
def req(db):
    return Requirement.objects.get(edition__label="ISO 37001:2016", number="9.2")


def _url(req: Requirement) -> str:
    return reverse("catalog:requirement_official_text", args=[req.pk])


@pytest.mark.parametrize("editor", ["cmg", "platform_admin"])
def test_a_reference_editor_saves_the_text_and_returns_to_the_requirement(client_as, req, editor, request):
    response = client_as(request.getfixturevalue(editor)).post(_url(req), {"official_text": TEXT})
    assert response.status_code == 302
    assert response["Location"] == req.get_absolute_url()
    req.refresh_from_db()
    assert req.official_text == TEXT


def test_saving_adds_an_audit_event_with_the_change(client_as, cmg, req):
    client = client_as(cmg)
    before = event_count()
    client.post(_url(req), {"official_text": TEXT})
    assert event_count() == before + 1
    event = last_event("catalog.requirement")
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor == cmg
    assert event.object_id == str(req.pk)
    old, new = event.changes["official_text"]
    assert old == ""
    assert new.startswith("sha256:")
    assert f"({len(TEXT)} chars)" in new


def test_the_audit_event_never_contains_the_licensed_words(client_as, cmg, req):
    client_as(cmg).post(_url(req), {"official_text": TEXT})
    assert "licenciada" not in str(last_event("catalog.requirement").changes)


def test_the_saved_text_is_shown_on_the_requirement_page(client_as, cmg, req):
    client = client_as(cmg)
    client.post(_url(req), {"official_text": TEXT})
    html = client.get(req.get_absolute_url()).content.decode()
    assert "Texto de la copia licenciada, párrafo 1." in html


def test_an_editor_can_clear_the_text(client_as, cmg, req):
    client = client_as(cmg)
    client.post(_url(req), {"official_text": TEXT})
    before = event_count()
    client.post(_url(req), {"official_text": ""})
    req.refresh_from_db()
    assert req.official_text == ""
    assert event_count() == before + 1
    assert last_event("catalog.requirement").changes["official_text"][1] == ""


def test_saving_the_same_text_again_adds_no_audit_event(client_as, cmg, req):
    client = client_as(cmg)
    client.post(_url(req), {"official_text": TEXT})
    before = event_count()
    assert client.post(_url(req), {"official_text": TEXT}).status_code == 302
    assert event_count() == before


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "auditor", "tecnico"])
def test_a_person_who_is_not_a_reference_editor_gets_403_and_nothing_changes(client_as, req, persona, request):
    client = client_as(request.getfixturevalue(persona))
    before = event_count()
    response = client.post(_url(req), {"official_text": TEXT})
    assert response.status_code == 403
    req.refresh_from_db()
    assert req.official_text == ""
    assert event_count() == before


def test_a_person_without_role_gets_404(client_as, no_role_user, req):
    assert client_as(no_role_user).post(_url(req), {"official_text": TEXT}).status_code == 404
    req.refresh_from_db()
    assert req.official_text == ""


def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(client_as, req):
    response = client_as(None).post(_url(req), {"official_text": TEXT})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    req.refresh_from_db()
    assert req.official_text == ""


def test_an_over_long_text_is_refused_with_400_and_nothing_is_stored(client_as, cmg, req):
    client = client_as(cmg)
    before = event_count()
    response = client.post(_url(req), {"official_text": "x" * (settings.SIG_MAX_TEXT + 1)})
    assert response.status_code == 400
    assert 'id="id_official_text_error"' in response.content.decode()
    req.refresh_from_db()
    assert req.official_text == ""
    assert event_count() == before


def test_the_refused_form_is_shown_on_the_full_requirement_page(client_as, cmg, req):
    html = client_as(cmg).post(_url(req), {"official_text": "x" * (settings.SIG_MAX_TEXT + 1)}).content.decode()
    assert 'id="hs-twins"' in html
    assert 'id="official-text-form"' in html


def test_a_text_of_exactly_the_maximum_length_is_accepted(client_as, cmg, req):
    response = client_as(cmg).post(_url(req), {"official_text": "x" * settings.SIG_MAX_TEXT})
    assert response.status_code == 302
    req.refresh_from_db()
    assert len(req.official_text) == settings.SIG_MAX_TEXT


def test_an_unknown_requirement_is_404(client_as, cmg):
    url = reverse("catalog:requirement_official_text", args=[999999])
    assert client_as(cmg).post(url, {"official_text": TEXT}).status_code == 404


def test_a_get_is_redirected_to_the_requirement_page(client_as, cmg, req):
    response = client_as(cmg).get(_url(req))
    assert response.status_code == 302
    assert response["Location"] == req.get_absolute_url()
