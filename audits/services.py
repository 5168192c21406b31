"""The only way audits change: each service checks who may (audits.access, the workflow table),
owns its transaction, writes the audit entry and tells the people concerned."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from audits import workflows
from audits.access import can_audit, can_respond, require_manager
from audits.models import Audit, AuditProgramme, ChecklistQuestion, Finding, FindingGrade, MeetingAttendee
from catalog.models import Requirement
from core.notifications import notify
from core.services import ServiceError, lock

PROGRAMME_FIELDS = ["year", "title", "objectives", "risks", "scope", "resources"]
AUDIT_FIELDS = [
    "code", "title", "kind", "certification_body", "objectives", "scope", "start_date", "end_date", "lead",
    "method", "meeting_link", "consent_to_record", "connection_notes",
]  # fmt: skip
REPORT_KIND = "audits.report"


@transaction.atomic
def create_programme(*, data: dict[str, Any], by: Any) -> AuditProgramme:
    require_manager(by)
    for name in ("title", "objectives"):
        if not str(data.get(name) or "").strip():
            raise ServiceError(_("This field is required."), field=name)
    programme = AuditProgramme(created_by=by, **{k: data[k] for k in PROGRAMME_FIELDS if k in data})
    programme.full_clean()
    programme.save()
    if data.get("systems"):
        programme.systems.set(data["systems"])
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=programme,
        changes=diff({}, snapshot(programme, PROGRAMME_FIELDS)),
    )
    return programme


def independence_problem(team: Iterable[Any], processes: Iterable[Any], sites: Iterable[Any]) -> str | None:
    """A team member who would audit their own unit (a visited UT, or the owner unit of an
    audited process): ISO 19011 §4 independence."""
    owner_units = {p.owner_unit_id for p in processes if p.owner_unit_id}
    ut_sites = {s.pk for s in sites if not s.is_central}
    for person in team:
        if (person.unit_id and person.unit_id in owner_units) or (person.site_id and person.site_id in ut_sites):
            name = person.get_full_name() or person.username
            return _("%(name)s would audit their own unit or process: choose someone independent.") % {"name": name}
    return None


def _check_audit(data: dict[str, Any], team: list[Any]) -> None:
    start, end = data.get("start_date"), data.get("end_date")
    if start is None or end is None:
        raise ServiceError(_("Give the dates of the audit."), field="start_date")
    if end < start:
        raise ServiceError(_("The audit ends before it starts."), field="end_date")
    if not list(data.get("sites") or []):
        raise ServiceError(_("Choose at least one site."), field="sites")
    if not list(data.get("criteria") or []):
        raise ServiceError(_("Choose the requirements the audit checks (its criteria)."), field="criteria")
    if data.get("method") == Audit.Method.REMOTE and not data.get("meeting_link"):
        raise ServiceError(_("A remote audit needs its meeting link."), field="meeting_link")
    if data.get("kind") == Audit.Kind.EXTERNAL and not str(data.get("certification_body") or "").strip():
        raise ServiceError(_("Name the certification body of an external audit."), field="certification_body")
    problem = independence_problem(team, list(data.get("processes") or []), list(data.get("sites") or []))
    if problem:
        raise ServiceError(problem, field="team")


@transaction.atomic
def create_audit(programme: AuditProgramme, *, data: dict[str, Any], by: Any) -> Audit:
    """An audit of the programme: criteria, scope (processes × sites), dates, team and lead,
    method. Refuses a team member who would audit their own unit."""
    require_manager(by)
    lead = data.get("lead")
    if lead is None:
        raise ServiceError(_("Name the lead auditor."), field="lead")
    team = list({u.pk: u for u in [lead, *(data.get("team") or [])]}.values())
    _check_audit(data, team)
    if Audit.objects.filter(code__iexact=data.get("code", "")).exists():
        raise ServiceError(_("Another audit already has that code."), field="code")
    audit = Audit(programme=programme, created_by=by, **{k: data[k] for k in AUDIT_FIELDS if k in data})
    audit.full_clean()
    audit.save()
    audit.team.set(team)
    audit.sites.set(data["sites"])
    audit.processes.set(data.get("processes") or [])
    audit.criteria.set(data["criteria"])
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=audit,
        changes={
            **diff({}, snapshot(audit, AUDIT_FIELDS)),
            "team": [None, sorted(u.pk for u in team)],
            "sites": [None, sorted(s.pk for s in data["sites"])],
            "criteria": [None, sorted(r.pk for r in data["criteria"])],
        },
    )
    notify(
        team,
        gettext_lazy("You are on the audit team of %(code)s"),
        gettext_lazy("%(title)s, from %(start)s to %(end)s."),
        link=audit.get_absolute_url(),
        actor=by,
        code=audit.code,
        title=audit.title,
        start=audit.start_date.strftime("%d/%m/%Y"),
        end=audit.end_date.strftime("%d/%m/%Y"),
    )
    return audit


def _require_auditor(audit: Audit, by: Any) -> None:
    if not can_audit(by, audit):
        raise PermissionDenied


def _require_open(audit: Audit) -> None:
    if audit.status == Audit.Status.COMPLETED:
        raise ServiceError(_("The audit is concluded; its record no longer changes."))


def question_groups(requirements: Iterable[Requirement]) -> list[tuple[Any, list[Requirement]]]:
    """The chosen requirements grouped by harmonized clause (one question covers the twins of
    every standard); requirements outside the harmonized structure (Annex A controls) alone."""
    groups: dict[Any, tuple[Any, list[Requirement]]] = {}
    for req in requirements:
        key = ("hs", req.hs_clause_id) if req.hs_clause_id else ("req", req.pk)
        groups.setdefault(key, (req.hs_clause if req.hs_clause_id else None, []))[1].append(req)
    return sorted(groups.values(), key=lambda g: (g[0].order if g[0] is not None else 10_000, g[1][0].order))


@transaction.atomic
def generate_checklist(audit: Audit, *, by: Any) -> list[ChecklistQuestion]:
    """The integrated checklist from the audit's criteria; requirements already asked about are
    not asked again (running it twice adds nothing)."""
    lock(audit)
    _require_auditor(audit, by)
    _require_open(audit)
    asked = set(
        ChecklistQuestion.requirements.through.objects.filter(checklistquestion__audit=audit).values_list(
            "requirement_id", flat=True
        )
    )
    criteria = (
        audit.criteria.exclude(pk__in=asked)
        .select_related("hs_clause", "edition__standard")
        .order_by("edition__standard__order", "order")
    )
    start = audit.questions.count()
    made = []
    for n, (hs, reqs) in enumerate(question_groups(criteria), start=start + 1):
        cited = " · ".join(f"{r.edition.label} {r.number}" for r in reqs)
        topic = f"{hs.number} {hs.title}" if hs is not None else f"{reqs[0].number} {reqs[0].title}"
        question = ChecklistQuestion.objects.create(
            audit=audit, order=n, hs_clause=hs, text=f"¿Cómo se cumple «{topic}»? ({cited})"[:500]
        )
        question.requirements.set(reqs)
        made.append(question)
    if made:
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=audit, changes={"questions": [start, start + len(made)]})
    return made


ANSWER_FIELDS = ["result", "notes", "interviewee", "sampled_records"]


@transaction.atomic
def answer_question(question: ChecklistQuestion, *, data: dict[str, Any], by: Any) -> ChecklistQuestion:
    """The auditor's record for one question: result, evidence notes, interviewee, sampled
    records, and optionally a file (checked by content, stored with its SHA-256)."""
    audit = lock(question.audit)
    _require_auditor(audit, by)
    _require_open(audit)
    if data.get("result") and data["result"] not in ChecklistQuestion.Result.values:
        raise ServiceError(_("Choose a result."), field="result")
    before = snapshot(question, ANSWER_FIELDS)
    for name in ANSWER_FIELDS:
        if name in data and data[name] is not None:
            setattr(question, name, data[name])
    changes = diff(before, snapshot(question, ANSWER_FIELDS))
    if changes:
        question.save(update_fields=list(changes))
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=question, changes=changes)
    if data.get("upload") is not None:
        from evidence.services import link_evidence, resolve_attached

        evidence = resolve_attached(data=data, by=by, site=getattr(by, "site", None))
        link_evidence(target=question, evidence=evidence, note=data.get("file_note") or "", by=by)
    return question


def _next_number(audit: Audit) -> str:
    taken = set(audit.findings.values_list("number", flat=True))
    n = len(taken) + 1
    while f"{audit.code}-H{n:02d}" in taken:
        n += 1
    return f"{audit.code}-H{n:02d}"


@transaction.atomic
def add_finding(audit: Audit, *, data: dict[str, Any], by: Any) -> Finding:
    """A finding citing one or more requirements (of one or more standards), the process and the
    site; a grade of nonconformity raises an NC in the register, linked to the finding."""
    lock(audit)
    _require_auditor(audit, by)
    _require_open(audit)
    requirements = list(data.get("requirements") or [])
    if not requirements:
        raise ServiceError(_("Cite at least one requirement."), field="requirements")
    grade: FindingGrade | None = data.get("grade")
    if grade is None or not grade.is_active:
        raise ServiceError(_("Choose a grade."), field="grade")
    site = data.get("site")
    if site is None or not audit.sites.filter(pk=site.pk).exists():
        raise ServiceError(_("Choose one of the audit's sites."), field="site")
    for name in ("description", "evidence"):
        if not str(data.get(name) or "").strip():
            raise ServiceError(_("This field is required."), field=name)
    question = data.get("question")
    if question is not None and question.audit_id != audit.pk:
        raise ServiceError(_("Choose a question of this audit."), field="question")
    finding = Finding.objects.create(
        audit=audit,
        number=_next_number(audit),
        grade=grade,
        description=data["description"],
        evidence=data["evidence"],
        process=data.get("process"),
        site=site,
        question=question,
        created_by=by,
    )
    finding.requirements.set(requirements)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=finding,
        changes={
            "number": [None, finding.number],
            "grade": [None, grade.code],
            "requirements": [None, sorted(r.pk for r in requirements)],
            "site": [None, site.pk],
        },
    )
    if grade.raises_nc:
        from nonconformities.models import Nonconformity
        from nonconformities.services import raise_nc

        nc = raise_nc(
            data={
                "source": Nonconformity.Source.AUDIT,
                "source_reference": f"{audit.code} · {finding.number}",
                "grade": grade.nc_grade,
                "title": f"{finding.number}: {finding.description}"[:300],
                "description": f"{finding.description}\n\nEvidencia: {finding.evidence}",
                "site": site,
                "process": finding.process,
                "detected_on": min(timezone.localdate(), audit.end_date),
            },
            by=by,
            origin=finding,
            requirements=requirements,
        )
        finding.nonconformity = nc
        finding.save(update_fields=["nonconformity"])
    return finding


@transaction.atomic
def respond_finding(finding: Finding, *, accept: bool, reason: str = "", by: Any) -> Finding:
    """The auditee accepts the finding or contests it with a reason (once)."""
    lock(finding)
    if not can_respond(by, finding):
        raise PermissionDenied
    if finding.response != Finding.Response.PENDING:
        raise ServiceError(_("The finding was already answered."), field="response")
    if not accept and not reason.strip():
        raise ServiceError(_("Say why the finding is contested."), field="reason")
    finding.response = Finding.Response.ACCEPTED if accept else Finding.Response.CONTESTED
    finding.response_reason, finding.responded_by, finding.responded_on = reason, by, timezone.localdate()
    finding.save(update_fields=["response", "response_reason", "responded_by", "responded_on"])
    record(
        actor=by,
        action=AuditEvent.Action.STATE,
        obj=finding,
        changes={"response": [Finding.Response.PENDING, finding.response], "reason": [None, reason]},
    )
    notify(
        [finding.audit.lead],
        gettext_lazy("Finding %(n)s %(r)s"),
        gettext_lazy("%(reason)s"),
        link=finding.get_absolute_url(),
        actor=by,
        n=finding.number,
        r=finding.get_response_display(),
        reason=reason or "—",
    )
    return finding


RECORD_FIELDS = ["agenda", "conclusions"]
MAX_ATTENDEES = 200


def _attendance(audit: Audit, meeting: str) -> list[dict[str, Any]]:
    return [
        {"person": a.person_id, "name": a.name, "organisation": a.organisation, "present": a.present}
        for a in audit.attendees.filter(meeting=meeting, removed_at__isnull=True).order_by("pk")
    ]


@transaction.atomic
def record_meeting(
    audit: Audit,
    *,
    meeting: str,
    by: Any,
    on: datetime.date | None = None,
    present: Iterable[Any] = (),
    absent: Iterable[Any] = (),
    externals: Iterable[dict[str, Any]] = (),
    other: str = "",
) -> list[MeetingAttendee]:
    """The attendance of the opening or closing meeting (ISO 19011 §6.4.3, §6.4.10): its date,
    the people of the system present and absent, the external attendees (name, organisation,
    present or not) and a note of other attendees. Replaces the meeting's previous list (whose
    rows stay, marked removed; the audit entry holds both lists)."""
    lock(audit)
    _require_auditor(audit, by)
    _require_open(audit)
    if meeting not in MeetingAttendee.Meeting.values:
        raise ServiceError(_("Choose the opening or the closing meeting."), field="meeting")
    if on is not None and not (audit.start_date <= on <= audit.end_date):
        raise ServiceError(_("The meeting is held within the dates of the audit."), field="on")
    present, absent = list(present), list(absent)
    both = {p.pk for p in present} & {p.pk for p in absent}
    if both:
        raise ServiceError(_("A person is either present or absent, not both."), field="absent")
    rows: list[MeetingAttendee] = []
    for person, here in [*((p, True) for p in present), *((p, False) for p in absent)]:
        unit = getattr(person, "unit", None)
        rows.append(
            MeetingAttendee(
                audit=audit,
                meeting=meeting,
                person=person,
                name=(person.get_full_name() or person.get_username())[:200],
                organisation=(unit.code if unit is not None else "")[:200],
                present=here,
            )
        )
    for n, row in enumerate(externals, start=1):
        name = str(row.get("name") or "").strip()
        organisation = str(row.get("organisation") or "").strip()
        if not name:
            raise ServiceError(_("External attendee %(n)s: give the name.") % {"n": n}, field="externals")
        if len(name) > 200 or len(organisation) > 200:
            raise ServiceError(
                _("External attendee %(n)s: name and organisation have at most 200 characters.") % {"n": n},
                field="externals",
            )
        rows.append(
            MeetingAttendee(
                audit=audit,
                meeting=meeting,
                name=name,
                organisation=organisation,
                present=bool(row.get("present", True)),
            )
        )
    if len(rows) > MAX_ATTENDEES:
        raise ServiceError(_("At most %(n)s attendees per meeting.") % {"n": MAX_ATTENDEES}, field="externals")
    date_field, note_field = (
        ("opening_on", "opening_other_attendees")
        if meeting == MeetingAttendee.Meeting.OPENING
        else ("closing_on", "closing_other_attendees")
    )
    before = {**snapshot(audit, [date_field, note_field]), "attendees": _attendance(audit, meeting)}
    audit.attendees.filter(meeting=meeting, removed_at__isnull=True).update(removed_at=timezone.now())
    made = MeetingAttendee.objects.bulk_create(rows)
    setattr(audit, date_field, on)
    setattr(audit, note_field, other or "")
    audit.save(update_fields=[date_field, note_field])
    after = {**snapshot(audit, [date_field, note_field]), "attendees": _attendance(audit, meeting)}
    changes = diff(before, after)
    if changes:
        changes["meeting"] = [None, meeting]
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=audit, changes=changes)
    return made


@transaction.atomic
def update_record(audit: Audit, *, data: dict[str, Any], by: Any) -> Audit:
    """The team's record of the audit: agenda and conclusions (the meetings: record_meeting)."""
    lock(audit)
    _require_auditor(audit, by)
    _require_open(audit)
    fields = [f for f in RECORD_FIELDS if f in data]
    before = snapshot(audit, fields)
    for name in fields:
        setattr(audit, name, data[name] or "")
    changes = diff(before, snapshot(audit, fields))
    if changes:
        audit.save(update_fields=list(changes))
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=audit, changes=changes)
    return audit


