"""Who may open the catalogue pages: every person with a role; nobody else."""

import pytest
from django.urls import reverse

from catalog.models import Edition, Requirement

PAGES = ["standard_list", "edition_detail", "requirement_detail", "hs_list", "hs_detail", "mapping_27001"]


def _url(name: str) -> str:
    edition = Edition.objects.get(label="ISO 9001:2015")
    args = {
        "edition_detail": [edition.pk],
        "requirement_detail": [Requirement.objects.get(edition=edition, number="9.2").pk],
        "hs_detail": ["9.2"],
    }.get(name, [])
    return reverse(f"catalog:{name}", args=args)


@pytest.mark.parametrize("name", PAGES)
def test_a_person_without_role_gets_404_on_every_page(client_as, no_role_user, name):
    assert client_as(no_role_user).get(_url(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in_from_every_page(client_as, db, name):
    url = _url(name)
    response = client_as(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["lector", "ut_puno", "oficial_si"])
def test_every_person_with_a_role_can_open_every_page(client_as, db, persona, name, request):
    assert client_as(request.getfixturevalue(persona)).get(_url(name)).status_code == 200


def test_a_deactivated_account_is_treated_as_logged_out(client_as, lector):
    client = client_as(lector)
    lector.is_active = False
    lector.save(update_fields=["is_active"])
    response = client.get(reverse("catalog:standard_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
