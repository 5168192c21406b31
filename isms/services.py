"""The only way SGSI records change (permission, transaction, audit entry)."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from catalog.models import Edition, Requirement, RequirementMapping
from core.services import ServiceError, lock, require_unique_code
from isms import access
from isms.models import Asset, Incident, Soa, SoaEntry

ASSET_FIELDS = [
    "code",
    "name",
    "type",
    "description",
    "owner",
    "location",
    "process",
    "classification",
    "confidentiality",
    "integrity",
    "availability",
    "in_scope",
]
ANNEX_EDITIONS = ("ISO/IEC 27001:2013", "ISO/IEC 27001:2022")


# --- assets ----------------------------------------------------------------------------------


def _check_asset(asset: Asset) -> None:
    for name in ("confidentiality", "integrity", "availability"):
        value = getattr(asset, name)
        if value is None or not 1 <= value <= 3:
            raise ServiceError(_("Value it from 1 (low) to 3 (high)."), field=name)
    require_unique_code(asset)


def _set_many(obj: Any, data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in names:
        if name in data:
            old = sorted(getattr(obj, name).values_list("pk", flat=True))
            new = sorted(x.pk for x in data[name])
            if old != new:
                getattr(obj, name).set(data[name])
                changes[name] = [old, new]
    return changes


@transaction.atomic
def create_asset(*, data: dict[str, Any], by: Any) -> Asset:
    access.require_keeper(by)
    asset = Asset(**{k: data[k] for k in ASSET_FIELDS if k in data})
    _check_asset(asset)
    asset.full_clean()
    asset.save()
    links = _set_many(asset, data, ("depends_on", "risks"))
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=asset,
        changes={**diff({}, snapshot(asset, ASSET_FIELDS)), **links},
    )
    return asset


@transaction.atomic
def update_asset(asset: Asset, *, data: dict[str, Any], by: Any) -> Asset:
    access.require_keeper(by)
    lock(asset)
    fields = [f for f in ASSET_FIELDS if f in data]
    before = snapshot(asset, fields)
    for name in fields:
        setattr(asset, name, data[name])
    _check_asset(asset)
    if asset.pk in {a.pk for a in data.get("depends_on") or []}:
        raise ServiceError(_("An asset does not depend on itself."), field="depends_on")
    asset.full_clean()
    asset.save()
    changes = {**diff(before, snapshot(asset, fields)), **_set_many(asset, data, ("depends_on", "risks"))}
    if changes:
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=asset, changes=changes)
    return asset


# --- Statement of Applicability ------------------------------------------------------------------


def annex_controls(edition: Edition) -> Any:
    return Requirement.objects.filter(edition=edition, kind=Requirement.Kind.CONTROL).order_by("order")


@transaction.atomic
def create_soa(*, edition: Edition, title: str, by: Any) -> Soa:
    """A new SoA with one undecided entry per Annex A control of the edition."""
    access.require_keeper(by)
    if edition.label not in ANNEX_EDITIONS:
        raise ServiceError(_("Choose an edition of ISO/IEC 27001 with an Annex A."), field="edition")
    version = (Soa.objects.filter(edition=edition).count()) + 1
    soa = Soa.objects.create(edition=edition, title=title, version=version, created_by=by)
    SoaEntry.objects.bulk_create([SoaEntry(soa=soa, control=c, needs_decision=True) for c in annex_controls(edition)])
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=soa,
        changes={"edition": [None, edition.label], "title": [None, title]},
    )
    return soa


def _require_draft(soa: Soa) -> None:
    if soa.status != Soa.Status.DRAFT:
        raise ServiceError(_("The SoA is approved; make a new version to change it."), field="status")


ENTRY_FIELDS = ["applicable", "justification", "implementation", "evidence"]


@transaction.atomic
def update_entry(entry: SoaEntry, *, data: dict[str, Any], by: Any) -> SoaEntry:
    """Decide one control: applicable or excluded (an exclusion needs its justification), how
    far it is implemented, and our controls and risks that answer it."""
    access.require_keeper(by)
    lock(entry.soa)
    _require_draft(entry.soa)
    fields = [f for f in ENTRY_FIELDS if f in data]
    before = snapshot(entry, [*fields, "needs_decision"])
    for name in fields:
        setattr(entry, name, data[name])
    if entry.applicable is False and not entry.justification.strip():
        raise ServiceError(_("Justify why the control is excluded."), field="justification")
    if entry.applicable is False and entry.implementation != SoaEntry.Implementation.NOT_IMPLEMENTED:
        entry.implementation = SoaEntry.Implementation.NOT_IMPLEMENTED
    if entry.applicable is not None:
        entry.needs_decision = False
    entry.full_clean()
    entry.save()
    changes = {
        **diff(before, snapshot(entry, [*fields, "needs_decision"])),
        **_set_many(entry, data, ("controls", "risks")),
    }
    if changes:
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=entry, changes=changes)
    return entry


@transaction.atomic
def migrate_soa(source: Soa, *, by: Any, title: str = "") -> Soa:
    """A 2022 SoA from a 2013 one through the catalogue's mapping. A 2022 control whose 2013
    sources agree and map one to one keeps their decision; a new control, or sources that
    disagree or map only in part, is marked as needing a decision, with a note saying why."""
    access.require_keeper(by)
    if source.edition.label != "ISO/IEC 27001:2013":
        raise ServiceError(_("Only a 2013 SoA is migrated to 2022."), field="source")
    target_edition = Edition.objects.get(label="ISO/IEC 27001:2022")
    soa = create_soa(
        edition=target_edition, title=title or f"Declaración de aplicabilidad {target_edition.year}", by=by
    )
    soa.migrated_from = source
    soa.save(update_fields=["migrated_from"])
    old = {e.control_id: e for e in source.entries.select_related("control").prefetch_related("controls", "risks")}
    mappings: dict[int, list[RequirementMapping]] = {}
    for m in RequirementMapping.objects.filter(
        source__edition=source.edition, target__edition=target_edition
    ).select_related("source"):
        mappings.setdefault(m.target_id, []).append(m)
    for entry in soa.entries.select_related("control"):
        found = [(m, old[m.source_id]) for m in mappings.get(entry.control_id, []) if m.source_id in old]
        numbers = ", ".join(m.source.number for m, _e in found)
        if not found:
            entry.needs_decision = True
            entry.migration_note = _("New in 2022: no 2013 control maps to it.")
        else:
            decisions = {e.applicable for _m, e in found}
            whole = all(m.relation == RequirementMapping.Relation.EQUAL for m, _e in found) and len(found) == 1
            if len(decisions) == 1 and None not in decisions:
                first = found[0][1]
                entry.applicable = first.applicable
                entry.justification = "\n".join(dict.fromkeys(e.justification for _m, e in found if e.justification))
                entry.implementation = min(
                    (e.implementation for _m, e in found),
                    key=lambda s: list(SoaEntry.Implementation.values).index(s),
                )
                entry.evidence = "; ".join(dict.fromkeys(e.evidence for _m, e in found if e.evidence))[:500]
                entry.needs_decision = not whole
                entry.migration_note = (
                    _("Carried over from %(n)s.") % {"n": numbers}
                    if whole
                    else _("Carried over from %(n)s, which map only in part: confirm.") % {"n": numbers}
                )
            else:
                entry.needs_decision = True
                entry.migration_note = _("The 2013 controls %(n)s were decided differently: decide.") % {"n": numbers}
        entry.save()
        controls = {c for _m, e in found for c in e.controls.all()}
        risks = {r for _m, e in found for r in e.risks.all()}
        if controls:
            entry.controls.set(controls)
        if risks:
            entry.risks.set(risks)
    record(actor=by, action=AuditEvent.Action.UPDATE, obj=soa, changes={"migrated_from": [None, source.pk]})
    return soa


def approve_soa(soa: Soa, *, by: Any) -> Soa:
    """Approve the SoA once every control is decided, and issue its PDF with a verification
    code (reports.IssuedDocument; /verifica/ checks it)."""
    from isms.reports import SoaReport
    from isms.verification import KIND
    from reports.pdf import html_to_pdf
    from reports.verification import issue, new_verification_code

    access.require_keeper(by)
    _require_draft(soa)
    pending = soa.entries.filter(applicable__isnull=True).count()
    if pending:
        raise ServiceError(_("%(n)d controls still need a decision.") % {"n": pending}, field="entries")
    code = new_verification_code()
    probe = Soa.objects.select_related("edition").get(pk=soa.pk)
    probe.status, probe.verification_code, probe.approved_on = Soa.Status.APPROVED, code, timezone.localdate()
    probe.approved_by = by
    pdf = html_to_pdf(SoaReport(probe).html(verification_code=code))
    with transaction.atomic():
        lock(soa)
        _require_draft(soa)
        soa.status, soa.verification_code, soa.approved_on, soa.approved_by = (
            Soa.Status.APPROVED,
            code,
            probe.approved_on,
            by,
        )
        soa.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        soa.pdf.save(
            f"declaracion-aplicabilidad-{soa.edition.year}-v{soa.version:02d}.pdf", ContentFile(pdf), save=False
        )
        soa.save(update_fields=["status", "verification_code", "approved_on", "approved_by", "pdf_sha256", "pdf"])
        record(
            actor=by,
            action=AuditEvent.Action.STATE,
            obj=soa,
            changes={"status": ["draft", "approved"], "sha256": [None, soa.pdf_sha256]},
        )
        issue(
            obj=soa,
            kind=KIND,
            verification_code=code,
            code=soa.code,
            title=soa.title,
            version=f"{soa.version:02d}",
            sha256=soa.pdf_sha256,
            by=by,
        )
    return soa


# --- incidents -------------------------------------------------------------------------------


def _next_code(day: datetime.date) -> str:
    prefix = f"INC-{day.year}-"
    n = Incident.objects.filter(code__startswith=prefix).count() + 1
    while Incident.objects.filter(code=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def report_incident(*, data: dict[str, Any], by: Any) -> Incident:
    """Anyone with a role reports an incident; the Oficial de Seguridad is told."""
    from accounts.selectors import holders
    from core.access import get_scope
    from core.notifications import notify
    from organization.models import Site

    scope = get_scope(by)
    if not scope.roles:
        raise ServiceError(_("You need a role to report an incident."))
    site = data.get("site") or getattr(by, "site", None) or Site.objects.get(is_central=True)
    if not scope.can_see_site(site.pk):
        raise ServiceError(_("Report incidents of your own unit."), field="site")
    now = timezone.now()
    occurred = data.get("occurred_at")
    if occurred is not None and occurred > now + datetime.timedelta(minutes=5):
        raise ServiceError(_("An incident cannot occur in the future."), field="occurred_at")
    incident = Incident.objects.create(
        code=_next_code(timezone.localdate()),
        title=data["title"],
        description=data["description"],
        site=site,
        occurred_at=occurred,
        reported_by=by,
        reported_at=now,
        personal_data_breach=bool(data.get("personal_data_breach")),
        breach_detected_at=now if data.get("personal_data_breach") else None,
    )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=incident,
        changes=diff({}, snapshot(incident, ["code", "title", "site", "personal_data_breach"])),
    )
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from accounts.roles import Role

    notify(
        list(holders([Role.SECURITY_OFFICER])),
        gettext_lazy("Information-security incident reported: %(c)s"),
        gettext_lazy("%(c)s: %(t)s"),
        link=reverse("isms:incident_detail", args=[incident.pk]),
        actor=by,
        c=incident.code,
        t=incident.title,
    )
    return incident


HANDLING_FIELDS = [
    "status",
    "severity",
    "category",
    "personal_data_breach",
    "breach_detected_at",
    "notice_hours",
    "authority_notified_at",
    "containment",
    "root_cause",
    "lessons_learned",
]
ORDER = [s for s, _label in Incident.Status.choices]


@transaction.atomic
def handle_incident(incident: Incident, *, data: dict[str, Any], by: Any) -> Incident:
    """Triage, classification, containment, root cause and lessons learned (the Oficial de
    Seguridad). Status moves forward; closing needs the root cause and the lessons learned."""
    if not access.keeps_isms(by):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    lock(incident)
    if incident.status == Incident.Status.CLOSED:
        raise ServiceError(_("The incident is closed."), field="status")
    fields = [f for f in HANDLING_FIELDS if f in data]
    before = snapshot(incident, fields)
    old_status = incident.status
    for name in fields:
        setattr(incident, name, data[name])
    if ORDER.index(incident.status) < ORDER.index(old_status):
        raise ServiceError(_("The status only moves forward."), field="status")
    if incident.status != Incident.Status.REPORTED and not (incident.severity and incident.category):
        raise ServiceError(_("Classify the incident (severity and category) when triaging it."), field="severity")
    if incident.status == Incident.Status.CLOSED and not (
        incident.root_cause.strip() and incident.lessons_learned.strip()
    ):
        raise ServiceError(_("Record the root cause and the lessons learned before closing."), field="lessons_learned")
    if incident.personal_data_breach and incident.breach_detected_at is None:
        incident.breach_detected_at = incident.reported_at
    if not 1 <= incident.notice_hours <= 720:
        raise ServiceError(_("Between 1 and 720 hours."), field="notice_hours")
    if (
        incident.authority_notified_at is not None
        and incident.authority_notified_at > timezone.now() + datetime.timedelta(minutes=5)
    ):
        raise ServiceError(_("The notification cannot be in the future."), field="authority_notified_at")
    incident.full_clean()
    incident.save()
    changes = {**diff(before, snapshot(incident, fields)), **_set_many(incident, data, ("assets", "risks"))}
    if changes:
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=incident, changes=changes)
    return incident


# --- asset-based risks -------------------------------------------------------------------------

CIA_ES = {"C": "confidencialidad", "I": "integridad", "A": "disponibilidad"}


@transaction.atomic
def register_asset_risk(asset: Asset, *, threat: Any, vulnerability: Any, code: str, by: Any) -> Any:
    """A risk of the one register (lens: information security) built from an asset, a threat
    and a vulnerability, owned by the asset's owner and linked to the asset."""
    from organization.models import Process, Site
    from risks import services as risk_services

    access.require_keeper(by)
    process = asset.process or Process.objects.filter(code="M01").first()
    if process is None:
        raise ServiceError(_("Give the asset its process first."), field="process")
    lost = ", ".join(CIA_ES[x] for x in threat.affects if x in CIA_ES) or "seguridad"
    risk = risk_services.create_risk(
        data={
            "code": code,
            "title": f"{threat.name} sobre {asset.name}"[:300],
            "kind": "risk",
            "lens_security": True,
            "process": process,
            "site": Site.objects.get(is_central=True),
            "cause": f"Vulnerabilidad {vulnerability.code}: {vulnerability.name}",
            "event": f"Amenaza {threat.code}: {threat.name}",
            "consequence": f"Pérdida de {lost} de {asset.code} {asset.name} (valor {asset.value})",
            "owner": asset.owner,
        },
        by=by,
    )
    asset.risks.add(risk)
    record(actor=by, action=AuditEvent.Action.UPDATE, obj=asset, changes={"risks": [None, risk.pk]})
    return risk
