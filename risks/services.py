"""The only way risk data changes: each service checks permission, owns the transaction and
writes the audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionItem
from actions.services import create_action
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from core.access import get_scope
from core.services import ServiceError, lock, require_unique_code
from risks import access
from risks.method import MethodDefinition, MethodError
from risks.models import Control, Evaluation, Risk, RiskMethod

TREATMENT_KIND = "risk_treatment"
RISK_FIELDS = [
    "code",
    "title",
    "kind",
    "lens_quality",
    "lens_bribery",
    "lens_security",
    "process",
    "site",
    "cause",
    "event",
    "consequence",
    "owner",
    "next_review_on",
]
CONTROL_FIELDS = [
    "code",
    "name",
    "description",
    "type",
    "owner",
    "frequency",
    "evidence",
    "last_tested_on",
    "last_test_result",
    "is_active",
]
MAX_ACCEPTANCE_DAYS = 3 * 366


# --- methods ---------------------------------------------------------------------------------


def _definition(data: Any) -> MethodDefinition:
    try:
        return MethodDefinition.from_dict(data)
    except MethodError as exc:
        raise ServiceError(f"{exc.key}: {exc.message}", field="definition") from None


@transaction.atomic
def load_method(*, definition: Any, by: Any) -> RiskMethod:
    """A method from its file: a new version of the method with that code (version 1 when new).
    The previous version stays for the risks assessed with it and ends the day before."""
    if not access.can_keep_methods(by):
        raise PermissionDenied
    spec = _definition(definition)
    previous = RiskMethod.objects.select_for_update().filter(code__iexact=spec.code).order_by("-version").first()
    version = (previous.version + 1) if previous is not None else 1
    if previous is not None and spec.effective_from <= previous.effective_from:
        raise ServiceError(
            _("A new version must take effect after the previous one (%(d)s).")
            % {"d": previous.effective_from.strftime("%d/%m/%Y")},
            field="effective_from",
        )
    method = RiskMethod.objects.create(
        code=previous.code if previous is not None else spec.code,
        version=version,
        name=spec.name,
        description=spec.description,
        effective_from=spec.effective_from,
        definition=spec.to_dict(),
        created_by=by,
    )
    if previous is not None:
        old = previous.effective_to
        previous.effective_to = spec.effective_from - datetime.timedelta(days=1)
        previous.is_active = False
        previous.save(update_fields=["effective_to", "is_active"])
        record(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            obj=previous,
            changes={"effective_to": [old, previous.effective_to], "is_active": [True, False]},
        )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=method,
        changes={"code": [None, method.code], "version": [None, version], "definition": [None, method.definition]},
    )
    return method


@transaction.atomic
def copy_method(method: RiskMethod, *, code: str, name: str, by: Any) -> RiskMethod:
    """A new method (version 1) starting from another's definition."""
    if RiskMethod.objects.filter(code__iexact=code).exists():
        raise ServiceError(_("A method with that code already exists."), field="code")
    definition = {**method.definition, "code": code, "name": name}
    return load_method(definition=definition, by=by)


def current_method() -> RiskMethod | None:
    """The method new risks are assessed with: the latest active version in effect today."""
    today = timezone.localdate()
    return (
        RiskMethod.objects.filter(is_active=True, effective_from__lte=today).order_by("-effective_from", "-pk").first()
    )


@transaction.atomic
def move_to_method(
    risk: Risk,
    *,
    method: RiskMethod,
    probability_map: dict[int, int],
    impact_map: dict[int, int],
    by: Any,
) -> Risk:
    """Move a risk to another method, mapping its scores explicitly (old value → new value on
    each axis); its latest evaluations are re-recorded under the new method (trigger: method)."""
    if not access.can_edit_risk(by, risk):
        raise PermissionDenied
    lock(risk)
    old_method = risk.method
    if method.pk == old_method.pk:
        raise ServiceError(_("The risk already uses that method."), field="method")
    spec = method.spec
    for name, mapping, old_values, new_values in (
        ("probability_map", probability_map, old_method.spec.probability_values(), spec.probability_values()),
        ("impact_map", impact_map, old_method.spec.impact_values(), spec.impact_values()),
    ):
        missing = [v for v in old_values if v not in mapping]
        if missing:
            raise ServiceError(_("Map every old value (missing: %(v)s).") % {"v": missing}, field=name)
        wrong = [v for v in mapping.values() if v not in new_values]
        if wrong:
            raise ServiceError(_("Values not on the new scale: %(v)s.") % {"v": wrong}, field=name)
    risk.method = method
    risk.save(update_fields=["method"])
    record(actor=by, action=AuditEvent.Action.UPDATE, obj=risk, changes={"method": [old_method.pk, method.pk]})
    for kind in (Evaluation.Kind.INHERENT, Evaluation.Kind.RESIDUAL):
        p, i = getattr(risk, f"{kind}_probability"), getattr(risk, f"{kind}_impact")
        if p is None or i is None:
            continue
        evaluate(
            risk,
            kind=kind,
            probability=probability_map[p],
            impact=impact_map[i],
            trigger=Evaluation.Trigger.METHOD,
            justification=_("Moved from %(m)s.") % {"m": str(old_method)},
            by=by,
            _moving=True,
        )
    return risk


