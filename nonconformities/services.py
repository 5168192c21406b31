"""The only way a nonconformity changes: each service checks who may (nonconformities.access,
the workflow table), owns its transaction, writes the audit entry and tells the next people."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import ActionItem
from actions.services import create_action
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from core.notifications import notify
from core.services import ServiceError, lock
from nonconformities import counts, workflows
from nonconformities.access import is_keeper, require_raise
from nonconformities.models import ACTION_KIND, MAX_WHYS, EffectivenessCheck, Nonconformity

FIELDS = [
    "code",
    "source",
    "source_reference",
    "grade",
    "title",
    "description",
    "site",
    "unit",
    "process",
    "detected_on",
]
MAX_LINE = 1000


def _next_code(year: int) -> str:
    prefix = f"NC-{year}-"
    taken = set(Nonconformity.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:04d}" in taken:
        n += 1
    return f"{prefix}{n:04d}"


def _tell_next(nc: Nonconformity, by: Any, subject: Any) -> None:
    people = workflows.NC.next_actors(nc)
    if people:
        notify(
            people,
            subject,
            gettext_lazy("%(code)s · %(title)s — now %(status)s."),
            link=nc.get_absolute_url(),
            actor=by,
            code=nc.code,
            title=nc.title[:120],
            status=nc.get_status_display(),
        )


@transaction.atomic
def raise_nc(
    *, data: dict[str, Any], by: Any, origin: models.Model | None = None, requirements: Any = ()
) -> Nonconformity:
    """Record a nonconformity (from any source; `origin` is the record it comes from)."""
    site = data.get("site")
    if site is None:
        raise ServiceError(_("Choose the site (Sede Central or UT)."), field="site")
    require_raise(by, site.pk)
    for name in ("title", "description"):
        if not str(data.get(name) or "").strip():
            raise ServiceError(_("This field is required."), field=name)
    detected = data.get("detected_on") or timezone.localdate()
    if detected > timezone.localdate():
        raise ServiceError(_("The detection date cannot be in the future."), field="detected_on")
    unit = data.get("unit")
    if unit is not None and site.pk != unit.site_id and not site.is_central:
        raise ServiceError(_("The unit does not belong to the site."), field="unit")
    nc = Nonconformity(
        code=_next_code(detected.year),
        source=data.get("source") or Nonconformity.Source.SELF,
        source_reference=data.get("source_reference") or "",
        grade=data.get("grade") or Nonconformity.Grade.MINOR,
        title=data["title"],
        description=data["description"],
        site=site,
        unit=unit,
        process=data.get("process"),
        detected_on=detected,
        raised_by=by,
    )
    if origin is not None:
        from django.contrib.contenttypes.models import ContentType

        nc.origin_type = ContentType.objects.get_for_model(origin)
        nc.origin_id = origin.pk
    nc.full_clean()
    nc.save()
    counts.move(nc.site_id, None, nc.status)
    reqs = list(requirements or data.get("requirements") or [])
    if reqs:
        nc.requirements.set(reqs)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=nc,
        changes={**diff({}, snapshot(nc, FIELDS)), "requirements": [None, sorted(r.pk for r in reqs)]},
    )
    _tell_next(nc, by, gettext_lazy("Nonconformity raised: %(code)s"))
    return nc


def _require_keeper(nc: Nonconformity, by: Any) -> None:
    if not is_keeper(by, nc):
        raise PermissionDenied


ANALYSIS_OPEN = (Nonconformity.Status.OPEN, Nonconformity.Status.ANALYSIS)


@transaction.atomic
def record_correction(nc: Nonconformity, *, correction: str, on: datetime.date | None, by: Any) -> Nonconformity:
    """The immediate correction (possible before the analysis)."""
    lock(nc)
    _require_keeper(nc, by)
    if nc.status not in ANALYSIS_OPEN:
        raise ServiceError(_("The correction is recorded before the action plan is approved."), field="correction")
    if not correction.strip():
        raise ServiceError(_("Describe the correction."), field="correction")
    on = on or timezone.localdate()
    if on < nc.detected_on:
        raise ServiceError(_("The correction cannot be before the nonconformity was detected."), field="correction_on")
    if on > timezone.localdate():
        raise ServiceError(_("The correction date cannot be in the future."), field="correction_on")
    before = snapshot(nc, ["correction", "correction_on"])
    nc.correction, nc.correction_on = correction, on
    nc.save(update_fields=["correction", "correction_on"])
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=nc,
        changes=diff(before, snapshot(nc, ["correction", "correction_on"])),
    )
    return nc


def _clean_whys(whys: Any) -> list[str]:
    if not isinstance(whys, list | tuple):
        raise ServiceError(_("Give the whys as a list."), field="whys")
    out = [str(w).strip() for w in whys if str(w).strip()]
    if len(out) > MAX_WHYS:
        raise ServiceError(_("At most five whys."), field="whys")
    if any(len(w) > MAX_LINE for w in out):
        raise ServiceError(_("Each why has at most 1000 characters."), field="whys")
    return out


def _clean_ishikawa(causes: Any) -> dict[str, str]:
    if not isinstance(causes, dict):
        raise ServiceError(_("Give the causes by Ishikawa category."), field="ishikawa")
    unknown = set(causes) - set(Nonconformity.Category.values)
    if unknown:
        raise ServiceError(
            _("Unknown Ishikawa category: %(c)s.") % {"c": ", ".join(sorted(str(u) for u in unknown))[:200]},
            field="ishikawa",
        )
    out = {k: str(v).strip() for k, v in causes.items() if str(v).strip()}
    if any(len(v) > MAX_LINE for v in out.values()):
        raise ServiceError(_("Each cause has at most 1000 characters."), field="ishikawa")
    return out


@transaction.atomic
def record_analysis(
    nc: Nonconformity, *, whys: Any = (), ishikawa: Any = None, root_cause: str = "", by: Any
) -> Nonconformity:
    """The root-cause analysis: 5 whys and/or Ishikawa causes, and the root cause. An open NC
    moves into analysis."""
    lock(nc)
    _require_keeper(nc, by)
    if nc.status not in ANALYSIS_OPEN:
        raise ServiceError(_("The analysis can change only before the action plan is approved."), field="root_cause")
    clean_whys = _clean_whys(list(whys or []))
    clean_causes = _clean_ishikawa(ishikawa or {})
    if not root_cause.strip():
        raise ServiceError(_("State the root cause the analysis arrived at."), field="root_cause")
    if not clean_whys and not clean_causes:
        raise ServiceError(_("Give at least one why or one Ishikawa cause."), field="whys")
    fields = ["whys", "ishikawa", "root_cause"]
    before = snapshot(nc, fields)
    nc.whys, nc.ishikawa, nc.root_cause = clean_whys, clean_causes, root_cause.strip()
    nc.save(update_fields=fields)
    record(actor=by, action=AuditEvent.Action.UPDATE, obj=nc, changes=diff(before, snapshot(nc, fields)))
    if nc.status == Nonconformity.Status.OPEN:
        _step(nc, "analyse", by)
    return nc


@transaction.atomic
def propose_action(
    nc: Nonconformity,
    *,
    title: str,
    due_date: datetime.date | None,
    by: Any,
    responsible: Any = None,
) -> ActionItem:
    """A corrective or improvement action of the plan, followed in the shared action tracker
    (owner, due date, evidence); it escalates there when overdue."""
    lock(nc)
    _require_keeper(nc, by)
    if nc.status not in ANALYSIS_OPEN:
        raise ServiceError(_("Actions are added to the plan before it is approved."), field="title")
    if due_date is None:
        raise ServiceError(_("Give the action a due date."), field="due_date")
    if due_date < nc.detected_on:
        raise ServiceError(_("The due date is before the nonconformity was detected."), field="due_date")
    if responsible is not None:
        from core.access import get_scope

        if not get_scope(responsible).can_write_site(nc.site_id):
            raise ServiceError(_("The person responsible must work at the NC's site."), field="responsible")
    count = workflows.actions_of(nc).count()
    return create_action(
        kind=ACTION_KIND,
        source=nc,
        title=title,
        site=nc.site,
        by=by,
        responsible=responsible,
        responsible_unit=nc.unit or getattr(responsible, "unit", None),
        due_date=due_date,
        number=f"{nc.code}-A{count + 1}",
        evidence_required=True,
    )


def _step(nc: Nonconformity, action: str, by: Any) -> Nonconformity:
    t = workflows.NC.check(by, nc, action)
    old = nc.status
    nc.status = t.target
    fields = ["status"]
    if action == "approve_plan":
        nc.plan_approved_by, nc.plan_approved_on = by, timezone.localdate()
        fields += ["plan_approved_by", "plan_approved_on"]
    nc.save(update_fields=fields)
    counts.move(nc.site_id, old, nc.status)
    record(
        actor=by, action=AuditEvent.Action.STATE, obj=nc, changes={"status": [old, nc.status], "action": [None, action]}
    )
    _tell_next(nc, by, gettext_lazy("Nonconformity %(code)s: your turn"))
    return nc


@transaction.atomic
def take_step(nc: Nonconformity, *, action: str, by: Any) -> Nonconformity:
    """One step of the workflow table. Closing or reopening goes through verify_effectiveness."""
    lock(nc)
    if action in workflows.VERIFICATION:
        workflows.NC.check(by, nc, action)  # state and permission first
        raise ServiceError(
            _("Closing needs the effectiveness verification: give its rating and basis."), field="rating"
        )
    return _step(nc, action, by)


@transaction.atomic
def verify_effectiveness(
    nc: Nonconformity, *, rating: str, note: str, by: Any, on: datetime.date | None = None
) -> EffectivenessCheck:
    """The verification of the actions' effectiveness, by a verifier who owns none of them: an
    effective rating closes the NC, any other reopens it for a new analysis."""
    lock(nc)
    if rating not in EffectivenessCheck.Rating.values:
        raise ServiceError(_("Choose a rating."), field="rating")
    effective = rating == EffectivenessCheck.Rating.EFFECTIVE
    workflows.NC.check(by, nc, "close" if effective else "reopen")
    if not note.strip():
        raise ServiceError(_("Say on what evidence the effectiveness was judged."), field="note")
    check = EffectivenessCheck.objects.create(
        nonconformity=nc, rating=rating, note=note, verified_by=by, verified_on=on or timezone.localdate()
    )
    record(
        actor=by, action=AuditEvent.Action.CREATE, obj=check, changes={"rating": [None, rating], "note": [None, note]}
    )
    old = nc.status
    if effective:
        nc.status, nc.closed_on = Nonconformity.Status.CLOSED, check.verified_on
        nc.save(update_fields=["status", "closed_on"])
    else:
        nc.status, nc.reopened = Nonconformity.Status.ANALYSIS, nc.reopened + 1
        nc.save(update_fields=["status", "reopened"])
    counts.move(nc.site_id, old, nc.status)
    record(
        actor=by, action=AuditEvent.Action.STATE, obj=nc, changes={"status": [old, nc.status], "rating": [None, rating]}
    )
    _tell_next(nc, by, gettext_lazy("Nonconformity %(code)s reopened: not effective"))
    return check
