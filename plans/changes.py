"""The changes a change request proposes (seed §13), as data: a list of operations on the
approved plan, checked when proposed, shown as a diff while the request is reviewed, and applied
exactly as proposed when the Director approves (plans.services.decide_change).

Operations (JSON, as stored in ChangeRequest.changes and sent to the API):

- ``{"op": "reschedule", "activity": "1.1", "planned_start": "2020-05-01", "planned_end": "2020-06-30"}``
- ``{"op": "add_activity", "stage": 1, "code": "1.9", "title": "…", "unit": "UPPM-CMG",
  "planned_start": "…", "planned_end": "…", "sites": ["SC", "UT-CUS"], "products": ["…"]}``
- ``{"op": "cancel_activity", "activity": "1.4"}`` (nothing is deleted: it is cancelled)
- ``{"op": "add_product", "title": "…", "activities": ["1.1", "1.2"]}``
- ``{"op": "budget", "task": 7, "programmed_amount": "25000.00"}`` (a move is two of these)
- ``{"op": "plan_text", "field": "objective" | "scope" | "title", "value": "…"}``
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.limits import date_problem
from core.services import ServiceError
from organization.models import OrgUnit, Site
from plans.models import Plan

OPS = ("reschedule", "add_activity", "cancel_activity", "add_product", "budget", "plan_text")
PLAN_TEXT_FIELDS = ("title", "objective", "scope")
MAX_CHANGES = 500

# Set while an approved change request is applied: the only moment an approved plan changes.
_applying: contextvars.ContextVar[bool] = contextvars.ContextVar("sig_plan_change_applying", default=False)


def applying() -> bool:
    return _applying.get()


@contextmanager
def applying_change() -> Iterator[None]:
    token = _applying.set(True)
    try:
        yield
    finally:
        _applying.reset(token)


def _fail(index: int, message: str) -> ServiceError:
    return ServiceError(_("Change %(n)s: %(problem)s") % {"n": index + 1, "problem": message}, field="changes")


def _date(value: Any, index: int, what: str) -> datetime.date:
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _fail(index, _("%(what)s is not a date (aaaa-mm-dd).") % {"what": what}) from None
    problem = date_problem(day)
    if problem:
        raise _fail(index, problem)
    return day


def _text(op: dict[str, Any], key: str, index: int, limit: int) -> str:
    value = str(op.get(key) or "").strip()
    if not value:
        raise _fail(index, _("“%(key)s” is required.") % {"key": key})
    if len(value) > limit:
        raise _fail(index, _("“%(key)s” has more than %(n)s characters.") % {"key": key, "n": limit})
    return value


def validate(plan: Plan, ops: Any) -> list[dict[str, Any]]:
    """The operations, checked against the plan and normalised (ISO dates, amounts as text);
    a ServiceError on the field "changes" naming the first faulty operation otherwise."""
    if not isinstance(ops, list) or not ops:
        raise ServiceError(_("Say what changes: at least one change to the plan."), field="changes")
    if len(ops) > MAX_CHANGES:
        raise ServiceError(_("At most %(n)s changes per request.") % {"n": MAX_CHANGES}, field="changes")
    activities = {a.code: a for a in plan.activities.all()}
    stages = {s.number: s for s in plan.stages.all()}
    tasks = {t.pk: t for t in plan.budget_tasks.all()}
    new_codes: set[str] = set()
    budget: dict[int, Decimal] = {pk: t.programmed_amount for pk, t in tasks.items()}
    out: list[dict[str, Any]] = []
    for i, op in enumerate(ops):
        if not isinstance(op, dict) or op.get("op") not in OPS:
            raise _fail(i, _("the kind of change must be one of: %(ops)s.") % {"ops": ", ".join(OPS)})
        kind = op["op"]
        if kind in {"reschedule", "cancel_activity"}:
            code = str(op.get("activity") or "")
            activity = activities.get(code)
            if activity is None:
                raise _fail(i, _("the plan has no activity %(code)s.") % {"code": code[:20]})
            if kind == "cancel_activity":
                out.append({"op": kind, "activity": code})
                continue
            start = _date(op.get("planned_start"), i, _("The start"))
            end = _date(op.get("planned_end"), i, _("The end"))
            if end < start:
                raise _fail(i, _("the end date is before the start date."))
            out.append(
                {"op": kind, "activity": code, "planned_start": start.isoformat(), "planned_end": end.isoformat()}
            )
        elif kind == "add_activity":
            stage = op.get("stage")
            if not isinstance(stage, int) or stage not in stages:
                raise _fail(i, _("the plan has no stage %(s)s.") % {"s": str(stage)[:10]})
            code = _text(op, "code", i, 20)
            if code.casefold() in {c.casefold() for c in activities} | {c.casefold() for c in new_codes}:
                raise _fail(i, _("the plan already has an activity with code %(code)s.") % {"code": code})
            new_codes.add(code)
            unit_code = _text(op, "unit", i, 40)
            if not OrgUnit.objects.filter(code__iexact=unit_code, is_active=True).exists():
                raise _fail(i, _("there is no active unit with code %(code)s.") % {"code": unit_code})
            start = _date(op.get("planned_start"), i, _("The start"))
            end = _date(op.get("planned_end"), i, _("The end"))
            if end < start:
                raise _fail(i, _("the end date is before the start date."))
            sites = [str(s) for s in op.get("sites") or []]
            known = set(Site.objects.filter(code__in=sites).values_list("code", flat=True))
            if set(sites) - known:
                raise _fail(i, _("there is no site with code %(code)s.") % {"code": sorted(set(sites) - known)[0][:20]})
            products = [str(p).strip()[:1000] for p in op.get("products") or [] if str(p).strip()]
            out.append(
                {
                    "op": kind,
                    "stage": stage,
                    "code": code,
                    "title": _text(op, "title", i, 1000),
                    "unit": unit_code,
                    "planned_start": start.isoformat(),
                    "planned_end": end.isoformat(),
                    "sites": sorted(set(sites)),
                    "products": products,
                }
            )
        elif kind == "add_product":
            codes = [str(c) for c in op.get("activities") or []]
            unknown = [c for c in codes if c not in activities and c not in new_codes]
            if not codes or unknown:
                raise _fail(i, _("choose activities of the plan for the product."))
            out.append({"op": kind, "title": _text(op, "title", i, 1000), "activities": codes})
        elif kind == "budget":
            task = op.get("task")
            if not isinstance(task, int) or task not in tasks:
                raise _fail(i, _("the plan has no budget task %(t)s.") % {"t": str(task)[:10]})
            try:
                amount = Decimal(str(op.get("programmed_amount")))
            except (InvalidOperation, ValueError):
                raise _fail(i, _("enter an amount such as 1250.50.")) from None
            if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > 10**12:
                raise _fail(i, _("enter an amount such as 1250.50."))
            if amount < tasks[task].executed_amount:
                raise _fail(i, _("the task has already executed more than that amount."))
            budget[task] = amount
            out.append({"op": kind, "task": task, "programmed_amount": f"{amount:.2f}"})
        else:  # plan_text
            field = op.get("field")
            if field not in PLAN_TEXT_FIELDS:
                raise _fail(i, _("the plan's text fields are: %(f)s.") % {"f": ", ".join(PLAN_TEXT_FIELDS)})
            out.append(
                {
                    "op": kind,
                    "field": field,
                    "value": _text(op, "value", i, settings.SIG_MAX_TEXT if field != "title" else 300),
                }
            )
    if sum(budget.values(), Decimal("0")) > plan.budget_amount:
        raise ServiceError(
            _("Over-commitment: the tasks would program S/ %(t)s of a budget of S/ %(b)s.")
            % {"t": f"{sum(budget.values(), Decimal('0')):,.2f}", "b": f"{plan.budget_amount:,.2f}"},
            field="changes",
        )
    return out


@dataclass(frozen=True)
class DiffRow:
    kind: str  # the op
    label: str
    what: str
    before: str
    after: str


def _day(value: Any) -> str:
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    return date_format(day, "SHORT_DATE_FORMAT")


@dataclass
class PlanState:
    """The plan's activities and budget tasks, read once to describe many requests."""

    activities: dict[str, Any]
    tasks: dict[int, Any]

    @classmethod
    def of(cls, plan: Plan) -> PlanState:
        return cls({a.code: a for a in plan.activities.all()}, {t.pk: t for t in plan.budget_tasks.all()})


