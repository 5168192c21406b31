"""Benchmark data and scenarios for the audit trail (harness: bench/__init__.py).

The trail is the biggest table. Events are bulk-inserted with their keyed hash chain computed here
(audit.chain.entry_hash, continuing from the last entry), so `./sig verify-audit` still passes."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db import connection, transaction
from django.urls import reverse

from accounts.models import User
from audit.access import audit_events_visible_to
from audit.chain import audit_key, entry_hash
from audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from audit.selectors import filter_events
from bench import sql
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement

ORDER = 1000  # last: events point at the rows every other area created
GENERATOR_VERSION = 1
PAGE = 50  # audit.views.PAGE_SIZE
CHUNK = 5000
PROGRESS_EVERY = 250_000

A = AuditEvent.Action
ACTIONS = (
    [A.UPDATE] * 40
    + [A.CREATE] * 18
    + [A.STATE] * 10
    + [A.LOGIN] * 22
    + [A.LOGOUT] * 5
    + [A.LOGIN_FAILED] * 3
    + [A.EXPORT, A.READ]
)
FILTERED_ACTION = A.STATE  # the "filtered by action" scenario: ~10 % of the rows


COLUMNS = [  # attnames, in the order of each inserted row
    "id",
    "timestamp",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "site_id",
    "changes",
    "ip_address",
    "prev_hash",
    "hash",
]


def generate(ctx: GenContext) -> None:
    """`size.audit_events` entries spread evenly over the years and (weighted) over the sites.

    Rows go in with executemany (bulk_create spends most of its time compiling SQL); each
    entry's hash is `audit.chain.entry_hash`, chained from the last entry with consecutive ids,
    and the head is moved to the last entry, as `audit.services.record` does."""
    rng = ctx.rng
    n = ctx.size.audit_events
    names = dict(User.objects.values_list("pk", "username"))
    everyone = list(names)
    site_ids = [s.pk for s in ctx.sites]
    site_number = {pk: i for i, pk in enumerate(site_ids)}
    cum_weights = list(itertools.accumulate(8 if s.is_central else 1 for s in ctx.sites))
    people = {sid: ctx.people_by_site.get(sid) or everyone for sid in site_ids}
    units = {sid: ctx.units_by_site.get(sid) or [0] for sid in site_ids}
    assignments: dict[int, list[int]] = ctx.shared.get("assignments_by_site", {})
    start, span = ctx.start, ctx.now - ctx.start
    ops = connection.ops
    column_of = {f.attname: str(f.column) for f in AuditEvent._meta.concrete_fields}
    columns = [column_of[attname] for attname in COLUMNS]
    insert = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model's own metadata
        ops.quote_name(AuditEvent._meta.db_table),
        ", ".join(ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    key = audit_key()
    with transaction.atomic(), connection.cursor() as cursor:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        last_id, prev = last or (0, GENESIS_HASH)
        made = 0
        while made < n:
            rows: list[tuple[Any, ...]] = []
            for i in range(made, min(n, made + CHUNK)):
                site_id: int = rng.choices(site_ids, cum_weights=cum_weights)[0]
                actor: int = rng.choice(people[site_id])
                action = rng.choice(ACTIONS)
                ip = f"10.{site_number[site_id]}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                otype, oid, orepr, changes = _subject(
                    rng, action, actor, names, people[site_id], units[site_id], assignments.get(site_id, [])
                )
                # A failed login has neither actor nor site (accounts.services.register_login_failure).
                failed = action == A.LOGIN_FAILED
                row_actor, row_site = (None, None) if failed else (actor, site_id)
                label = orepr if failed else names.get(actor, "")
                last_id += 1
                timestamp = start + span * ((i + rng.random()) / n)
                digest = entry_hash(
                    key, (last_id, timestamp, row_actor, label, action, otype, oid, orepr, row_site, changes, ip, prev)
                )
                rows.append(
                    (
                        last_id,
                        ops.adapt_datetimefield_value(timestamp),
                        row_actor,
                        label,
                        action,
                        otype,
                        oid,
                        orepr,
                        row_site,
                        ops.adapt_json_value(changes, None),
                        ops.adapt_ipaddressfield_value(ip),
                        prev,
                        digest,
                    )
                )
                prev = digest
            cursor.executemany(insert, rows)
            made += len(rows)
            if made % PROGRESS_EVERY == 0 and made < n:
                ctx.log(f"    {made:,} of {n:,} audit events…")
        head.last_id = last_id
        head.last_hash = prev
        head.save(update_fields=["last_id", "last_hash"])
    ctx.add("audit events", n)


def _subject(
    rng: random.Random,
    action: str,
    actor: int,
    names: dict[int, str],
    people: list[int],
    units: list[int],
    assignments: list[int],
) -> tuple[str, str, str, dict[str, Any]]:
    """(object_type, object_id, object_repr, changes), shaped like the entries the services write."""
    if action in {A.LOGIN, A.LOGOUT}:
        return "accounts.user", str(actor), names.get(actor, ""), {}
    if action == A.LOGIN_FAILED:
        return "accounts.user", "", names.get(actor, ""), {}
    if action == A.EXPORT:
        return "audit.auditevent", "", "Audit trail export", {"format": rng.choice(["csv", "xlsx"]), "filters": {}}
    kind = rng.random()
    if kind < 0.4 and assignments:
        pk = rng.choice(assignments)
        changes: dict[str, Any] = (
            {"revoked_at": [None, "2024-01-01T00:00:00+00:00"]}
            if action == A.STATE
            else {"role": [None, "reader"], "user": [None, actor]}
        )
        return "accounts.roleassignment", str(pk), f"Rol #{pk}", changes
    if kind < 0.7:
        pk = rng.choice(units)
        changes = {"is_active": [True, False]} if action == A.STATE else {"name": ["Equipo", f"Equipo {pk}"]}
        return "organization.orgunit", str(pk), f"Unidad #{pk}", changes
    pk = rng.choice(people)
    changes = {"is_active": [True, False]} if action == A.STATE else {"position": ["Especialista", "Coordinador"]}
    return "accounts.user", str(pk), names.get(pk, ""), changes


def month_window(ctx: RunContext) -> tuple[datetime.date, datetime.date]:
    """One calendar month about a year back: inside every size's history."""
    first = (ctx.today.replace(day=1) - datetime.timedelta(days=360)).replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


