"""Document codes: built by the code scheme, sequential per prefix, unique, never reused; legacy
codes are kept and move their prefix's sequence past them."""

from __future__ import annotations

import pytest

from core.services import ServiceError
from documents.models import CodeSequence, Document
from documents.tests.page_support import draft, load_types, unit
from organization.models import Entity, OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


@pytest.fixture
def gmc(db) -> OrgUnit:
    """A unit whose code gives the prefix of the seed's FODA form (PNADP-UPPM-GMC-F-038)."""
    return OrgUnit.objects.create(
        entity=Entity.objects.get(acronym="PNADP"),
        code="UPPM-GMC",
        name="Gestión de la Mejora Continua",
        kind=OrgUnit.Kind.COORDINATION,
        site=unit("UPPM").site,
        parent=unit("UPPM"),
    )


def test_codes_follow_the_scheme_and_run_in_sequence_per_prefix(cmg):
    made = [draft(cmg, f"Instructivo {n}", type_code="I", unit_code="UPPM-CSE").code for n in range(3)]
    assert made == ["PNADP-UPPM-CSE-I-001", "PNADP-UPPM-CSE-I-002", "PNADP-UPPM-CSE-I-003"]
    # Another type or unit has its own sequence.
    assert draft(cmg, "Guía", type_code="G", unit_code="UPPM-CSE").code == "PNADP-UPPM-CSE-G-001"
    assert draft(cmg, "Instructivo UAJ", type_code="I", unit_code="UAJ").code == "PNADP-UAJ-I-001"


def foda(cmg) -> Document:
    """The seed's FODA form keeps its code (the demo data registers it; else register it here)."""
    existing = Document.objects.filter(code="PNADP-UPPM-GMC-F-038").first()
    return existing or draft(cmg, "Formato de Matriz FODA", type_code="F", legacy_code="PNADP-UPPM-GMC-F-038")


def test_a_legacy_code_is_kept_and_new_codes_of_its_prefix_continue_after_it(cmg, gmc):
    assert foda(cmg).code == "PNADP-UPPM-GMC-F-038"
    assert draft(cmg, "Formato nuevo", type_code="F", unit_code="UPPM-GMC").code == "PNADP-UPPM-GMC-F-039"
    assert draft(cmg, "Otro formato", type_code="F", unit_code="UPPM-GMC").code == "PNADP-UPPM-GMC-F-040"


def test_the_sequence_never_goes_back_so_codes_are_never_reused(cmg, gmc):
    foda(cmg)
    # A lower legacy code that is free is accepted, but the sequence stays where it was.
    draft(cmg, "Formato 10", type_code="F", unit_code="UPPM-GMC", legacy_code="PNADP-UPPM-GMC-F-010")
    assert CodeSequence.objects.get(prefix="PNADP-UPPM-GMC-F-").last_number == 38
    assert draft(cmg, "Formato nuevo", type_code="F", unit_code="UPPM-GMC").code == "PNADP-UPPM-GMC-F-039"


def test_a_failed_registration_does_not_consume_a_number(cmg):
    draft(cmg, "Primero", type_code="I", unit_code="UPPM-CSE")
    with pytest.raises(ServiceError):
        draft(cmg, "Sin contenido", type_code="I", unit_code="UPPM-CSE", content="")
    assert draft(cmg, "Segundo", type_code="I", unit_code="UPPM-CSE").code == "PNADP-UPPM-CSE-I-002"


def test_a_duplicate_legacy_code_is_refused_and_nothing_is_stored(cmg):
    draft(cmg, "Original", legacy_code="PNADP-UPPM-CMG-P-950")
    before = Document.objects.count()
    with pytest.raises(ServiceError) as refused:
        draft(cmg, "Copia", legacy_code="pnadp-uppm-cmg-p-950")
    assert refused.value.field == "legacy_code"
    assert Document.objects.count() == before
