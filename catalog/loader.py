"""Loads the shipped catalogue (catalog/data/*) into the database; idempotent."""

from __future__ import annotations

from django.db import transaction

from catalog.data import hs, iso9001_2015, iso27001_2013, iso27001_2022, iso37001_2016, mapping_27001
from catalog.models import Edition, HarmonizedClause, Requirement, RequirementMapping, Standard

STANDARDS = [
    # code, name es, name en, system, order
    ("ISO 9001", "Sistemas de gestión de la calidad", "Quality management systems", "SGC", 1),
    ("ISO 37001", "Sistemas de gestión antisoborno", "Anti-bribery management systems", "SGAS", 2),
    (
        "ISO/IEC 27001",
        "Sistemas de gestión de seguridad de la información",
        "Information security management systems",
        "SGSI",
        3,
    ),
]
EDITIONS = [
    # standard, year, label, national adoption, structure, current, data module
    ("ISO 9001", 2015, "ISO 9001:2015", "NTP-ISO 9001:2015", "hls2012", True, iso9001_2015),
    ("ISO 37001", 2016, "ISO 37001:2016", "NTP-ISO 37001:2017", "hls2012", True, iso37001_2016),
    ("ISO/IEC 27001", 2013, "ISO/IEC 27001:2013", "NTP ISO/IEC 27001:2014", "hls2012", False, iso27001_2013),
    ("ISO/IEC 27001", 2022, "ISO/IEC 27001:2022", "NTP-ISO/IEC 27001:2022", "hs2021", True, iso27001_2022),
]


@transaction.atomic
def load() -> dict[str, int]:
    counts: dict[str, int] = {}
    clauses = {}
    for order, (number, title_es, title_en) in enumerate(hs.HS_CLAUSES):
        clauses[number], _ = HarmonizedClause.objects.get_or_create(
            number=number, defaults={"title": title_es, "title_en": title_en, "order": order}
        )
    standards = {}
    for code, name, name_en, system, order in STANDARDS:
        standards[code], _ = Standard.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "system_code": system, "order": order}
        )
    for std, year, label, ntp, structure, current, module in EDITIONS:
        edition, created = Edition.objects.get_or_create(
            label=label,
            defaults={
                "standard": standards[std],
                "year": year,
                "national_adoption": ntp,
                "structure": structure,
                "is_current": current,
            },
        )
        if not created:
            continue
        by_number: dict[str, Requirement] = {}
        for order, (number, parent, kind, title_es, title_en, hs_number) in enumerate(module.REQUIREMENTS):
            parent_req = by_number[parent] if parent else None
            req = Requirement(
                edition=edition,
                number=number,
                parent=parent_req,
                kind=kind,
                title=title_es,
                title_en=title_en,
                hs_clause=clauses[hs_number] if hs_number else None,
                depth=0 if parent_req is None else parent_req.depth + 1,
                order=order,
            )
            req.save()
            by_number[number] = req
        counts[label] = len(by_number)
    if not RequirementMapping.objects.exists():
        old = {r.number: r for r in Requirement.objects.filter(edition__label="ISO/IEC 27001:2013")}
        new = {r.number: r for r in Requirement.objects.filter(edition__label="ISO/IEC 27001:2022")}
        RequirementMapping.objects.bulk_create(
            RequirementMapping(source=old[a], target=new[b], relation=rel)
            for a, b, rel in mapping_27001.ANNEX_A_2013_TO_2022
        )
        counts["mappings"] = len(mapping_27001.ANNEX_A_2013_TO_2022)
    return counts