# --- controls --------------------------------------------------------------------------------


@transaction.atomic
def create_control(*, data: dict[str, Any], by: Any) -> Control:
    if not access.can_keep_controls(by):
        raise PermissionDenied
    control = Control(**{k: data[k] for k in CONTROL_FIELDS if k in data})
    require_unique_code(control)
    control.full_clean()
    control.save()
    if data.get("annex_controls"):
        control.annex_controls.set(data["annex_controls"])
    record(actor=by, action=AuditEvent.Action.CREATE, obj=control, changes=diff({}, snapshot(control, CONTROL_FIELDS)))
    return control


@transaction.atomic
def update_control(control: Control, *, data: dict[str, Any], by: Any) -> Control:
    if not access.can_keep_controls(by):
        raise PermissionDenied
    before = snapshot(control, CONTROL_FIELDS)
    for name in CONTROL_FIELDS:
        if name in data:
            setattr(control, name, data[name])
    require_unique_code(control)
    control.full_clean()
    control.save()
    changes = diff(before, snapshot(control, CONTROL_FIELDS))
    if "annex_controls" in data:
        old = sorted(control.annex_controls.values_list("pk", flat=True))
        new = sorted(r.pk for r in data["annex_controls"])
        if old != new:
            control.annex_controls.set(data["annex_controls"])
            changes["annex_controls"] = [old, new]
    if changes:
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=control, changes=changes)
    return control


# --- risks -----------------------------------------------------------------------------------


def _check_risk(risk: Risk, by: Any) -> None:
    if not (risk.lens_quality or risk.lens_bribery or risk.lens_security):
        raise ServiceError(_("Choose at least one lens."), field="lenses")
    sites = access.writable_site_ids(by)
    if sites is not None and risk.site_id not in sites:
        raise ServiceError(_("You may register risks only for your own unit."), field="site")
    if risk.owner_id is not None and not risk.owner.is_active:
        raise ServiceError(_("The owner's account is not active."), field="owner")
    require_unique_code(risk)


def _set_links(risk: Risk, data: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in ("requirements", "controls"):
        if name in data:
            old = sorted(getattr(risk, name).values_list("pk", flat=True))
            new = sorted(obj.pk for obj in data[name])
            if old != new:
                getattr(risk, name).set(data[name])
                changes[name] = [old, new]
    return changes


@transaction.atomic
def create_risk(*, data: dict[str, Any], by: Any) -> Risk:
    if not access.can_register_risks(by):
        raise PermissionDenied
    method = data.get("method") or current_method()
    if method is None:
        raise ServiceError(_("Load a risk method first."), field="method")
    risk = Risk(
        method=method,
        created_by=by,
        **{k: data[k] for k in RISK_FIELDS if k in data and data[k] is not None},
    )
    if risk.kind == Risk.Kind.OPPORTUNITY and data.get("treatment") == Risk.Treatment.AVOID:
        raise ServiceError(_("An opportunity is exploited, accepted or shared, not avoided."), field="treatment")
    _check_risk(risk, by)
    risk.full_clean()
    risk.save()
    links = _set_links(risk, data)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=risk,
        changes={**diff({}, snapshot(risk, [*RISK_FIELDS, "method"])), **links},
    )
    return risk