def update_conclusions(audit: Audit, *, conclusions: str, by: Any) -> Audit:
    return update_record(audit, data={"conclusions": conclusions}, by=by)


@transaction.atomic
def attach_external_report(audit: Audit, *, data: dict[str, Any], by: Any) -> Any:
    """The report of an external audit (certification body), uploaded as a file (checked by content,
    stored with its SHA-256) or designated by document code; its findings are entered by hand."""
    from evidence.services import link_evidence, resolve_attached

    if audit.kind != Audit.Kind.EXTERNAL:
        raise ServiceError(
            _("Only an external audit has a report uploaded; an internal one is generated."), field="file"
        )
    _require_auditor(audit, by)
    evidence = resolve_attached(data=data, by=by, site=getattr(by, "site", None))
    link = link_evidence(target=audit, evidence=evidence, note=data.get("note") or "", by=by)
    upload = data.get("upload")
    if upload is not None:
        # The certification body's report, as uploaded, is registered in document control
        # (an external record: the body issued it, no verification code of ours).
        from audits import delivery

        delivery.register_report(
            audit,
            pdf=upload.data,
            by=by,
            justification=data.get("note") or _("External audit report received"),
            verification_code=None,
            external=True,
            file_type=upload.kind,
        )
        delivery.deliver_product(audit, by=by, quiet=True)
    return link


