"""Benchmark data and scenarios for audits (harness: bench/__init__.py).

Issue 11 asks for "the findings of one requirement across all audits, and an audit report PDF
with 40 findings". Each year of the dataset has a programme with AUDITS_PER_YEAR audits over the
Sede Central and the UTs; each audit has FINDINGS_PER_AUDIT[size] findings citing one to three
requirements of the three standards (ISO 9001 8.5.1 in one finding of every few). One audit,
"AB-BIG", has 40 findings and a checklist: its report is the PDF scenario (a draft rendered on
each request, the cost of issuing it)."""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts.models import User
from audits.access import findings_visible_to
from audits.models import Audit, AuditProgramme, ChecklistQuestion, Finding, FindingGrade
from bench import sql
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement
from catalog.models import Requirement

ORDER = 85
GENERATOR_VERSION = 1
BATCH = 2000
AUDITS_PER_YEAR = 22
FINDINGS_PER_AUDIT = {"tiny": 3, "small": 40, "medium": 60, "large": 80}
BIG = "AB-BIG"
PAGE = 50


def _requirement() -> Requirement:
    return Requirement.objects.get(edition__label="ISO 9001:2015", number="8.5.1")


def generate(ctx: GenContext) -> None:
    rng = ctx.rng
    cmg = User.objects.get(username="cmg")
    lead = User.objects.get(username="auditor")
    grades = list(FindingGrade.objects.all())
    pool = list(Requirement.objects.filter(edition__is_current=True, kind="clause", depth__gte=1).order_by("pk"))
    target = _requirement()
    per_audit = FINDINGS_PER_AUDIT.get(ctx.size.name, 40)
    through = Finding.requirements.through
    with transaction.atomic():
        for year in ctx.years:
            programme = AuditProgramme.objects.create(
                year=year, title=f"Programa de auditorías {year} (bench)", objectives="Bench", created_by=cmg
            )
            audits = Audit.objects.bulk_create(
                [
                    Audit(
                        programme=programme, code=f"AB-{year}-{n:02d}", title=f"Auditoría {n} de {year}", objectives="Bench",
                        start_date=datetime.date(year, 1 + n % 12, 10), end_date=datetime.date(year, 1 + n % 12, 11),
                        lead=lead, status=Audit.Status.COMPLETED, created_by=cmg,
                    )
                    for n in range(AUDITS_PER_YEAR)
                ]
            )  # fmt: skip
            Audit.sites.through.objects.bulk_create(
                [
                    Audit.sites.through(audit_id=a.pk, site_id=ctx.sites[i % len(ctx.sites)].pk)
                    for i, a in enumerate(audits)
                ]
            )
            findings = Finding.objects.bulk_create(
                [
                    Finding(
                        audit=a, number=f"{a.code}-H{k:02d}", grade=rng.choice(grades), description="Hallazgo generado",
                        evidence="Evidencia generada", site=ctx.sites[i % len(ctx.sites)], created_by=lead,
                    )
                    for i, a in enumerate(audits)
                    for k in range(per_audit)
                ],
                batch_size=BATCH,
            )  # fmt: skip
            links = []
            for n, f in enumerate(findings):
                cited = {target.pk} if n % 5 == 0 else set()
                cited |= {r.pk for r in rng.sample(pool, rng.randint(1, 3))}
                links += [through(finding_id=f.pk, requirement_id=pk) for pk in cited]
            through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
            ctx.add("audits", len(audits))
            ctx.add("findings", len(findings))
        latest = AuditProgramme.objects.order_by("-year").first()
        assert latest is not None
        big = Audit.objects.create(
            programme=latest, code=BIG, title="Auditoría con 40 hallazgos", objectives="Bench", scope="Todo el SIG",
            start_date=datetime.date(ctx.now.year, 3, 1), end_date=datetime.date(ctx.now.year, 3, 5), lead=lead,
            status=Audit.Status.IN_PROGRESS, conclusions="Bench", created_by=cmg,
        )  # fmt: skip
        big.team.set([lead])
        big.sites.set(ctx.sites[:3])
        big.criteria.set(pool[:30])
        for n, req in enumerate(pool[:30]):
            q = ChecklistQuestion.objects.create(
                audit=big, order=n, text=f"¿Cómo se cumple {req.number}?", result="conform", notes="Conforme"
            )
            q.requirements.set([req])
        for k in range(40):
            f = Finding.objects.create(
                audit=big, number=f"{BIG}-H{k:02d}", grade=grades[k % len(grades)], description=f"Hallazgo {k} del bench",
                evidence="Muestra de registros", site=ctx.sites[k % 3], created_by=lead,
            )  # fmt: skip
            f.requirements.set([target, pool[k % len(pool)]])
        ctx.add("audits", 1)


def _by_requirement_sql(ctx: RunContext) -> list[Statement]:
    qs = findings_visible_to(ctx.user("cmg")).filter(requirements=_requirement()).order_by("-pk")
    return [sql.count(qs), sql.select(qs, PAGE)]


def _big_audit() -> Audit | None:
    return Audit.objects.filter(code=BIG).first() or Audit.objects.order_by("pk").first()


def _big_report(ctx: RunContext) -> str:
    audit = _big_audit()
    return f"/auditorias/{audit.pk}/informe.pdf" if audit is not None else "/auditorias/"


def _big_report_sql(ctx: RunContext) -> list[Statement]:
    qs = Finding.objects.filter(audit=_big_audit()).select_related("grade", "site", "process").order_by("pk")
    return [sql.select(qs)]


def _by_requirement(ctx: RunContext) -> str:
    return f"/api/v1/findings?requirement={_requirement().pk}&limit={PAGE}"


SCENARIOS = [
    Scenario(
        "api.findings.requirement",
        _by_requirement,
        "cmg",
        auth="token",
        sql=_by_requirement_sql,
        note="findings citing ISO 9001 8.5.1",
    ),
    Scenario("audits.report.pdf", _big_report, "cmg", sql=_big_report_sql, note="audit report PDF with 40 findings"),
]
