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
from integrity import selectors
from integrity.access import partners_visible_to
from integrity.models import BusinessPartner, DueDiligence
from integrity.validators import ruc_check_digit

ORDER = 80
GENERATOR_VERSION = 2
PAGE = 50
BATCH = 5000
# (partners, due-diligence records) per bench size
COUNTS = {"tiny": (100, 500), "small": (2_000, 10_000), "medium": (20_000, 100_000), "large": (20_000, 100_000)}
CENTRAL_SHARE = 0.75  # partners with no site (seen by everybody); the rest belong to one UT
KEY_POSITION_SHARE = 0.05  # due diligences on people in key positions, the rest on partners
KEY_POSITIONS_PER_SITE = 8
KINDS = [k for k, _label in BusinessPartner.Kind.choices]
DECISIONS = [d for d, _label in DueDiligence.Decision.choices]


def generate(ctx: GenContext) -> None:
    from accounts.models import User
    from organization.models import Process

    n_partners, n_dd = COUNTS.get(ctx.size.name, COUNTS["small"])
    rng = ctx.rng
    uts = [s.pk for s in ctx.sites if not s.is_central]
    partners = []
    for i in range(n_partners):
        first = f"20{(60_000_000 + i):08d}"
        partners.append(
            BusinessPartner(
                doc_type="ruc",
                doc_number=first + str(ruc_check_digit(first)),
                name=f"Proveedor de prueba {i:05d} S.A.C.",
                kind=rng.choice(KINDS),
                site_id=rng.choice(uts) if uts and rng.random() > CENTRAL_SHARE else None,
                risk_level=rng.choice(["low", "low", "medium", "high"]),
                anti_bribery_clause=rng.random() < 0.6,
                commitment_signed_on=ctx.now.date() - datetime.timedelta(days=rng.randrange(700))
                if rng.random() < 0.5
                else None,
                due_diligence_required=rng.random() < 0.4,
                monitoring=rng.random() < 0.2,
            )
        )
    before = BusinessPartner.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    BusinessPartner.objects.bulk_create(partners, batch_size=2000)
    ids = list(BusinessPartner.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    processes = list(Process.objects.order_by("pk").values_list("pk", flat=True))
    if processes:
        through = BusinessPartner.processes.through
        links = [
            through(businesspartner_id=pid, process_id=proc)
            for pid in ids
            for proc in rng.sample(processes, k=min(len(processes), rng.choice([1, 1, 2])))
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
    positions = _key_positions(ctx)
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
        on_position = positions and rng.random() < KEY_POSITION_SHARE
        flag = rng.random() < 0.1
        rows.append(
            DueDiligence(
                partner_id=None if on_position else rng.choice(ids),
                key_position_id=rng.choice(positions) if on_position else None,
                person_name="Persona evaluada" if on_position else "",
                started_on=started,
                sources=["sunat", "osce"],
                findings="Sin hallazgos relevantes.",
                public_official=flag and rng.random() < 0.5,
                politically_exposed=flag and rng.random() < 0.3,
                high_risk_partner=flag,
                decision=decision,
                status="completed" if done else "in_progress",
                completed_on=started + datetime.timedelta(days=10) if done else None,
                valid_until=started + datetime.timedelta(days=365) if done else None,
                next_review=started + datetime.timedelta(days=365) if done else None,
                responsible_id=responsible,
            )
        )
        if len(rows) >= BATCH:
            DueDiligence.objects.bulk_create(rows)
            rows = []
    DueDiligence.objects.bulk_create(rows)
    ctx.add("business partners", n_partners)
    ctx.add("key positions", len(positions))
    ctx.add("due diligence", n_dd)


def _key_positions(ctx: GenContext) -> list[int]:
    """KEY_POSITIONS_PER_SITE positions per site, in one of the site's units, with a holder."""
    from integrity.models import KeyPosition
    from organization.models import OrgUnit

    made = []
    for site in ctx.sites:
        units = list(OrgUnit.objects.filter(site=site).values_list("pk", flat=True))
        if not units:
            continue
        people = ctx.people_by_site.get(site.pk, [])
        for n in range(KEY_POSITIONS_PER_SITE):
            position = KeyPosition.objects.create(
                position=f"Puesto clave {n + 1} ({site.code})",
                unit_id=ctx.rng.choice(units),
                site=None if site.is_central else site,
                reason="Maneja fondos o decide contrataciones.",
                risk_level=ctx.rng.choice(["medium", "high"]),
            )
            if people:
                position.holders.add(ctx.rng.choice(people))
            made.append(position.pk)
    return made


def _partners_sql(username: str, **params: str) -> Callable[[RunContext], list[Statement]]:
    def statements(ctx: RunContext) -> list[Statement]:
        """integrity.views.partner_list: capped count, first page and its processes."""
        qs = selectors.partner_rows(
            selectors.filter_partners(partners_visible_to(ctx.user(username)), selectors.partner_filters(params))
        )
        return [sql.capped_count(qs), *sql.captured(lambda: list(qs[:PAGE]))]

    return statements


def _dd_sql(**params: str) -> Callable[[RunContext], list[Statement]]:
    def statements(ctx: RunContext) -> list[Statement]:
        """integrity.views.dd_list / integrity.api.dd_list: capped count and first page."""
        from integrity.access import due_diligence_visible_to

        filters = selectors.dd_filters(params)
        qs = selectors.dd_rows(
            selectors.filter_dds(due_diligence_visible_to(ctx.user("integridad")), filters, ctx.today)
        )
        return [sql.capped_count(qs), sql.select(qs, PAGE)]

    return statements


def _busiest_partner(ctx: RunContext) -> int:
    from django.db.models import Count

    return (
        BusinessPartner.objects.annotate(n=Count("due_diligences")).order_by("-n", "pk").values_list("pk", flat=True)[0]
    )


def _partner_detail_sql(ctx: RunContext) -> list[Statement]:
    pk = _busiest_partner(ctx)
    return [
        sql.select(partners_visible_to(ctx.user("integridad")).filter(pk=pk)),
        sql.select(DueDiligence.objects.filter(partner_id=pk).select_related("responsible")),
    ]


def _matrix_sql(pdf: bool) -> Callable[[RunContext], list[Statement]]:
    def statements(ctx: RunContext) -> list[Statement]:
        """integrity.reports.PartnerMatrix: the partners (all, or the PDF's first PDF_MAX_ROWS),
        chunk by chunk with their processes and latest due diligence, and the key positions."""
        from integrity.reports import PDF_MAX_ROWS, PartnerMatrix

        report = PartnerMatrix(ctx.user("integridad"))
        return sql.captured(lambda: (list(report.rows(PDF_MAX_ROWS if pdf else None)), report.positions()))

    return statements


def _key_positions_sql(ctx: RunContext) -> list[Statement]:
    from integrity.access import key_positions_visible_to

    qs = selectors.key_position_rows(key_positions_visible_to(ctx.user("integridad")))
    return [sql.capped_count(qs), *sql.captured(lambda: selectors.with_latest_dd(list(qs[:PAGE])))]


def _compliance_sql(ctx: RunContext) -> list[Statement]:
    from integrity.reports import ComplianceReport

    return sql.captured(lambda: ComplianceReport(ctx.user("integridad")).context())


SCENARIOS = [
    Scenario(
        "integrity.partners",
        lambda ctx: reverse("integrity:partner_list"),
        "integridad",
        sql=_partners_sql("integridad"),
        note="central: 20,000 partners at medium",
    ),
    Scenario(
        "integrity.partners.ut",
        lambda ctx: reverse("integrity:partner_list"),
        "ut.cusco",
        sql=_partners_sql("ut.cusco"),
        note="UT head: own UT and the partners with no site",
    ),
    Scenario(
        "integrity.partners.filtered",
        lambda ctx: reverse("integrity:partner_list") + "?risk=high&kind=supplier",
        "integridad",
        sql=_partners_sql("integridad", risk="high", kind="supplier"),
    ),
    Scenario(
        "integrity.partners.search-name",
        lambda ctx: reverse("integrity:partner_list") + "?q=prueba+1234",
        "integridad",
        sql=_partners_sql("integridad", q="prueba 1234"),
    ),
    Scenario(
        "integrity.partners.search-ruc",
        lambda ctx: reverse("integrity:partner_list") + "?q=2060001",
        "integridad",
        sql=_partners_sql("integridad", q="2060001"),
    ),
    Scenario(
        "integrity.partner.detail",
        lambda ctx: reverse("integrity:partner_detail", args=[_busiest_partner(ctx)]),
        "integridad",
        sql=_partner_detail_sql,
        note="the partner with the most due diligences",
    ),
    Scenario(
        "integrity.due-diligence",
        lambda ctx: reverse("integrity:dd_list"),
        "integridad",
        sql=_dd_sql(),
        note="100,000 at medium",
    ),
    Scenario(
        "integrity.due-diligence.overdue",
        lambda ctx: reverse("integrity:dd_list") + "?review=overdue",
        "integridad",
        sql=_dd_sql(review="overdue"),
        note="next review already past",
    ),
    Scenario(
        "integrity.key-positions",
        lambda ctx: reverse("integrity:key_position_list"),
        "integridad",
        sql=_key_positions_sql,
    ),
    Scenario(
        "api.integrity.business-partners",
        "/api/v1/business-partners/",
        "integridad",
        auth="token",
        sql=_partners_sql("integridad"),
    ),
    Scenario(
        "api.integrity.due-diligence",
        "/api/v1/due-diligence/",
        "integridad",
        auth="token",
        sql=_dd_sql(),
        note="first page of 100,000 at medium",
    ),
    Scenario(
        "integrity.matrix.xlsx",
        lambda ctx: reverse("integrity:matrix", args=["xlsx"]),
        "integridad",
        sql=_matrix_sql(pdf=False),
        note="the whole partner matrix with its last due diligence",
    ),
    Scenario(
        "integrity.matrix.pdf",
        lambda ctx: reverse("integrity:matrix", args=["pdf"]),
        "integridad",
        sql=_matrix_sql(pdf=True),
        note="at most PDF_MAX_ROWS (250) partners: the PDF says how many there are; the XLSX has them all",
    ),
    Scenario(
        "integrity.compliance.pdf",
        lambda ctx: reverse("integrity:compliance_report", args=["pdf"]),
        "integridad",
        sql=_compliance_sql,
    ),
]