@transaction.atomic
def start_audit(audit: Audit, *, by: Any) -> Audit:
    lock(audit)
    workflows.AUDIT.check(by, audit, "start")
    audit.status = Audit.Status.IN_PROGRESS
    audit.save(update_fields=["status"])
    record(
        actor=by, action=AuditEvent.Action.STATE, obj=audit, changes={"status": [Audit.Status.PLANNED, audit.status]}
    )
    return audit


def complete_audit(audit: Audit, *, by: Any, on: datetime.date | None = None) -> Audit:
    """Conclude the audit and issue its report (PDF in the seed's format with a verification
    code checkable at /verifica/), registered in document control as version 01 of the audit's
    record, and deliver the plan product audit reports deliver (audits.delivery)."""
    workflows.AUDIT.check(by, Audit.objects.get(pk=audit.pk), "complete")
    return _issue_report(audit, by=by, conclude=True, reason=_("Audit report issued"))


def reissue_report(audit: Audit, *, reason: str, by: Any) -> Audit:
    """Issue the report of a concluded audit again (the auditees' answers came in, an error was
    corrected): a new PDF with a new verification code, registered as the next version of the
    record; the previous version becomes obsoleto and stays readable and verifiable."""
    fresh = Audit.objects.get(pk=audit.pk)
    if not can_audit(by, fresh):
        raise PermissionDenied
    if fresh.status != Audit.Status.COMPLETED or not fresh.report_verification_code:
        raise ServiceError(_("Only the report of a concluded audit is issued again."), field="reason")
    if not reason.strip():
        raise ServiceError(_("Say why the report is issued again."), field="reason")
    return _issue_report(audit, by=by, conclude=False, reason=reason.strip())


