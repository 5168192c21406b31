"""Products: adding one (choosing the activities it delivers) and delivering it by linking the
evidence — a controlled document the user can see, a file uploaded now, or a Committee session.
Delivery moves the activities' progress and status; evidence the user cannot see is refused
(400 naming the field, nothing stored)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.tests.page_support import draft, load_types, pdf_bytes
from evidence.models import EvidenceFile, EvidenceLink
from plans.models import Activity, Product
from plans.tests.page_support import (
    add_activity,
    add_product,
    days,
    deliver_url,
    events,
    find,
    find_all,
    fresh,
    has_field_error,
    plan,
    plan_url,
    session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


@pytest.fixture
def setup(cmg):
    p = plan(cmg)
    a = add_activity(p, "2.7", by=cmg, stage=2, sites=("UT-CUS",))
    b = add_activity(p, "2.8", by=cmg, stage=2, sites=("SC",))
    return {"plan": p, "a": a, "b": b}


def links(product: Product) -> int:
    return EvidenceLink.objects.filter(target_id=product.pk, target_type__model="product").count()


# --- add -------------------------------------------------------------------------------------


def test_the_coordinator_adds_a_product_that_closes_two_activities(client_as, cmg, setup):
    client = client_as(cmg)
    before = events()
    data = {"title": "Actas de reuniones del Comité del SIG", "activities": [setup["a"].pk, setup["b"].pk]}
    response = client.post(plan_url(setup["plan"], "product_create"), data)
    assert response.status_code == 302
    product = Product.objects.get(plan=setup["plan"])
    assert set(product.activities.all()) == {setup["a"], setup["b"]}
    assert events() == before + 1
    html = client.get(plan_url(setup["plan"])).content
    for code in ("2.7", "2.8"):
        assert find(find(html, "tr", data_activity=code), "li", data_product=str(product.pk))


def test_the_product_form_preselects_the_activity_it_comes_from(client_as, cmg, setup):
    response = client_as(cmg).get(plan_url(setup["plan"], "product_create") + f"?actividad={setup['a'].pk}")
    assert response.context["form"]["activities"].value() == [str(setup["a"].pk)]


@pytest.mark.parametrize("activities", [[], ["999999"]])
def test_a_product_needs_known_activities_of_the_plan(client_as, cmg, setup, activities):
    other = add_activity(plan(cmg, year=2042), "9.1", by=cmg)
    client = client_as(cmg)
    before = events()
    for chosen in (activities, [str(other.pk)]):
        response = client.post(plan_url(setup["plan"], "product_create"), {"title": "Informe", "activities": chosen})
        assert response.status_code == 400 and has_field_error(response, "activities")
    assert not Product.objects.filter(plan=setup["plan"]).exists() and events() == before


@pytest.mark.parametrize("who", ["lector", "ut_cusco", "direccion"])
def test_others_cannot_add_products(client_as, request, setup, who):
    response = client_as(request.getfixturevalue(who)).post(
        plan_url(setup["plan"], "product_create"), {"title": "Informe", "activities": [setup["a"].pk]}
    )
    assert response.status_code == 403 and not Product.objects.filter(plan=setup["plan"]).exists()


# --- deliver ---------------------------------------------------------------------------------


def test_delivering_by_a_document_updates_the_progress_and_status_of_every_activity(client_as, cmg, setup):
    shared = add_product(setup["plan"], "Informe de resultados", [setup["a"], setup["b"]], by=cmg)
    add_product(setup["plan"], "Acta de reunión", [setup["a"]], by=cmg)
    doc = draft(cmg, "Informe de resultados de los indicadores del SIG")
    client = client_as(cmg)
    response = client.post(deliver_url(shared), {"kind": "document", "document": doc.pk, "note": "Versión final"})
    assert response.status_code == 302
    assert response["Location"] == plan_url(setup["plan"]) + "#activities"
    assert fresh(shared).delivered_on == days(0) and links(shared) == 1
    a, b = fresh(setup["a"]), fresh(setup["b"])
    assert (a.progress, a.status) == (50, Activity.Status.IN_PROGRESS)
    assert (b.progress, b.status, b.actual_end) == (100, Activity.Status.COMPLETED, days(0))
    html = client.get(plan_url(setup["plan"])).content
    row = find(html, "tr", data_activity="2.7")
    item = find(row, "li", data_product=str(shared.pk))
    assert find(item, "span", data_delivered="yes")
    evidence = find(item, "li", data_evidence_kind="documents.document")
    assert dict(find(evidence, "a").attributes)["href"] == doc.get_absolute_url()
    assert dict(find(row, "progress").attributes)["value"] == "50"


def test_delivering_by_an_uploaded_file_stores_it_as_evidence(client_as, cmg, setup):
    product = add_product(setup["plan"], "Videos informativos del SIG", [setup["b"]], by=cmg)
    upload = SimpleUploadedFile("guion.pdf", pdf_bytes("Guion de los videos"))
    data = {"kind": "file", "file": upload, "file_title": "Guion de los videos", "delivered_on": days(-2).isoformat()}
    response = client_as(cmg).post(deliver_url(product), data)
    assert response.status_code == 302
    stored = EvidenceFile.objects.get(title="Guion de los videos")
    assert (stored.file_type, stored.file_name) == ("pdf", "guion.pdf")
    assert EvidenceLink.objects.get(target_id=product.pk, target_type__model="product").evidence_id == stored.pk
    assert fresh(product).delivered_on == days(-2)
    assert fresh(setup["b"]).progress == 100
    # the delivered product links to its evidence, and the file opens for whoever may see it
    html = client_as(cmg).get(plan_url(setup["plan"])).content
    item = find(html, "li", data_product=str(product.pk))
    href = dict(find(find(item, "li", data_evidence_kind="evidence.evidencefile"), "a").attributes)["href"]
    assert href == stored.get_absolute_url()
    download = client_as(cmg).get(href)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_delivering_by_a_committee_session(client_as, cmg, setup):
    product = add_product(setup["plan"], "Actas de reuniones del Comité del SIG", [setup["b"]], by=cmg)
    acta = session(cmg)
    assert client_as(cmg).post(deliver_url(product), {"kind": "session", "session": acta.pk}).status_code == 302
    assert links(product) == 1 and fresh(product).is_delivered


def test_a_ut_delivers_the_products_of_its_activities_with_its_own_documents(client_as, cmg, ut_cusco, setup):
    product = add_product(setup["plan"], "Informe de la UT", [setup["a"]], by=cmg)
    own = draft(ut_cusco, "Informe de la UT Cusco", unit_code="UT-CUS", type_code="I")
    response = client_as(ut_cusco).post(deliver_url(product), {"kind": "document", "document": own.pk})
    assert response.status_code == 302 and fresh(product).is_delivered


def test_evidence_the_user_cannot_see_is_refused_naming_the_field_and_nothing_is_stored(
    client_as, cmg, ut_cusco, ut_puno, setup
):
    product = add_product(setup["plan"], "Informe de la UT", [setup["a"]], by=cmg)
    hidden = draft(ut_puno, "Borrador de la UT Puno", unit_code="UT-PUN", type_code="I")
    client = client_as(ut_cusco)
    before = events()
    response = client.post(deliver_url(product), {"kind": "document", "document": hidden.pk})
    assert response.status_code == 400
    assert has_field_error(response, "document")
    assert links(product) == 0 and not fresh(product).is_delivered and events() == before
    assert str(hidden.pk) not in [dict(o.attributes).get("value") for o in find_all(response.content, "option")]


def test_a_session_is_not_evidence_a_ut_can_link(client_as, cmg, ut_cusco, setup):
    product = add_product(setup["plan"], "Acta", [setup["a"]], by=cmg)
    acta = session(cmg)
    client = client_as(ut_cusco)
    before = events()
    response = client.post(deliver_url(product), {"kind": "session", "session": acta.pk})
    assert response.status_code == 400 and has_field_error(response, "session")
    assert links(product) == 0 and events() == before


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "document"}, "document"),
        ({"kind": "document", "document": "999999"}, "document"),
        ({"kind": "session", "session": "abc"}, "session"),
        ({"kind": "file", "file_title": "Sin archivo"}, "file"),
        ({"kind": "file", "file": "bad"}, "file"),
        ({"kind": "otro"}, "kind"),
        ({"kind": "document", "document": "DOC", "delivered_on": "2999-01-01"}, "delivered_on"),
    ],
)
def test_bad_delivery_input_is_refused_with_the_field_error(client_as, cmg, setup, data, field):
    product = add_product(setup["plan"], "Informe", [setup["a"]], by=cmg)
    doc = draft(cmg, "Un documento")
    data = {k: (doc.pk if v == "DOC" else v) for k, v in data.items()}
    if data.get("file") == "bad":
        data["file"] = SimpleUploadedFile("malo.pdf", b"not a pdf at all")
        data["file_title"] = "Malo"
    client = client_as(cmg)
    before = events()
    response = client.post(deliver_url(product), data)
    assert response.status_code == 400 and has_field_error(response, field)
    assert links(product) == 0 and not EvidenceFile.objects.filter(title="Malo").exists() and events() == before


def test_who_may_deliver(client_as, cmg, lector, ut_cusco, ut_puno, direccion, setup):
    central = add_product(setup["plan"], "Informe central", [setup["b"]], by=cmg)
    at_cusco = add_product(setup["plan"], "Informe de la UT", [setup["a"]], by=cmg)
    doc = draft(cmg, "Un documento").pk
    assert client_as(lector).post(deliver_url(central), {"kind": "document", "document": doc}).status_code == 403
    assert client_as(direccion).post(deliver_url(central), {"kind": "document", "document": doc}).status_code == 403
    assert client_as(ut_cusco).get(deliver_url(central)).status_code == 404  # not its activity
    assert client_as(ut_puno).get(deliver_url(at_cusco)).status_code == 404
    assert client_as(ut_cusco).get(deliver_url(at_cusco)).status_code == 200
    assert links(central) == 0


def test_the_deliver_button_shows_only_where_the_user_may_deliver(client_as, cmg, lector, ut_cusco, setup):
    at_cusco = add_product(setup["plan"], "Informe de la UT", [setup["a"]], by=cmg)
    url = plan_url(setup["plan"])
    assert find_all(client_as(cmg).get(url).content, "a", data_testid=f"deliver-{at_cusco.pk}")
    assert find_all(client_as(ut_cusco).get(url).content, "a", data_testid=f"deliver-{at_cusco.pk}")
    assert not find_all(client_as(lector).get(url).content, "a", data_testid=f"deliver-{at_cusco.pk}")
