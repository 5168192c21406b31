"""Smoke tests of the benchmark harness on a tiny dataset: the generators, the scenario registry
and the helpers work. No timing is asserted anywhere (it is a benchmark, not a test)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import RoleAssignment, User
from accounts.services import issue_token
from audit.models import AuditEvent
from audit.services import verify_chain
from bench import sql
from bench.client import LoadResult, percentile
from bench.context import SIZES, RunContext
from bench.dataset import fingerprint, generate_all, read_marker, write_marker
from bench.registry import all_scenarios, discover, select
from bench.report import table
from core.testing import bearer
from organization.models import OrgUnit, Site

TINY = SIZES["tiny"]


@pytest.fixture
def tiny_dataset(db: Any) -> dict[str, int]:
    return generate_all(TINY, discover(), log=lambda message: None)


def test_it_finds_every_area_module_and_generates_the_audit_trail_last() -> None:
    modules = [area.module for area in discover()]
    assert {"bench.common", "organization.bench", "accounts.bench", "catalog.bench", "audit.bench"} <= set(modules)
    assert modules[-1] == "audit.bench"


def test_every_scenario_has_a_unique_name_a_path_and_a_demo_persona(db: Any) -> None:
    scenarios = all_scenarios()
    names = [s.name for s in scenarios]
    assert len(names) == len(set(names))
    ctx = RunContext()
    for s in scenarios:
        assert s.url(ctx).startswith("/"), s.name
        assert (s.persona is None) == (s.auth == "none"), s.name
        if s.persona:
            assert User.objects.filter(username=s.persona, is_active=True).exists(), s.name


def test_the_scenario_filter_matches_names_by_substring() -> None:
    names = [s.name for s in select(all_scenarios(), ["audit.list"])]
    assert names == ["audit.list", "audit.list.action", "audit.list.month"]
    assert select(all_scenarios(), []) == all_scenarios()


def test_it_generates_rows_for_every_site_and_keeps_the_audit_chain_valid(tiny_dataset: dict[str, int]) -> None:
    sites = Site.objects.filter(is_active=True).count()
    assert tiny_dataset["org units"] == sites * TINY.units_per_site
    assert tiny_dataset["people"] == sites * TINY.people_per_site
    assert tiny_dataset["audit events"] == TINY.audit_events
    assert User.objects.filter(username__startswith="bench.").values("site").distinct().count() == sites
    assert OrgUnit.objects.filter(code__contains="-EQ").count() == sites * TINY.units_per_site
    assert RoleAssignment.objects.filter(user__username__startswith="bench.").count() >= tiny_dataset["people"]
    result = verify_chain()
    assert result.ok, result.reason
    assert result.checked == AuditEvent.objects.count()


def test_every_scenario_sql_runs_and_counts_what_the_orm_counts(tiny_dataset: dict[str, int]) -> None:
    ctx = RunContext()
    for s in all_scenarios():
        assert s.sql is not None, s.name
        assert sql.run(s.sql(ctx)) >= 1, s.name
    audit_list = next(s for s in all_scenarios() if s.name == "audit.list")
    assert audit_list.sql is not None
    count_sql, params = audit_list.sql(ctx)[0]
    with connection.cursor() as cursor:
        cursor.execute(count_sql, params)
        assert cursor.fetchone()[0] == AuditEvent.objects.count()


def test_every_scenario_answers_200_to_its_persona(tiny_dataset: dict[str, int], client_as: Any) -> None:
    ctx = RunContext()
    tokens: dict[str, str] = {}
    for s in all_scenarios():
        user = ctx.user(s.persona) if s.persona else None
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (s.headers(ctx) if s.headers else {}).items()}
        if s.auth == "token":
            assert user is not None
            token = tokens.setdefault(user.username, issue_token(user, by="system:bench"))
            response = client_as(None).get(s.url(ctx), **bearer(token), **headers)
        else:
            client = client_as(user if s.auth == "session" else None)
            if s.after_login:  # e.g. unlock the whistleblowing key, as the harness does after its login
                assert client.post(s.after_login, {"password": settings.SIG_DEMO_PASSWORD}).status_code == 302, s.name
            response = client.get(s.url(ctx), **headers)
        assert response.status_code == 200, (s.name, response.status_code)


def test_the_bench_marker_records_the_fingerprint_and_the_size_changes_it(db: Any) -> None:
    areas = discover()
    tiny, small = fingerprint(TINY, areas), fingerprint(SIZES["small"], areas)
    assert tiny != small
    write_marker(tiny)
    assert read_marker() == tiny


def test_percentiles_use_the_nearest_rank_and_results_count_non_200_answers() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    result = LoadResult(latencies_ms=[1.0, 2.0, 3.0], elapsed_s=2.0)
    result.statuses.update({200: 2, 404: 1})
    assert (result.requests, result.not_ok, result.rps) == (3, 1, 1.5)


def test_the_report_table_aligns_its_columns() -> None:
    text = table(["name", "n"], [["a", "1"], ["longer", "100"]], right=[False, True])
    lines = text.splitlines()
    assert lines[0] == "name      n"
    assert lines[2] == "a         1"
    assert lines[3] == "longer  100"


@pytest.mark.django_db
def test_the_scenario_list_prints_every_scenario_before_any_dataset_is_built(monkeypatch: Any) -> None:
    import io

    from django.core.management import call_command
    from django.db import OperationalError

    from bench.registry import Scenario

    def no_dataset(self: Scenario, ctx: Any) -> str:
        if callable(self.path):
            raise OperationalError("no such table: plans_plan")  # what an empty database answers
        return self.path

    monkeypatch.setattr(Scenario, "url", no_dataset)
    out = io.StringIO()
    call_command("bench", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == [s.name for s in all_scenarios()]
    computed = [s.name for s in all_scenarios() if callable(s.path)]
    assert computed and all(("not built" in line) == (line.split()[0] in computed) for line in lines)
