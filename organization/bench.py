"""Benchmark data and scenarios for the organisation area (harness: bench/__init__.py)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from bench import sql
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement
from organization.access import processes_visible_to, units_visible_to
from organization.models import Entity, OrgUnit, Process

ORDER = 10
GENERATOR_VERSION = 1


def generate(ctx: GenContext) -> None:
    """`units_per_site` teams under each site's own unit (UOP at the Sede Central)."""
    entity = Entity.objects.order_by("pk").first()
    assert entity is not None, "load_demo must run before the generators"
    by_code = {u.code: u for u in OrgUnit.objects.all()}
    new: list[OrgUnit] = []
    for site in ctx.sites:
        parent = by_code["UOP"] if site.is_central else by_code.get(site.code)
        prefix = "SC" if site.is_central else site.code
        for i in range(1, ctx.size.units_per_site + 1):
            new.append(
                OrgUnit(
                    entity=entity,
                    code=f"{prefix}-EQ{i:02d}",
                    name=f"Equipo {i:02d} — {site.name}",
                    kind=OrgUnit.Kind.COORDINATION,
                    site=site,
                    parent=parent,
                    order=1000 + i,
                )
            )
    OrgUnit.objects.bulk_create(new, batch_size=500)
    ctx.add("org units", len(new))
    for unit_id, site_id in OrgUnit.objects.values_list("pk", "site_id"):
        ctx.units_by_site.setdefault(site_id, []).append(unit_id)


def _process_map_sql(ctx: RunContext) -> list[Statement]:
    qs = processes_visible_to(ctx.user("cmg")).filter(is_active=True)
    top = qs.filter(parent__isnull=True)
    children = Process.objects.filter(is_active=True, parent_id__in=sql.page_ids(top, 1000)).order_by("order", "code")
    return [sql.exists(qs), sql.select(top), sql.select(children)]


def _unit_list_sql(ctx: RunContext) -> list[Statement]:
    return [sql.select(units_visible_to(ctx.user("cmg")).annotate(n_people=Count("people")))]


SCENARIOS = [
    Scenario("org.process-map", lambda ctx: reverse("organization:process_map"), "cmg", sql=_process_map_sql),
    Scenario(
        "org.units",
        lambda ctx: reverse("organization:unit_list"),
        "cmg",
        sql=_unit_list_sql,
        note="whole unit tree with people counts",
    ),
]
