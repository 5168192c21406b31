"""Consistency checks for the plain-data standards catalogue (no Django, no DB)."""

from collections import Counter

import pytest

from catalog.data import iso9001_2015, iso27001_2013, iso27001_2022, iso37001_2016
from catalog.data.hs import HS_CLAUSES
from catalog.data.mapping_27001 import ANNEX_A_2013_TO_2022, NEW_IN_2022

Row = tuple[str, str | None, str, str, str, str | None]

EDITIONS: dict[str, list[Row]] = {
    "iso9001_2015": iso9001_2015.REQUIREMENTS,
    "iso37001_2016": iso37001_2016.REQUIREMENTS,
    "iso27001_2013": iso27001_2013.REQUIREMENTS,
    "iso27001_2022": iso27001_2022.REQUIREMENTS,
}
KINDS = {"clause", "domain", "objective", "control"}
RELATIONS = {"equal", "subset", "superset", "intersect"}
HS_NUMBERS = {number for number, _, _ in HS_CLAUSES}
TOP_LEVEL_CLAUSES = ["4", "5", "6", "7", "8", "9", "10"]
MAX_TITLE_LENGTH = 120

edition_params = pytest.mark.parametrize("edition", sorted(EDITIONS))


def _by_number(edition: str) -> dict[str, Row]:
    return {row[0]: row for row in EDITIONS[edition]}


def _numbers_of_kind(edition: str, kind: str) -> list[str]:
    return [row[0] for row in EDITIONS[edition] if row[2] == kind]


def _hs_of(edition: str, number: str) -> str | None:
    return _by_number(edition)[number][5]


def _domain_of(code: str) -> str:
    return ".".join(code.split(".")[:2])


# Harmonized structure


def test_hs_clauses_are_the_21_expected_numbers_in_order() -> None:
    assert [number for number, _, _ in HS_CLAUSES] == [
        "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.2", "6.3",
        "7.1", "7.2", "7.3", "7.4", "7.5", "8.1", "9.1", "9.2", "9.3", "10.1", "10.2",
    ]  # fmt: skip


def test_hs_titles_are_filled_short_and_differ_between_languages() -> None:
    for number, title_es, title_en in HS_CLAUSES:
        assert title_es.strip(), number
        assert title_en.strip(), number
        assert title_es != title_en, number
        assert len(title_es) <= MAX_TITLE_LENGTH, number
        assert len(title_en) <= MAX_TITLE_LENGTH, number


def test_hs_10_1_is_corrective_action_and_10_2_is_continual_improvement() -> None:
    titles = {number: title_es for number, title_es, _ in HS_CLAUSES}
    assert titles["10.1"] == "No conformidad y acción correctiva"
    assert titles["10.2"] == "Mejora continua"


# Structure shared by every edition


@edition_params
def test_requirement_numbers_are_unique_within_each_edition(edition: str) -> None:
    counts = Counter(row[0] for row in EDITIONS[edition])
    assert [number for number, count in counts.items() if count > 1] == []


@edition_params
def test_every_parent_exists_and_precedes_its_child(edition: str) -> None:
    seen: set[str] = set()
    for number, parent, *_ in EDITIONS[edition]:
        if parent is not None:
            assert parent in seen, f"{number}: parent {parent} missing or later"
        seen.add(number)


@edition_params
def test_kinds_are_valid(edition: str) -> None:
    assert {row[2] for row in EDITIONS[edition]} <= KINDS


@edition_params
def test_titles_are_filled_short_and_differ_between_languages(edition: str) -> None:
    for number, _, _, title_es, title_en, _ in EDITIONS[edition]:
        assert title_es.strip(), number
        assert title_en.strip(), number
        assert title_es != title_en, number
        assert len(title_es) <= MAX_TITLE_LENGTH, number
        assert len(title_en) <= MAX_TITLE_LENGTH, number


@edition_params
def test_every_hs_number_exists_in_the_hs_catalogue(edition: str) -> None:
    for number, *_, hs_number in EDITIONS[edition]:
        assert hs_number is None or hs_number in HS_NUMBERS, number


@edition_params
def test_top_level_clauses_4_to_10_exist_without_parent_or_hs(edition: str) -> None:
    rows = _by_number(edition)
    assert [n for n in _numbers_of_kind(edition, "clause") if "." not in n] == (TOP_LEVEL_CLAUSES)
    for number in TOP_LEVEL_CLAUSES:
        assert rows[number][1] is None
        assert rows[number][5] is None


@edition_params
def test_sub_clauses_have_a_clause_parent_and_an_hs_number(edition: str) -> None:
    rows = _by_number(edition)
    for number, parent, kind, *_, hs_number in EDITIONS[edition]:
        if kind != "clause" or "." not in number:
            continue
        assert parent == number.rsplit(".", 1)[0], number
        assert rows[parent][2] == "clause", number
        assert hs_number is not None, number