@transaction.atomic
def update_risk(risk: Risk, *, data: dict[str, Any], by: Any) -> Risk:
    if not access.can_edit_risk(by, risk):
        raise PermissionDenied
    lock(risk)
    fields = [f for f in RISK_FIELDS if f in data]
    before = snapshot(risk, fields)
    for name in fields:
        setattr(risk, name, data[name])
    _check_risk(risk, by)
    risk.full_clean()
    risk.save()
    changes = {**diff(before, snapshot(risk, fields)), **_set_links(risk, data)}
    if changes:
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=risk, changes=changes)
    return risk


@transaction.atomic
def evaluate(
    risk: Risk,
    *,
    kind: str,
    probability: int,
    impact: int,
    trigger: str,
    by: Any,
    justification: str = "",
    on: datetime.date | None = None,
    _moving: bool = False,
) -> Evaluation:
    """An inherent or residual evaluation with the risk's method. A residual evaluation needs an
    inherent one first, and a residual score above the inherent needs a justification."""
    if not _moving and not access.can_edit_risk(by, risk):
        raise PermissionDenied
    lock(risk)
    if kind not in Evaluation.Kind.values:
        raise ServiceError(_("Unknown kind of evaluation."), field="kind")
    if trigger not in Evaluation.Trigger.values:
        raise ServiceError(_("Say what triggered this review."), field="trigger")
    spec = risk.method.spec
    if probability not in spec.probability_values():
        raise ServiceError(
            _("The probability must be one of the method's values: %(v)s.") % {"v": spec.probability_values()},
            field="probability",
        )
    if impact not in spec.impact_values():
        raise ServiceError(
            _("The impact must be one of the method's values: %(v)s.") % {"v": spec.impact_values()},
            field="impact",
        )
    score = probability * impact
    if kind == Evaluation.Kind.RESIDUAL:
        if risk.inherent_score is None:
            raise ServiceError(_("Evaluate the inherent risk first."), field="kind")
        if score > risk.inherent_score and not justification.strip():
            raise ServiceError(
                _("The residual score (%(r)d) is above the inherent (%(i)d): justify it.")
                % {"r": score, "i": risk.inherent_score},
                field="justification",
            )
    level = spec.level_for(score)
    evaluation = Evaluation.objects.create(
        risk=risk,
        kind=kind,
        method=risk.method,
        probability=probability,
        impact=impact,
        score=score,
        level=level.code,
        trigger=trigger,
        justification=justification,
        evaluated_on=on or timezone.localdate(),
        evaluated_by=by,
    )
    fields = [f"{kind}_probability", f"{kind}_impact", f"{kind}_score", f"{kind}_level"]
    before = snapshot(risk, [*fields, "status"])
    for name, value in zip(fields, (probability, impact, score, level.code), strict=True):
        setattr(risk, name, value)
    if risk.status == Risk.Status.IDENTIFIED:
        risk.status = Risk.Status.ASSESSED
    if kind == Evaluation.Kind.RESIDUAL and risk.accepted_on is not None and not _moving:
        # a new residual evaluation needs a new acceptance
        risk.accepted_on = risk.acceptance_expires_on = None
        risk.accepted_by = None
        if risk.status == Risk.Status.ACCEPTED:
            risk.status = Risk.Status.ASSESSED
        fields += ["accepted_on", "acceptance_expires_on", "accepted_by"]
    risk.save(update_fields=[*fields, "status"])
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=evaluation,
        changes={
            "kind": [None, kind],
            "probability": [None, probability],
            "impact": [None, impact],
            "score": [None, score],
            "trigger": [None, trigger],
            "justification": [None, justification],
        },
    )
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=risk,
        changes=diff(before, snapshot(risk, [*fields[:4], "status"])),
    )
    return evaluation


