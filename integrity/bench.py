"""Benchmark data and scenarios for the integrity registers (harness: bench/__init__.py): the
partner matrix with 20,000 partners and 100,000 due-diligence records at the medium and large
sizes (fewer at the small ones)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse

from bench import sql
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement
from integrity.access import partners_visible_to
from integrity.models import BusinessPartner, DueDiligence
from integrity.validators import ruc_check_digit

ORDER = 80
GENERATOR_VERSION = 1
PAGE = 50
# (partners, due-diligence records) per bench size
COUNTS = {"tiny": (100, 500), "small": (2_000, 10_000), "medium": (20_000, 100_000), "large": (20_000, 100_000)}
KINDS = [k for k, _label in BusinessPartner.Kind.choices]
DECISIONS = [d for d, _label in DueDiligence.Decision.choices]


def generate(ctx: GenContext) -> None:
    from accounts.models import User

    n_partners, n_dd = COUNTS.get(ctx.size.name, COUNTS["small"])
    rng = ctx.rng
    partners = []
    for i in range(n_partners):
        first = f"20{(60_000_000 + i):08d}"
        partners.append(
            BusinessPartner(
                doc_type="ruc",
                doc_number=first + str(ruc_check_digit(first)),
                name=f"Proveedor de prueba {i:05d} S.A.C.",
                kind=rng.choice(KINDS),
                risk_level=rng.choice(["low", "low", "medium", "high"]),
                anti_bribery_clause=rng.random() < 0.6,
                due_diligence_required=rng.random() < 0.4,
            )
        )
    BusinessPartner.objects.bulk_create(partners, batch_size=2000)
    ids = list(BusinessPartner.objects.values_list("pk", flat=True))
    responsible = (
        User.objects.filter(username="integridad").values_list("pk", flat=True).first()
        or User.objects.values_list("pk", flat=True).first()
    )
    assert responsible is not None
    today = ctx.now.date()
    rows = []
    for _i in range(n_dd):
        started = today - datetime.timedelta(days=rng.randrange(365 * ctx.size.years))
        decision = rng.choice(DECISIONS)
        done = decision != "pending"
        rows.append(
            DueDiligence(
                partner_id=rng.choice(ids),
                started_on=started,
                sources=["sunat", "osce"],
                findings="Sin hallazgos relevantes.",
                decision=decision,
                status="completed" if done else "in_progress",
                completed_on=started + datetime.timedelta(days=10) if done else None,
                valid_until=started + datetime.timedelta(days=365) if done else None,
                next_review=started + datetime.timedelta(days=365) if done else None,
                responsible_id=responsible,
            )
        )
        if len(rows) >= 5000:
            DueDiligence.objects.bulk_create(rows)
            rows = []
    DueDiligence.objects.bulk_create(rows)
    ctx.add("business partners", n_partners)
    ctx.add("due diligence", n_dd)


def _partners_sql(username: str) -> Callable[[RunContext], list[Statement]]:
    def statements(ctx: RunContext) -> list[Statement]:
        """integrity.views.partner_list: count and first page (with processes)."""
        qs = partners_visible_to(ctx.user(username)).order_by("name", "pk")
        return [sql.count(qs), sql.select(qs, PAGE)]

    return statements


def _dd_sql(ctx: RunContext) -> list[Statement]:
    """integrity.api.dd_list: count and first page."""
    from integrity.access import due_diligence_visible_to

    qs = due_diligence_visible_to(ctx.user("integridad")).order_by("-started_on", "-pk")
    return [sql.count(qs), sql.select(qs, PAGE)]


def _matrix_sql(ctx: RunContext) -> list[Statement]:
    """integrity.reports.PartnerMatrix: every partner and every due diligence."""
    qs = partners_visible_to(ctx.user("integridad")).order_by("name", "pk")
    return [sql.select(qs), sql.select(DueDiligence.objects.filter(partner__isnull=False))]


SCENARIOS = [
    Scenario(
        "integrity.partners",
        lambda ctx: reverse("integrity:partner_list"),
        "integridad",
        sql=_partners_sql("integridad"),
    ),
    Scenario(
        "api.business-partners",
        "/api/v1/business-partners/",
        "integridad",
        auth="token",
        sql=_partners_sql("integridad"),
    ),
    Scenario(
        "api.due-diligence",
        "/api/v1/due-diligence/",
        "integridad",
        auth="token",
        sql=_dd_sql,
        note="first page of 100,000 at medium",
    ),
    Scenario(
        "integrity.matrix.xlsx",
        lambda ctx: reverse("integrity:matrix", args=["xlsx"]),
        "integridad",
        sql=_matrix_sql,
        note="the whole partner matrix with its last due diligence",
    ),
]