Filters = Callable[[RunContext], dict[str, Any]]


def _list_sql(filters: Filters) -> Callable[[RunContext], list[Statement]]:
    def statements(ctx: RunContext) -> list[Statement]:
        """audit.views.event_list: a period's id bounds (run while filtering), the paginator's COUNT
        and the first page (with the site join)."""
        built: list[Any] = []
        bounds = sql.captured(
            lambda: built.append(filter_events(audit_events_visible_to(ctx.user("cmg")), filters(ctx)))
        )
        qs = built[0]
        return [*bounds, sql.capped_count(qs), sql.select(qs, PAGE)]

    return statements


def _no_filter(ctx: RunContext) -> dict[str, Any]:
    return {}


def _action_filter(ctx: RunContext) -> dict[str, Any]:
    return {"action": FILTERED_ACTION}


def _month_filter(ctx: RunContext) -> dict[str, Any]:
    first, last = month_window(ctx)
    return {"date_from": first, "date_to": last}


def _list_path(filters: Filters) -> Callable[[RunContext], str]:
    def path(ctx: RunContext) -> str:
        query = urlencode({k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in filters(ctx).items()})
        return reverse("audit:event_list") + (f"?{query}" if query else "")

    return path


SCENARIOS = [
    Scenario("audit.list", _list_path(_no_filter), "cmg", sql=_list_sql(_no_filter), note="first page, no filter"),
    Scenario(
        "audit.list.action",
        _list_path(_action_filter),
        "cmg",
        sql=_list_sql(_action_filter),
        note=f"action={FILTERED_ACTION}",
    ),
    Scenario(
        "audit.list.month",
        _list_path(_month_filter),
        "cmg",
        sql=_list_sql(_month_filter),
        note="one month, a year back",
    ),
    Scenario("api.audit-events", "/api/v1/audit-events?limit=50", "cmg", auth="token", sql=_list_sql(_no_filter)),
]