@transaction.atomic
def decide_treatment(risk: Risk, *, treatment: str, rationale: str, by: Any) -> Risk:
    if not access.can_edit_risk(by, risk):
        raise PermissionDenied
    lock(risk)
    if treatment not in Risk.Treatment.values or not treatment:
        raise ServiceError(_("Choose a treatment."), field="treatment")
    if risk.inherent_score is None:
        raise ServiceError(_("Evaluate the inherent risk first."), field="treatment")
    if risk.kind == Risk.Kind.OPPORTUNITY and treatment == Risk.Treatment.AVOID:
        raise ServiceError(_("An opportunity is exploited, accepted or shared, not avoided."), field="treatment")
    if risk.kind == Risk.Kind.RISK and treatment == Risk.Treatment.EXPLOIT:
        raise ServiceError(_("Only an opportunity is exploited."), field="treatment")
    if treatment != Risk.Treatment.ACCEPT and not rationale.strip():
        raise ServiceError(_("Explain the treatment decision."), field="rationale")
    before = snapshot(risk, ["treatment", "treatment_rationale", "status"])
    risk.treatment, risk.treatment_rationale = treatment, rationale
    if treatment in (Risk.Treatment.REDUCE, Risk.Treatment.AVOID, Risk.Treatment.TRANSFER, Risk.Treatment.EXPLOIT):
        if risk.status in (Risk.Status.IDENTIFIED, Risk.Status.ASSESSED):
            risk.status = Risk.Status.TREATMENT
    risk.save(update_fields=["treatment", "treatment_rationale", "status"])
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=risk,
        changes=diff(before, snapshot(risk, ["treatment", "treatment_rationale", "status"])),
    )
    return risk


@transaction.atomic
def add_treatment_action(
    risk: Risk, *, title: str, responsible: Any, due_date: datetime.date | None, by: Any
) -> ActionItem:
    """A treatment action, followed up in the shared tracker (kind risk_treatment)."""
    if not access.can_edit_risk(by, risk):
        raise PermissionDenied
    lock(risk)
    if due_date is not None and due_date < timezone.localdate() - datetime.timedelta(days=3650):
        raise ServiceError(_("The due date is too far in the past."), field="due_date")
    if responsible is not None and not get_scope(responsible).can_see_site(risk.site_id):
        raise ServiceError(_("The person responsible cannot see this risk's unit."), field="responsible")
    from actions.services import items_for

    count = items_for(risk).filter(kind=TREATMENT_KIND).count()
    item = create_action(
        kind=TREATMENT_KIND,
        source=risk,
        title=title,
        site=risk.site,
        by=by,
        responsible=responsible,
        responsible_unit=getattr(responsible, "unit", None),
        due_date=due_date,
        number=f"{risk.code}-T{count + 1:02d}",
        evidence_required=False,
    )
    before = snapshot(risk, ["status", "treatment"])
    if risk.status in (Risk.Status.IDENTIFIED, Risk.Status.ASSESSED):
        risk.status = Risk.Status.TREATMENT
    if not risk.treatment:  # acting on a risk is deciding to treat it
        risk.treatment = Risk.Treatment.EXPLOIT if risk.kind == Risk.Kind.OPPORTUNITY else Risk.Treatment.REDUCE
    changes = diff(before, snapshot(risk, ["status", "treatment"]))
    if changes:
        risk.save(update_fields=list(changes))
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=risk, changes=changes)
    return item


@transaction.atomic
def accept_residual(
    risk: Risk, *, expires_on: datetime.date, note: str, by: Any, on: datetime.date | None = None
) -> Risk:
    """The owner of the risk, and only they, accepts its residual risk until `expires_on`; the
    residual score must not exceed the method's tolerance."""
    lock(risk)
    today = on or timezone.localdate()
    if risk.owner_id != getattr(by, "pk", None):
        raise ServiceError(_("Only the owner of the risk (%(o)s) accepts it.") % {"o": risk.owner}, field="owner")
    if not get_scope(by).can_write_site(risk.site_id):
        raise PermissionDenied
    if risk.residual_score is None:
        raise ServiceError(_("Evaluate the residual risk first."), field="residual")
    tolerance = risk.method.spec.tolerance
    if risk.residual_score > tolerance:
        raise ServiceError(
            _("The residual score (%(s)d) exceeds the method's tolerance (%(t)d): it must be treated.")
            % {"s": risk.residual_score, "t": tolerance},
            field="residual",
        )
    if expires_on <= today:
        raise ServiceError(_("The acceptance must expire after today."), field="expires_on")
    if expires_on > today + datetime.timedelta(days=MAX_ACCEPTANCE_DAYS):
        raise ServiceError(_("An acceptance lasts at most three years."), field="expires_on")
    fields = ["accepted_by", "accepted_on", "acceptance_expires_on", "acceptance_note", "status"]
    before = snapshot(risk, fields)
    risk.accepted_by, risk.accepted_on, risk.acceptance_expires_on = by, today, expires_on
    risk.acceptance_note = note
    risk.status = Risk.Status.ACCEPTED
    risk.save(update_fields=fields)
    record(actor=by, action=AuditEvent.Action.STATE, obj=risk, changes=diff(before, snapshot(risk, fields)))
    return risk


