"""The risk method as data: the shipped files load, bad files are refused naming the key,
a new version keeps the old one for the risks assessed with it."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from django.urls import reverse

from core.services import ServiceError
from risks import services
from risks.method import SHIPPED, MethodDefinition, MethodError, load_shipped
from risks.models import RiskMethod
from risks.tests.helpers import cgr, evaluate, make_risk

pytestmark = pytest.mark.django_db


def definition(key: str = "cgr-5x5") -> dict:
    return json.loads(SHIPPED[key].read_bytes())


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_the_shipped_methods_are_valid_5x5(key):
    spec = load_shipped(key)
    assert spec.size == "5×5"
    assert spec.level_for(1).code == spec.levels[0].code
    assert spec.level_for(25).code == spec.levels[-1].code
    assert spec.appetite <= spec.tolerance


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d.update(format="otro"), "format"),
        (lambda d: d["probability"][2].update(value=2), "probability[2].value"),
        (lambda d: d["impact"].pop() and d["impact"].clear(), "impact"),
        (lambda d: d["levels"][1].update(min=5), "levels[1].min"),
        (lambda d: d["levels"][-1].update(max=20), "levels"),
        (lambda d: d["levels"][0].update(colour="red"), "levels[0].colour"),
        (lambda d: d.update(tolerance=1), "tolerance"),
        (lambda d: d.update(appetite="3"), "appetite"),
        (lambda d: d.update(effective_from="31/12/2020"), "effective_from"),
        (lambda d: d["probability"][0].update(value=10**30), "probability[0].value"),
        (lambda d: d["impact"][1].update(label="Menor\u202e"), "impact[1].label"),
        (lambda d: d.update(name="Método\x07"), "name"),
    ],
)
def test_a_malformed_method_is_refused_naming_the_key(change, key):
    data = definition()
    change(data)
    with pytest.raises(MethodError) as exc:
        MethodDefinition.from_dict(data)
    assert exc.value.key == key


def test_a_new_version_ends_the_previous_one_and_risks_keep_theirs(cmg):
    old = cgr()
    risk = make_risk(cmg)
    data = definition()
    data["effective_from"] = (old.effective_from + datetime.timedelta(days=400)).isoformat()
    data["levels"][1]["label"] = "Medio"
    new = services.load_method(definition=data, by=cmg)
    old.refresh_from_db()
    assert new.version == old.version + 1 and new.code == old.code
    assert old.effective_to == new.effective_from - datetime.timedelta(days=1) and not old.is_active
    risk.refresh_from_db()
    assert risk.method_id == old.pk


def test_a_new_version_must_start_later(cmg):
    with pytest.raises(ServiceError) as exc:
        services.load_method(definition=definition(), by=cmg)
    assert exc.value.field == "effective_from"


def test_moving_a_risk_to_another_method_maps_the_scores_explicitly(cmg):
    risk = make_risk(cmg)
    evaluate(risk, cmg, p=4, i=5)
    general = RiskMethod.objects.get(code="GEN-5X5", version=1)
    identity = {v: v for v in range(1, 6)}
    with pytest.raises(ServiceError) as exc:
        services.move_to_method(risk, method=general, probability_map={1: 1}, impact_map=identity, by=cmg)
    assert exc.value.field == "probability_map"
    services.move_to_method(
        risk, method=general, probability_map={1: 1, 2: 1, 3: 2, 4: 3, 5: 5}, impact_map=identity, by=cmg
    )
    risk.refresh_from_db()
    assert risk.method == general and (risk.inherent_probability, risk.inherent_impact) == (3, 5)
    assert risk.evaluations.first().trigger == "method"


def test_the_coordinator_loads_copies_and_adjusts_a_method_in_the_pages(client_as, cmg):
    client = client_as(cmg)
    response = client.get(reverse("risks:method_list"))
    assert response.status_code == 200 and b"CGR-5X5" in response.content
    method = cgr()
    assert client.get(reverse("risks:method_detail", args=[method.pk])).status_code == 200
    response = client.post(
        reverse("risks:method_copy", args=[method.pk]), {"code": "JUNTOS-5X5", "name": "Método JUNTOS"}
    )
    assert response.status_code == 302
    copy_ = RiskMethod.objects.get(code="JUNTOS-5X5")
    data = copy.deepcopy(copy_.definition)
    data["effective_from"] = "2099-01-01"
    data["tolerance"] = 9
    response = client.post(reverse("risks:method_edit", args=[copy_.pk]), {"definition": json.dumps(data)})
    assert response.status_code == 302
    assert RiskMethod.objects.get(code="JUNTOS-5X5", version=2).definition["tolerance"] == 9


def test_a_bad_method_file_is_refused_in_the_page_and_nothing_is_stored(client_as, cmg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = RiskMethod.objects.count()
    data = definition()
    data["code"] = "NUEVO"
    data["probability"][1]["value"] = 0
    upload = SimpleUploadedFile("m.json", json.dumps(data).encode(), content_type="application/json")
    response = client_as(cmg).post(reverse("risks:method_load"), {"file": upload})
    assert response.status_code == 400
    assert "probability[1].value" in response.content.decode()
    assert RiskMethod.objects.count() == before


@pytest.mark.parametrize("who", ["ut_cusco", "lector", "oficial_si"])
def test_only_the_coordinator_keeps_methods(client_as, request, who):
    user = request.getfixturevalue(who)
    assert client_as(user).get(reverse("risks:method_load")).status_code == 403
    assert client_as(user).get(reverse("risks:method_list")).status_code == 200


def _editor_post(method, **change):
    spec = method.spec
    data = {
        "n": len(spec.probability), "m": len(spec.impact), "levels": len(spec.levels),
        "name": spec.name, "effective_from": "01/01/2099", "appetite": spec.appetite,
        "tolerance": spec.tolerance, "acceptance": spec.acceptance,
    }  # fmt: skip
    for prefix, steps in (("p", spec.probability), ("i", spec.impact)):
        for k, s in enumerate(steps):
            data.update(
                {
                    f"{prefix}{k}_value": s.value,
                    f"{prefix}{k}_label": s.label,
                    f"{prefix}{k}_description": s.description,
                }
            )
    for k, lv in enumerate(spec.levels):
        data.update({f"l{k}_{key}": getattr(lv, key) for key in ("code", "label", "min", "max", "colour", "action")})
    data.update(change)
    return data


def test_the_matrix_editor_saves_a_new_version(client_as, cmg):
    method = cgr()
    url = reverse("risks:method_matrix", args=[method.pk])
    client = client_as(cmg)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="matrix-preview"' in page.content.decode()
    response = client.post(url, _editor_post(method, tolerance=9, l3_colour="#000000", i0_label="Mínimo"))
    assert response.status_code == 302
    new = RiskMethod.objects.get(code=method.code, version=method.version + 1)
    assert new.spec.tolerance == 9 and new.spec.levels[3].colour == "#000000" and new.spec.impact[0].label == "Mínimo"


def test_the_matrix_editor_names_the_cell_of_a_mistake_and_stores_nothing(client_as, cmg):
    method = cgr()
    url = reverse("risks:method_matrix", args=[method.pk])
    count = RiskMethod.objects.count()
    response = client_as(cmg).post(url, _editor_post(method, l1_min=6))
    assert response.status_code == 400 and "id_l1_min_error" in response.content.decode()
    response = client_as(cmg).post(url, _editor_post(method, p2_value=2))
    assert response.status_code == 400 and "id_p2_value_error" in response.content.decode()
    assert RiskMethod.objects.count() == count


def test_the_matrix_editor_changes_the_size(client_as, cmg):
    method = cgr()
    page = client_as(cmg).get(reverse("risks:method_matrix", args=[method.pk]) + "?n=6&m=4&levels=99")
    html = page.content.decode()
    assert page.status_code == 200 and 'name="p5_value"' in html and 'name="i4_value"' not in html
    assert 'name="l9_code"' in html and 'name="l10_code"' not in html


def test_a_risk_moves_to_another_method_in_the_page_with_an_explicit_mapping(client_as, cmg, ut_puno):
    risk = make_risk(cmg)
    evaluate(risk, cmg, p=5, i=2)
    general = RiskMethod.objects.get(code="GEN-5X5", version=1)
    url = reverse("risks:risk_move", args=[risk.pk])
    client = client_as(cmg)
    assert client.get(url).status_code == 200
    page = client.get(url + f"?method={general.pk}")
    assert 'name="p5"' in page.content.decode()
    data = {"method": general.pk, **{f"p{v}": v for v in range(1, 6)}, **{f"i{v}": v for v in range(1, 6)}, "p5": 4}
    response = client.post(url, data)
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.method == general and (risk.inherent_probability, risk.inherent_impact) == (4, 2)
    assert client_as(ut_puno).get(url).status_code == 404
    response = client.post(url, {**data, "method": cgr().pk, "p5": 9})
    assert response.status_code == 400