@edition_params
def test_sub_clauses_share_the_hs_number_of_their_second_level_ancestor(
    edition: str,
) -> None:
    for number, _, kind, *_, hs_number in EDITIONS[edition]:
        if kind == "clause" and number.count(".") >= 2:
            second_level = ".".join(number.split(".")[:2])
            assert hs_number == _hs_of(edition, second_level), number


@edition_params
def test_annex_a_rows_carry_no_hs_number(edition: str) -> None:
    for number, _, kind, *_, hs_number in EDITIONS[edition]:
        if kind != "clause":
            assert number.startswith("A."), number
            assert hs_number is None, number


@edition_params
def test_internal_audit_clause_9_2_exists_and_maps_to_hs_9_2(edition: str) -> None:
    assert _hs_of(edition, "9.2") == "9.2"


@edition_params
def test_second_level_clauses_map_to_the_same_hs_number_by_default(
    edition: str,
) -> None:
    # Standard-specific exceptions; everything else keeps its own number.
    exceptions = {
        "iso9001_2015": {"8.2", "8.3", "8.4", "8.5", "8.6", "8.7"} | {"10.1", "10.2", "10.3"},
        "iso37001_2016": {"4.5", "9.4"} | {f"8.{i}" for i in range(2, 11)},
        "iso27001_2013": {"8.2", "8.3"},
        "iso27001_2022": {"8.2", "8.3", "10.1", "10.2"},
    }[edition]
    for number, _, kind, *_, hs_number in EDITIONS[edition]:
        if kind == "clause" and number.count(".") == 1 and number not in exceptions:
            assert hs_number == number, number


# Standard-specific HS rules


def test_iso9001_clause_10_maps_general_and_continual_improvement_to_hs_10_2() -> None:
    assert _hs_of("iso9001_2015", "10.1") == "10.2"
    assert _hs_of("iso9001_2015", "10.2") == "10.1"
    assert _hs_of("iso9001_2015", "10.3") == "10.2"


def test_iso9001_operational_clauses_8_2_to_8_7_map_to_hs_8_1() -> None:
    for number in ["8.2", "8.3", "8.4", "8.5", "8.6", "8.7"]:
        assert _hs_of("iso9001_2015", number) == "8.1", number


def test_iso9001_has_its_own_planning_of_changes_mapped_to_hs_6_3() -> None:
    assert _hs_of("iso9001_2015", "6.3") == "6.3"


