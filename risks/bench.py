"""Benchmark data and scenarios for the risk register (harness: bench/__init__.py).

Issue 12 asks for the register and the heat map with 50,000 risks and 200,000 evaluations,
central and UT-scoped. Risks are spread over the Sede Central and the UTs, the three lenses and
the processes, each with an inherent and a residual evaluation plus two older reviews (four
evaluation rows), on the CGR-style method loaded by the demo."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.urls import reverse

from accounts.models import User
from bench import sql
from bench.bulk import Table, next_id, reset_sequences
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement
from organization.models import Process
from risks.access import risks_visible_to
from risks.models import Evaluation, Risk, RiskMethod
from risks.selectors import RegisterFilter, register

ORDER = 80
GENERATOR_VERSION = 1
RISKS = {"tiny": 500, "small": 50_000, "medium": 50_000, "large": 50_000}
PAGE = 50


def _method() -> RiskMethod:
    method = RiskMethod.objects.filter(code="CGR-5X5", is_active=True).order_by("-version").first()
    assert method is not None, "load_demo must run before the generators"
    return method


def generate(ctx: GenContext) -> None:
    method = _method()
    spec = method.spec
    processes = list(Process.objects.filter(is_active=True).values_list("pk", flat=True))
    owners = {
        site.pk: ctx.people_by_site.get(site.pk) or list(User.objects.filter(site=site).values_list("pk", flat=True))
        for site in ctx.sites
    }
    fallback = User.objects.get(username="cmg").pk
    names = [f.attname for f in Risk._meta.concrete_fields]
    risk_columns = [
        names.index(a) for a in ("inherent_probability", "inherent_impact", "residual_probability", "residual_impact")
    ]
    owner_column = names.index("owner_id")
    total = RISKS[ctx.size.name]
    rng = ctx.rng
    risks, evaluations = Table(Risk, with_pk=True), Table(Evaluation, with_pk=False)
    with transaction.atomic(), connection.cursor() as cursor:
        risk_id = next_id(Risk)
        for n in range(total):
            site = ctx.sites[n % len(ctx.sites)]
            p, i = rng.randint(1, 5), rng.randint(1, 5)
            rp, ri = max(1, p - rng.randint(0, 2)), max(1, i - rng.randint(0, 1))
            lens = n % 3
            owner = rng.choice(owners[site.pk] or [fallback])
            risks.add(
                {
                    "id": risk_id + n,
                    "code": f"RB-{n:06d}",
                    "title": f"Riesgo sintético {n}",
                    "lens_quality": lens == 0 or n % 7 == 0,
                    "lens_bribery": lens == 1,
                    "lens_security": lens == 2,
                    "process_id": processes[n % len(processes)],
                    "site_id": site.pk,
                    "cause": "Causa sintética",
                    "event": "Evento sintético",
                    "consequence": "Consecuencia sintética",
                    "owner_id": owner,
                    "method_id": method.pk,
                    "status": Risk.Status.TREATMENT,
                    "inherent_probability": p,
                    "inherent_impact": i,
                    "inherent_score": p * i,
                    "inherent_level": spec.level_for(p * i).code,
                    "residual_probability": rp,
                    "residual_impact": ri,
                    "residual_score": rp * ri,
                    "residual_level": spec.level_for(rp * ri).code,
                    "treatment": Risk.Treatment.REDUCE,
                    "created_by_id": fallback,
                }
            )
        # The evaluations after every risk, in the risks' order (as the ids were before).
        for n, row in enumerate(risks.rows):
            ip, ii, rp_, ri_ = (row[k] for k in risk_columns)
            for kind, pv, iv, trigger in (
                ("inherent", ip, ii, "initial"),
                ("inherent", ip, ii, "periodic"),
                ("residual", rp_, ri_, "treatment"),
                ("residual", rp_, ri_, "periodic"),
            ):
                evaluations.add(
                    {
                        "risk_id": risk_id + n,
                        "kind": kind,
                        "method_id": method.pk,
                        "probability": pv,
                        "impact": iv,
                        "score": pv * iv,
                        "level": spec.level_for(pv * iv).code,
                        "trigger": trigger,
                        "evaluated_by_id": row[owner_column],
                    }
                )
        ctx.add("risks", risks.flush(cursor))
        ctx.add("risk evaluations", evaluations.flush(cursor))
        reset_sequences([Risk])  # explicit ids


def _register_sql(persona: str, **flt: Any) -> Any:
    def build(ctx: RunContext) -> list[Statement]:
        qs = register(risks_visible_to(ctx.user(persona)), RegisterFilter(**flt))
        return [sql.count(qs), sql.select(qs, PAGE)]

    return build


def _heat_map_sql(persona: str) -> Any:
    def build(ctx: RunContext) -> list[Statement]:
        from django.db.models import Count

        method = _method()
        qs = risks_visible_to(ctx.user(persona)).filter(method=method)
        out = []
        for which in ("inherent", "residual"):
            agg = (
                qs.filter(**{f"{which}_probability__isnull": False})
                .values(f"{which}_probability", f"{which}_impact")
                .annotate(n=Count("pk"))
                .order_by()
            )
            out.append(sql.select(agg))
        return out

    return build


def _method_param(ctx: RunContext) -> str:
    return f"?method={_method().pk}"


SCENARIOS = [
    Scenario("risks.register", lambda ctx: reverse("risks:risk_list"), "cmg", sql=_register_sql("cmg")),
    Scenario(
        "risks.register.lens",
        lambda ctx: reverse("risks:risk_list") + "?lens=bribery",
        "cmg",
        sql=_register_sql("cmg", lens="bribery"),
        note="filtered by the bribery lens",
    ),
    Scenario(
        "risks.register.ut",
        lambda ctx: reverse("risks:risk_list"),
        "ut.cusco",
        sql=_register_sql("ut.cusco"),
        note="UT-scoped",
    ),
    Scenario(
        "risks.heat-map",
        lambda ctx: reverse("risks:heat_map") + _method_param(ctx),
        "cmg",
        sql=_heat_map_sql("cmg"),
        note="inherent and residual",
    ),
    Scenario(
        "risks.heat-map.ut",
        lambda ctx: reverse("risks:heat_map") + _method_param(ctx),
        "ut.cusco",
        sql=_heat_map_sql("ut.cusco"),
        note="UT-scoped",
    ),
    Scenario("api.risks", "/api/v1/risks", "cmg", auth="token", sql=_register_sql("cmg")),
]