def _issue_report(audit: Audit, *, by: Any, conclude: bool, reason: str) -> Audit:
    """Print the report before the transaction, compare inside it (someone may have changed the
    audit meanwhile: printed again once, else refused), then store it, register it in document
    control and deliver the plan product, all in one transaction."""
    from audits import delivery
    from audits.report import AuditReport, issued_version
    from reports.pdf import html_to_pdf
    from reports.verification import issue, new_verification_code

    code = new_verification_code()
    for _attempt in range(2):
        probe = Audit.objects.select_related("report_document__current_version").get(pk=audit.pk)
        number = issued_version(probe) + 1
        probe.report_verification_code, probe.status = code, Audit.Status.COMPLETED
        printed = AuditReport(probe, version=number).html(code)
        pdf = html_to_pdf(printed)
        with transaction.atomic():
            lock(audit)
            audit.refresh_from_db()
            if conclude:
                workflows.AUDIT.check(by, audit, "complete")
            elif audit.status != Audit.Status.COMPLETED:
                raise ServiceError(_("Only the report of a concluded audit is issued again."), field="reason")
            old_status, old_code = audit.status, audit.report_verification_code
            audit.report_verification_code, audit.status = code, Audit.Status.COMPLETED
            if issued_version(audit) + 1 != number or AuditReport(audit, version=number).html(code) != printed:
                continue
            old_sha = audit.report_sha256 or None
            audit.report_sha256 = hashlib.sha256(pdf).hexdigest()
            audit.report_pdf.save(f"informe-{audit.code}-v{number:02d}.pdf", ContentFile(pdf), save=False)
            audit.save(update_fields=["status", "report_verification_code", "report_sha256", "report_pdf"])
            changes: dict[str, Any] = {
                "report_sha256": [old_sha, audit.report_sha256],
                "report_verification_code": [old_code, code],
                "report_version": [number - 1 or None, number],
            }
            if old_status != audit.status:
                changes["status"] = [old_status, audit.status]
            else:
                changes["reason"] = [None, reason[:500]]
            record(actor=by, action=AuditEvent.Action.STATE, obj=audit, changes=changes)
            version = delivery.register_report(audit, pdf=pdf, by=by, justification=reason, verification_code=code)
            ident = AuditReport(audit, version=number).identity()
            issue(
                obj=version,
                kind=REPORT_KIND,
                verification_code=code,
                code=ident.code,
                title=ident.title,
                version=ident.version,
                sha256=audit.report_sha256,
                by=by,
            )
            delivery.deliver_product(audit, by=by, quiet=True)
            return audit
        audit.refresh_from_db()
    raise ServiceError(_("The audit changed while its report was being printed; conclude it again."))