def test_iso9001_lists_the_expected_third_level_clauses() -> None:
    numbers = set(_by_number("iso9001_2015"))
    expected = (
        [f"7.1.{i}" for i in range(1, 7)]
        + [f"8.2.{i}" for i in range(1, 5)]
        + [f"8.5.{i}" for i in range(1, 7)]
        + ["9.1.1", "9.1.2", "9.1.3", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3"]
    )
    assert set(expected) <= numbers


def test_iso37001_bribery_risk_assessment_4_5_maps_to_hs_6_1() -> None:
    assert _hs_of("iso37001_2016", "4.5") == "6.1"


def test_iso37001_operational_clauses_8_2_to_8_10_map_to_hs_8_1() -> None:
    for i in range(2, 11):
        assert _hs_of("iso37001_2016", f"8.{i}") == "8.1", i


def test_iso37001_compliance_function_review_9_4_maps_to_hs_9_3() -> None:
    assert _hs_of("iso37001_2016", "9.4") == "9.3"


def test_iso37001_lists_its_own_sub_clauses() -> None:
    numbers = set(_by_number("iso37001_2016"))
    assert {"5.1.1", "5.1.2", "5.3.1", "5.3.2", "5.3.3", "7.2.1", "7.2.2"} <= numbers


@pytest.mark.parametrize("edition", ["iso37001_2016", "iso27001_2013"])
def test_2012_structure_editions_map_clause_10_one_to_one(edition: str) -> None:
    assert _hs_of(edition, "10.1") == "10.1"
    assert _hs_of(edition, "10.2") == "10.2"


def test_iso27001_2022_swaps_clause_10_against_hs_numbering() -> None:
    assert _hs_of("iso27001_2022", "10.1") == "10.2"
    assert _hs_of("iso27001_2022", "10.2") == "10.1"


@pytest.mark.parametrize("edition", ["iso27001_2013", "iso27001_2022"])
def test_iso27001_risk_clauses_map_to_hs_6_1_and_8_1(edition: str) -> None:
    for number in ["6.1.1", "6.1.2", "6.1.3"]:
        assert _hs_of(edition, number) == "6.1", number
    for number in ["8.2", "8.3"]:
        assert _hs_of(edition, number) == "8.1", number
    for number in ["7.5.1", "7.5.2", "7.5.3"]:
        assert _hs_of(edition, number) == "7.5", number


def test_only_iso27001_2022_among_27001_editions_has_clause_6_3() -> None:
    assert "6.3" not in _by_number("iso27001_2013")
    assert _hs_of("iso27001_2022", "6.3") == "6.3"


def test_iso27001_2022_splits_audit_and_review_clauses() -> None:
    numbers = set(_by_number("iso27001_2022"))
    assert {"9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3"} <= numbers


# Annex A 2013


def test_annex_a_2013_has_14_domains() -> None:
    domains = _numbers_of_kind("iso27001_2013", "domain")
    assert domains == [f"A.{i}" for i in range(5, 19)]


def test_annex_a_2013_has_35_control_objectives() -> None:
    assert len(_numbers_of_kind("iso27001_2013", "objective")) == 35


def test_annex_a_2013_has_114_controls() -> None:
    assert len(_numbers_of_kind("iso27001_2013", "control")) == 114


def test_annex_a_2013_controls_per_domain_match_the_standard() -> None:
    counts = Counter(_domain_of(c) for c in _numbers_of_kind("iso27001_2013", "control"))
    assert counts == {
        "A.5": 2, "A.6": 7, "A.7": 6, "A.8": 10, "A.9": 14, "A.10": 2, "A.11": 15,
        "A.12": 14, "A.13": 7, "A.14": 13, "A.15": 5, "A.16": 7, "A.17": 4, "A.18": 8,
    }  # fmt: skip


def test_annex_a_2013_hierarchy_is_domain_objective_control() -> None:
    rows = _by_number("iso27001_2013")
    for number, parent, kind, *_ in iso27001_2013.REQUIREMENTS:
        if kind == "domain":
            assert parent is None, number
        elif kind == "objective":
            assert parent == _domain_of(number), number
            assert rows[parent][2] == "domain", number
        elif kind == "control":
            assert parent == number.rsplit(".", 1)[0], number
            assert rows[parent][2] == "objective", number


# Annex A 2022


def test_annex_a_2022_has_4_themes() -> None:
    assert _numbers_of_kind("iso27001_2022", "domain") == ["A.5", "A.6", "A.7", "A.8"]


def test_annex_a_2022_has_no_control_objectives() -> None:
    assert _numbers_of_kind("iso27001_2022", "objective") == []


def test_annex_a_2022_has_93_controls() -> None:
    assert len(_numbers_of_kind("iso27001_2022", "control")) == 93


def test_annex_a_2022_controls_per_theme_are_37_8_14_34() -> None:
    controls = _numbers_of_kind("iso27001_2022", "control")
    assert Counter(_domain_of(c) for c in controls) == {
        "A.5": 37,
        "A.6": 8,
        "A.7": 14,
        "A.8": 34,
    }


def test_annex_a_2022_controls_are_numbered_consecutively_under_their_theme() -> None:
    rows = _by_number("iso27001_2022")
    expected = {"A.5": 37, "A.6": 8, "A.7": 14, "A.8": 34}
    for theme, total in expected.items():
        for i in range(1, total + 1):
            assert rows[f"{theme}.{i}"][1] == theme


# 2013 -> 2022 mapping


def test_mapping_relations_are_valid() -> None:
    assert {relation for _, _, relation in ANNEX_A_2013_TO_2022} <= RELATIONS


def test_mapping_rows_are_unique() -> None:
    pairs = [(old, new) for old, new, _ in ANNEX_A_2013_TO_2022]
    assert len(pairs) == len(set(pairs))


def test_mapping_codes_exist_as_controls_in_their_edition() -> None:
    controls_2013 = set(_numbers_of_kind("iso27001_2013", "control"))
    controls_2022 = set(_numbers_of_kind("iso27001_2022", "control"))
    for old, new, _ in ANNEX_A_2013_TO_2022:
        assert old in controls_2013, old
        assert new in controls_2022, new


def test_mapping_covers_every_2013_control() -> None:
    mapped = {old for old, _, _ in ANNEX_A_2013_TO_2022}
    assert set(_numbers_of_kind("iso27001_2013", "control")) == mapped


def test_mapping_reaches_every_2022_control_except_the_new_ones() -> None:
    targets = {new for _, new, _ in ANNEX_A_2013_TO_2022}
    controls_2022 = set(_numbers_of_kind("iso27001_2022", "control"))
    assert targets == controls_2022 - set(NEW_IN_2022)


def test_new_in_2022_lists_the_11_controls_without_2013_predecessor() -> None:
    assert sorted(NEW_IN_2022) == sorted(
        [
            "A.5.7", "A.5.23", "A.5.30", "A.7.4", "A.8.9", "A.8.10",
            "A.8.11", "A.8.12", "A.8.16", "A.8.23", "A.8.28",
        ]
    )  # fmt: skip
    assert len(set(NEW_IN_2022)) == 11


def test_new_in_2022_controls_never_appear_in_the_mapping() -> None:
    targets = {new for _, new, _ in ANNEX_A_2013_TO_2022}
    assert targets.isdisjoint(NEW_IN_2022)
