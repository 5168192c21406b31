"""Benchmark data and scenarios for the nonconformity register (harness: bench/__init__.py).

Issue 11 asks for "the NC register with 200,000 nonconformities and 600,000 actions across 22
units (central and UT-scoped, filtered, paginated)". NCS[size] nonconformities are spread over
the Sede Central and the 21 UTs and over the years of the dataset, in every state of the loop,
each with ACTIONS_PER_NC corrective actions in the shared tracker (actions.ActionItem of kind
"accion_correctiva"); the open ones of old NCs are past their due date (the overdue filter).
Rows go in with executemany (bench.bulk: bulk_create cost several times the database's work),
the NCs with explicit ids that their actions point at."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from actions.models import ActionItem
from bench import sql
from bench.bulk import Table, next_id, reset_sequences
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement
from nonconformities.access import ncs_visible_to
from nonconformities.counts import recount
from nonconformities.models import ACTION_KIND, Nonconformity
from nonconformities.selectors import filter_ncs, register_rows

ORDER = 90
GENERATOR_VERSION = 4  # 2: next_open_due stored (issue 11); 3: raw inserts (issue 10); 4: StatusCount
BATCH = 5000
PROGRESS_EVERY = 50_000
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
    ncs, actions = Table(Nonconformity, with_pk=True), Table(ActionItem, with_pk=False)
    with transaction.atomic(), connection.cursor() as cursor:
        nc_id = next_id(Nonconformity)
        made = 0
        while made < total:
            for n in range(made, min(made + BATCH, total)):
                detected = start + datetime.timedelta(days=rng.randrange(span))
                status = rng.choice(STATES)
                code = f"NC-B{n:07d}"
                site_id = sites[n % len(sites)].pk
                plan = _plan(status, detected, today)
                ncs.add(
                    {
                        "id": nc_id,
                        "code": code,
                        "source": rng.choice(SOURCES),
                        "grade": rng.choice(GRADES),
                        "title": f"{rng.choice(TITLES)} ({n})",
                        "description": "Generado para el benchmark.",
                        "site_id": site_id,
                        "detected_on": detected,
                        "status": status,
                        "root_cause": "Procedimiento incompleto" if status != S.OPEN else "",
                        "closed_on": detected + datetime.timedelta(days=90) if status == S.CLOSED else None,
                        # as nonconformities.selectors.refresh_next_open_due stores it
                        "next_open_due": min(
                            (due for due, state in plan if state == ActionItem.Status.PENDING), default=None
                        ),
                        "raised_by_id": raiser.pk,
                    }
                )
                for k, (due, state) in enumerate(plan):
                    actions.add(
                        {
                            "kind": ACTION_KIND,
                            "source_type_id": ct.pk,
                            "source_id": nc_id,
                            "number": f"{code}-A{k + 1}",
                            "title": "Acción correctiva generada",
                            "site_id": site_id,
                            "due_date": due,
                            "status": state,
                            "evidence_required": True,
                        }
                    )
                nc_id += 1
            created = ncs.flush(cursor)
            ctx.add("nonconformities", created)
            ctx.add("corrective actions", actions.flush(cursor))
            made += created
            if made % PROGRESS_EVERY == 0 and made < total:
                ctx.log(f"    {made:,} of {total:,} nonconformities…")
        reset_sequences([Nonconformity])  # explicit ids
        recount()  # the per-site status counters the services keep (StatusCount)


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
        return [sql.count(qs), sql.select(register_rows(qs, today), PAGE)]

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