@transaction.atomic
def import_risks(*, rows: list[dict[str, Any]], method: RiskMethod, by: Any, source: str = "") -> list[Risk]:
    """Register many risks at once (the matrix import): the same rules as create_risk and
    evaluate, checked for every row before anything is written, then written in bulk, with one
    audit entry for the import naming every risk it created. Each row holds the create_risk
    data plus optional "inherent" and "residual" (probability, impact) and "justification"."""
    from audit.services import Subject

    if not access.can_register_risks(by):
        raise PermissionDenied
    spec = method.spec
    sites = access.writable_site_ids(by)
    codes = [row["code"].casefold() for row in rows]
    if len(set(codes)) != len(codes):
        raise ServiceError(_("The file repeats a code."), field="code")
    taken = set(Risk.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True)) | {
        c for c in Risk.objects.values_list("code", flat=True) if c.casefold() in set(codes)
    }
    today = timezone.localdate()
    risks: list[Risk] = []
    for row in rows:
        if row["code"].casefold() in taken:
            raise ServiceError(
                _("Another record already has the code %(code)s (codes are compared ignoring case).")
                % {"code": row["code"]},
                field="code",
            )
        if not any(row.get(f"lens_{lens}") for lens in Risk.Lens.values):
            raise ServiceError(_("Choose at least one lens."), field="lenses")
        if sites is not None and row["site"].pk not in sites:
            raise ServiceError(_("You may register risks only for your own unit."), field="site")
        risk = Risk(
            method=method,
            created_by=by,
            status=Risk.Status.IDENTIFIED,
            **{k: row[k] for k in RISK_FIELDS if k in row and row[k] is not None},
        )
        for kind in ("inherent", "residual"):
            pair = row.get(kind)
            if pair is None:
                continue
            p, i = pair
            if p not in spec.probability_values():
                raise ServiceError(
                    _("The probability must be one of the method's values: %(v)s.") % {"v": spec.probability_values()},
                    field="probability",
                )
            if i not in spec.impact_values():
                raise ServiceError(
                    _("The impact must be one of the method's values: %(v)s.") % {"v": spec.impact_values()},
                    field="impact",
                )
            setattr(risk, f"{kind}_probability", p)
            setattr(risk, f"{kind}_impact", i)
            setattr(risk, f"{kind}_score", p * i)
            setattr(risk, f"{kind}_level", spec.level_for(p * i).code)
            risk.status = Risk.Status.ASSESSED
        if risk.residual_score is not None:
            if risk.inherent_score is None:
                raise ServiceError(_("Evaluate the inherent risk first."), field="kind")
            if risk.residual_score > risk.inherent_score and not (row.get("justification") or "").strip():
                raise ServiceError(
                    _("The residual score (%(r)d) is above the inherent (%(i)d): justify it.")
                    % {"r": risk.residual_score, "i": risk.inherent_score},
                    field="justification",
                )
        risks.append(risk)
    Risk.objects.bulk_create(risks, batch_size=1000)
    evaluations = []
    through = []
    for risk, row in zip(risks, rows, strict=True):
        for kind in ("inherent", "residual"):
            if getattr(risk, f"{kind}_score") is None:
                continue
            evaluations.append(
                Evaluation(
                    risk=risk,
                    kind=kind,
                    method=method,
                    probability=getattr(risk, f"{kind}_probability"),
                    impact=getattr(risk, f"{kind}_impact"),
                    score=getattr(risk, f"{kind}_score"),
                    level=getattr(risk, f"{kind}_level"),
                    trigger=Evaluation.Trigger.INFORMATION,
                    justification=(row.get("justification") or "") if kind == "residual" else "",
                    evaluated_on=today,
                    evaluated_by=by,
                )
            )
        through += [Risk.controls.through(risk_id=risk.pk, control_id=c.pk) for c in row.get("controls") or []]
    Evaluation.objects.bulk_create(evaluations, batch_size=1000)
    Risk.controls.through.objects.bulk_create(through, batch_size=1000)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=Subject("risks.risk", "", f"Importación de matriz de riesgos ({len(risks)})"),
        changes={
            "import": source,
            "method": method.pk,
            "risks": [[r.pk, r.code, r.site_id] for r in risks],
            "evaluations": len(evaluations),
        },
    )
    return risks