def describe(plan: Plan, ops: list[dict[str, Any]], state: PlanState | None = None) -> list[DiffRow]:
    """The diff shown on the plan and the request's page: what each change does, before → after."""
    if not ops:
        return []
    state = state or PlanState.of(plan)
    activities, tasks = state.activities, state.tasks
    rows: list[DiffRow] = []
    for op in ops:
        kind = op.get("op", "")
        activity = activities.get(str(op.get("activity", "")))
        if kind == "reschedule" and activity is not None:
            rows.append(
                DiffRow(
                    kind,
                    _("New dates"),
                    f"{activity.code} {activity.title[:80]}",
                    f"{_day(activity.planned_start)} – {_day(activity.planned_end)}",
                    f"{_day(op['planned_start'])} – {_day(op['planned_end'])}",
                )
            )
        elif kind == "cancel_activity" and activity is not None:
            rows.append(
                DiffRow(
                    kind,
                    _("Activity removed"),
                    f"{activity.code} {activity.title[:80]}",
                    _("in the plan"),
                    _("cancelled"),
                )
            )
        elif kind == "add_activity":
            sites = ", ".join(op.get("sites") or []) or "—"
            rows.append(
                DiffRow(
                    kind,
                    _("New activity"),
                    f"{op['code']} {op['title'][:80]}",
                    "—",
                    f"{op['unit']} · {_day(op['planned_start'])} – {_day(op['planned_end'])} · {sites}",
                )
            )
            for product in op.get("products") or []:
                rows.append(DiffRow("add_product", _("New product"), product[:100], "—", op["code"]))
        elif kind == "add_product":
            rows.append(DiffRow(kind, _("New product"), op["title"][:100], "—", ", ".join(op["activities"])))
        elif kind == "budget" and op.get("task") in tasks:
            task = tasks[op["task"]]
            rows.append(
                DiffRow(
                    kind,
                    _("Budget"),
                    task.title[:100],
                    f"S/ {task.programmed_amount:,.2f}",
                    f"S/ {Decimal(op['programmed_amount']):,.2f}",
                )
            )
        elif kind == "plan_text":
            field = str(op.get("field"))
            rows.append(
                DiffRow(kind, _("Plan text"), field, str(getattr(plan, field, ""))[:120], str(op["value"])[:120])
            )
    return rows


def summary(plan: Plan, ops: list[dict[str, Any]]) -> str:
    """One line per change, for the §15 change-control row ("Textos modificados")."""
    return "\n".join(f"{r.label}: {r.what} ({r.before} → {r.after})" for r in describe(plan, ops))
