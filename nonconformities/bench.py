"""Benchmark data and scenarios for the nonconformity register (harness: bench/__init__.py).

Issue 11 asks for "the NC register with 200,000 nonconformities and 600,000 actions across 22
units (central and UT-scoped, filtered, paginated)". NCS[size] nonconformities are spread over
the Sede Central and the 21 UTs and over the years of the dataset, in every state of the loop,
each with ACTIONS_PER_NC corrective actions in the shared tracker (actions.ActionItem of kind
"accion_correctiva"); the open ones of old NCs are past their due date (the overdue filter).
Rows go in with bulk_create (batch_size=BATCH)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actions.models import ActionItem
from bench import sql
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement
from nonconformities.access import ncs_visible_to
from nonconformities.models import ACTION_KIND, Nonconformity
from nonconformities.selectors import filter_ncs, register_rows

ORDER = 90
GENERATOR_VERSION = 2
BATCH = 2000
NCS = {"tiny": 2_000, "small": 200_000, "medium": 200_000, "large": 200_000}
ACTIONS_PER_NC = 3
PAGE = 50  # nonconformities.views.PAGE_SIZE and the API page below

S = Nonconformity.Status
STATES = [S.OPEN, S.ANALYSIS, S.PLAN_APPROVED, S.EXECUTION, S.VERIFICATION, S.CLOSED, S.CLOSED, S.CLOSED]
SOURCES = Nonconformity.Source.values
GRADES = Nonconformity.Grade.values
TITLES = [
    "Expedientes sin firma del responsable",
    "Queja atendida fuera de plazo",
    "Registro de capacitación incompleto",
    "Control de accesos sin revisión periódica",
    "Debida diligencia no documentada",
    "Indicador fuera de meta sin análisis",
]


def generate(ctx: GenContext) -> None:
    total = NCS.get(ctx.size.name, NCS["small"])
    rng = ctx.rng
    raiser = User.objects.get(username="cmg")
    sites = ctx.sites
    ct = ContentType.objects.get_for_model(Nonconformity)
    start = ctx.start.date()
    span = max((ctx.now.date() - start).days, 1)
    today = timezone.localdate()
    with transaction.atomic():
        made = 0
        while made < total:
            batch = []
            for n in range(made, min(made + BATCH, total)):
                detected = start + datetime.timedelta(days=rng.randrange(span))
                status = rng.choice(STATES)
                batch.append(
                    Nonconformity(
                        code=f"NC-B{n:07d}",
                        source=rng.choice(SOURCES),
                        grade=rng.choice(GRADES),
                        title=f"{rng.choice(TITLES)} ({n})",
                        description="Generado para el benchmark.",
                        site=sites[n % len(sites)],
                        detected_on=detected,
                        status=status,
                        root_cause="Procedimiento incompleto" if status != S.OPEN else "",
                        closed_on=detected + datetime.timedelta(days=90) if status == S.CLOSED else None,
                        # as nonconformities.selectors.refresh_next_open_due stores it
                        next_open_due=min(
                            (
                                due
                                for due, state in _plan(status, detected, today)
                                if state == ActionItem.Status.PENDING
                            ),
                            default=None,
                        ),
                        raised_by=raiser,
                    )
                )
            created = Nonconformity.objects.bulk_create(batch, batch_size=BATCH)
            actions = []
            for nc in created:
                for k, (due, state) in enumerate(_plan(nc.status, nc.detected_on, today)):
                    actions.append(
                        ActionItem(
                            kind=ACTION_KIND,
                            source_type=ct,
                            source_id=nc.pk,
                            number=f"{nc.code}-A{k + 1}",
                            title="Acción correctiva generada",
                            site_id=nc.site_id,
                            due_date=due,
                            status=state,
                            evidence_required=True,
                        )
                    )
            ActionItem.objects.bulk_create(actions, batch_size=BATCH)
            made += len(created)
            ctx.add("nonconformities", len(created))
            ctx.add("corrective actions", len(actions))
            ctx.log(f"nonconformities: {made}/{total}")


def _plan(status: str, detected: datetime.date, today: datetime.date) -> list[tuple[datetime.date, str]]:
    """(due date, status) of the actions of an NC: none while open, done once verified, and of
    the others those due more than 400 days ago done (the rest pending, some overdue)."""
    finished = status in (S.VERIFICATION, S.CLOSED)
    out: list[tuple[datetime.date, str]] = []
    for k in range(ACTIONS_PER_NC if status != S.OPEN else 0):
        due = detected + datetime.timedelta(days=30 * (k + 1))
        done = finished or due < today - datetime.timedelta(days=400)
        out.append((due, ActionItem.Status.DONE if done else ActionItem.Status.PENDING))
    return out


def _register_sql(user: str, **filters: str) -> Callable[[RunContext], list[Statement]]:
    def build(ctx: RunContext) -> list[Statement]:
        today = timezone.localdate()
        qs = filter_ncs(ncs_visible_to(ctx.user(user)), dict(filters), today)
        return [sql.capped_count(qs), sql.select(register_rows(qs, today), PAGE)]

    return build


SCENARIOS = [
    Scenario("nc.register", "/no-conformidades/", "cmg", sql=_register_sql("cmg"), note="central: 22 units"),
    Scenario("nc.register.ut", "/no-conformidades/", "ut.cusco", sql=_register_sql("ut.cusco"), note="UT head: own UT"),
    Scenario(
        "nc.register.filtered",
        "/no-conformidades/?status=execution&grade=major&overdue=on",
        "cmg",
        sql=_register_sql("cmg", status="execution", grade="major", overdue="on"),
        note="in execution, major, with overdue actions",
    ),
    Scenario(
        "nc.register.page",
        "/no-conformidades/?page=20",
        "cmg",
        sql=_register_sql("cmg"),
        note="page 20 of the register",
    ),
    Scenario("api.nonconformities", "/api/v1/nonconformities?limit=50", "cmg", auth="token", sql=_register_sql("cmg")),
    Scenario(
        "api.nonconformities.ut",
        "/api/v1/nonconformities?limit=50",
        "ut.cusco",
        auth="token",
        sql=_register_sql("ut.cusco"),
    ),
]