def deliver_plan_product(audit: Audit, *, by: Any) -> list[int | None]:
    """Deliver the plan product with the audit's registered report, when whoever issued it could
    not (plans.services.deliver_product checks who may). Idempotent."""
    from audits import delivery

    return delivery.deliver_product(audit, by=by)


def _next_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def copy_audit(audit: Audit, *, by: Any) -> Audit:
    """Next year's audit from this one: same objectives, scope, criteria, team and method, dates a
    year later, in next year's programme when there is one; every status reset (planned, no
    checklist answers, no findings, no report)."""
    require_manager(by)
    year = audit.start_date.year
    programme = AuditProgramme.objects.filter(year=year + 1).order_by("pk").first() or audit.programme
    code = audit.code.replace(str(year), str(year + 1))
    if code == audit.code or Audit.objects.filter(code__iexact=code).exists():
        n = 2
        while Audit.objects.filter(code__iexact=f"{audit.code}-{n}").exists():
            n += 1
        code = f"{audit.code}-{n}"[:30]
    data = {name: getattr(audit, name) for name in AUDIT_FIELDS}
    data.update(
        code=code,
        start_date=_next_year(audit.start_date),
        end_date=_next_year(audit.end_date),
        consent_to_record=False,
        connection_notes="",
        sites=list(audit.sites.all()),
        processes=list(audit.processes.all()),
        criteria=list(audit.criteria.all()),
        team=list(audit.team.all()),
    )
    return create_audit(programme, data=data, by=by)


def visible_requirements(pks: Iterable[int]) -> models.QuerySet[Requirement]:
    return Requirement.objects.filter(pk__in=list(pks))
