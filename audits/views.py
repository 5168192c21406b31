"""Audit pages: the programmes with their monitoring, each audit with its integrated checklist
(usable on a tablet), findings and the auditee's answers, the report PDF and the findings XLSX.
Thin: parse, authorise through audits.access, call one service, render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits import services, workflows
from audits.access import (
    audits_visible_to,
    can_audit,
    can_respond,
    findings_visible_to,
    get_audit_for_user,
    get_finding_for_user,
    get_programme_for_user,
    is_manager,
    programmes_visible_to,
    require_manager,
)
from audits.competence import auditors, average_ratings, competence_warnings, evaluate, save_profile
from audits.forms import (
    AnswerForm,
    AttendanceForm,
    AuditForm,
    ConclusionsForm,
    EvaluationForm,
    FindingForm,
    ProfileForm,
    ProgrammeForm,
    ReissueForm,
    ResponseForm,
)
from audits.models import Audit, AuditProgramme, ChecklistQuestion, Finding, MeetingAttendee
from catalog.models import Requirement
from core.http import PDF, audited_download, form_on_page, require_role, save_form
from core.services import ServiceError
from evidence.forms import EvidenceForm

PAGE_SIZE = 50
NAV = "audits"


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    qs = audits_visible_to(request.user).select_related("programme", "lead").annotate(n_findings=Count("findings"))
    status = request.GET.get("status") or ""
    if status and status not in Audit.Status.values:
        raise Http404
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-start_date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/audit_list.html",
        {
            "page": page,
            "programmes": list(programmes_visible_to(request.user).annotate(n=Count("audits")).order_by("-year")[:20]),
            "can_manage": is_manager(request.user),
            "statuses": Audit.Status.choices,
            "status": status,
            "nav": NAV,
        },
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = ProgrammeForm(request.POST or None, initial={"year": timezone.localdate().year})
    return save_form(
        request,
        form,
        lambda d: services.create_programme(data=d, by=request.user),
        template="audits/form.html",
        context={"nav": NAV, "heading": _("New audit programme")},
    )


def programme_monitoring(programme: AuditProgramme, today: Any) -> dict[str, Any]:
    """% executed, delayed audits, findings by grade and by standard (three queries)."""
    audits = list(programme.audits.order_by("start_date", "pk"))
    done = [a for a in audits if a.status == Audit.Status.COMPLETED]
    delayed = [a for a in audits if a.status != Audit.Status.COMPLETED and a.end_date < today]
    by_grade = list(
        Finding.objects.filter(audit__programme=programme)
        .values("grade__name")
        .annotate(n=Count("pk"))
        .order_by("grade__order")
    )
    by_standard = list(
        Finding.requirements.through.objects.filter(finding__audit__programme=programme)
        .values("requirement__edition__standard__code")
        .annotate(n=Count("finding_id", distinct=True))
        .order_by("requirement__edition__standard__code")
    )
    return {
        "audits": audits,
        "executed": round(100 * len(done) / len(audits)) if audits else 0,
        "delayed": delayed,
        "by_grade": by_grade,
        "by_standard": by_standard,
    }


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    return render(
        request,
        "audits/programme_detail.html",
        {
            "programme": programme,
            "monitoring": programme_monitoring(programme, timezone.localdate()),
            "can_manage": is_manager(request.user),
            "nav": NAV,
        },
    )


@login_required
def audit_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    require_manager(request.user)
    form = AuditForm(request.POST or None, initial={"kind": Audit.Kind.INTERNAL, "method": Audit.Method.ON_SITE})

    def save(d: dict[str, Any]) -> Audit:
        return services.create_audit(
            programme,
            data={
                **d,
                "sites": list(d["sites"]),
                "processes": list(d["processes"]),
                "criteria": list(d["criteria"]),
                "team": list(d["team"]),
            },
            by=request.user,
        )

    return save_form(
        request,
        form,
        save,
        template="audits/form.html",
        context={"nav": NAV, "heading": _("New audit"), "programme": programme},
    )


def _questions(audit: Audit) -> list[ChecklistQuestion]:
    return list(
        audit.questions.select_related("hs_clause")
        .prefetch_related(Prefetch("requirements", queryset=Requirement.objects.select_related("edition")))
        .order_by("order", "pk")
    )


def _detail(
    request: HttpRequest, audit: Audit, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    from evidence.selectors import evidence_for

    user = request.user
    auditing = can_audit(user, audit) and audit.status != Audit.Status.COMPLETED
    questions = _questions(audit)
    evidence = evidence_for(user, questions) if questions else {}
    bound = dict(bound or {})
    for q in questions:
        q.evidence_items = evidence.get(q.pk, [])  # type: ignore[attr-defined]
        key = f"answer-{q.pk}"
        q.form = bound.pop(key, None) or (  # type: ignore[attr-defined]
            AnswerForm(
                prefix=key,
                initial={
                    "result": q.result,
                    "notes": q.notes,
                    "interviewee": q.interviewee,
                    "sampled_records": q.sampled_records,
                },
            )
            if auditing
            else None
        )
    findings = list(
        findings_visible_to(user)
        .filter(audit=audit)
        .select_related("grade", "site", "process", "nonconformity", "responded_by")
        .prefetch_related(Prefetch("requirements", queryset=Requirement.objects.select_related("edition")))
        .order_by("pk")
    )
    for f in findings:
        key = f"response-{f.pk}"
        f.response_form = bound.pop(key, None) or (  # type: ignore[attr-defined]
            ResponseForm(prefix=key) if f.response == Finding.Response.PENDING and can_respond(user, f) else None
        )
    ctx: dict[str, Any] = {
        "audit": audit,
        "nav": NAV,
        "team": list(audit.team.select_related("unit").order_by("last_name", "first_name")),
        "sites": list(audit.sites.order_by("order", "code")),
        "processes": list(audit.processes.order_by("order", "code")),
        "criteria": list(audit.criteria.select_related("edition").order_by("edition__standard__order", "order")),
        "questions": questions,
        "findings": findings,
        "auditing": auditing,
        "finding_form": FindingForm(prefix="finding", audit=audit) if auditing else None,
        "conclusions_form": ConclusionsForm(
            prefix="conclusions",
            initial={f: getattr(audit, f) for f in services.RECORD_FIELDS},
        )
        if auditing
        else None,
        "external_report": evidence_for(user, [audit]).get(audit.pk, []) if audit.kind == Audit.Kind.EXTERNAL else [],
        "external_form": EvidenceForm(prefix="external") if auditing and audit.kind == Audit.Kind.EXTERNAL else None,
        "steps": workflows.AUDIT.offered(user, audit),
        "warnings": competence_warnings(audit),
        "can_manage": is_manager(user),
        "evaluations": list(audit.evaluations.select_related("auditor").order_by("pk")),
        "evaluation_form": EvaluationForm(prefix="evaluation", audit=audit)
        if audit.status == Audit.Status.COMPLETED and is_manager(user)
        else None,
        "step_error": "",
        **_report_record(user, audit),
        "meetings": _meetings(audit, auditing, bound),
    }
    ctx.update(bound)
    return render(request, "audits/audit_detail.html", ctx, status=status)


def meeting_rows(audit: Audit) -> dict[str, list[MeetingAttendee]]:
    """The current attendance of each meeting, present first (one query)."""
    rows: dict[str, list[MeetingAttendee]] = {m: [] for m in MeetingAttendee.Meeting.values}
    for a in audit.attendees.filter(removed_at__isnull=True).order_by("-present", "name", "pk"):
        rows[a.meeting].append(a)
    return rows


def _meetings(audit: Audit, auditing: bool, bound: dict[str, Any]) -> list[dict[str, Any]]:
    from audits.forms import externals_text

    rows = meeting_rows(audit)
    out = []
    for meeting, label in MeetingAttendee.Meeting.choices:
        on, other = (
            (audit.opening_on, audit.opening_other_attendees)
            if meeting == MeetingAttendee.Meeting.OPENING
            else (audit.closing_on, audit.closing_other_attendees)
        )
        key = f"meeting-{meeting}"
        attendees = rows[meeting]
        form = bound.pop(key, None)
        if form is None and auditing:
            form = AttendanceForm(
                prefix=key,
                initial={
                    "on": on,
                    "present": [a.person_id for a in attendees if a.person_id and a.present],
                    "absent": [a.person_id for a in attendees if a.person_id and not a.present],
                    "externals": externals_text([a for a in attendees if a.is_external]),
                    "other": other,
                },
            )
        out.append({"key": meeting, "label": label, "on": on, "other": other, "attendees": attendees, "form": form})
    return out


def _report_record(user: Any, audit: Audit) -> dict[str, Any]:
    """The report's registration in document control (its versions) and the plan product it
    delivers, with what this person may do about them."""
    from audits import delivery
    from documents.access import documents_visible_to

    if audit.report_document_id is None:
        return {"report_document": None}
    document = documents_visible_to(user).filter(pk=audit.report_document_id).first()
    product = delivery.plan_product(audit)
    deliveries = list(product.deliveries.select_related("site").order_by("site__order", "pk")) if product else []
    audited = {s.pk for s in audit.sites.all()}
    return {
        "report_document": document,
        "report_versions": list(document.versions.order_by("-number")) if document is not None else [],
        "plan_product": product,
        "product_deliveries": [d for d in deliveries if d.site_id is None or d.site_id in audited],
        "can_deliver_product": delivery.can_deliver(user, audit),
        "reissue_form": ReissueForm(prefix="reissue")
        if audit.status == Audit.Status.COMPLETED and audit.kind == Audit.Kind.INTERNAL and can_audit(user, audit)
        else None,
    }


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_audit_for_user(request.user, pk))


def _apply(
    request: HttpRequest, audit: Audit, form: forms.Form, name: str, save: Callable[[dict[str, Any]], Any], anchor: str
) -> HttpResponse:
    def rerender() -> HttpResponse:
        audit.refresh_from_db()
        return _detail(request, audit, bound={name: form}, status=400)

    return form_on_page(request, audit, form, save, anchor=anchor, rerender=rerender)


def _auditing(request: HttpRequest, pk: int) -> Audit:
    audit = get_audit_for_user(request.user, pk)
    if not can_audit(request.user, audit):
        raise PermissionDenied
    return audit


@login_required
@require_POST
def checklist_generate(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _auditing(request, pk)
    try:
        made = services.generate_checklist(audit, by=request.user)
    except ServiceError as exc:
        return _detail(request, audit, bound={"step_error": exc.message}, status=400)
    messages.success(request, _("%(n)s questions added to the checklist.") % {"n": len(made)})
    return redirect(audit.get_absolute_url() + "#checklist")


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    audit = _auditing(request, pk)
    question = audit.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404
    key = f"answer-{question.pk}"
    form = AnswerForm(request.POST, request.FILES, prefix=key)
    return _apply(
        request,
        audit,
        form,
        key,
        lambda d: services.answer_question(question, data=d, by=request.user),
        f"q-{question.pk}",
    )


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _auditing(request, pk)
    form = FindingForm(request.POST, prefix="finding", audit=audit)
    return _apply(
        request,
        audit,
        form,
        "finding_form",
        lambda d: services.add_finding(audit, data={**d, "requirements": list(d["requirements"])}, by=request.user),
        "findings",
    )


@login_required
@require_POST
def finding_respond(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_finding_for_user(request.user, pk)
    if not can_respond(request.user, finding):
        raise PermissionDenied
    audit = finding.audit
    key = f"response-{finding.pk}"
    form = ResponseForm(request.POST, prefix=key)
    return _apply(
        request,
        audit,
        form,
        key,
        lambda d: services.respond_finding(finding, accept=d["accept"], reason=d["reason"], by=request.user),
        f"finding-{finding.pk}",
    )


@login_required
@require_POST
def conclusions(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _auditing(request, pk)
    form = ConclusionsForm(request.POST, prefix="conclusions")
    return _apply(
        request,
        audit,
        form,
        "conclusions_form",
        lambda d: services.update_record(audit, data=d, by=request.user),
        "conclusions",
    )


@login_required
@require_POST
def external_report(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _auditing(request, pk)
    form = EvidenceForm(request.POST, request.FILES, prefix="external")
    return _apply(
        request,
        audit,
        form,
        "external_form",
        lambda d: services.attach_external_report(audit, data=d, by=request.user),
        "external-report",
    )


@login_required
@require_POST
def audit_step(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_audit_for_user(request.user, pk)
    action = request.POST.get("action", "")
    if workflows.AUDIT.get(action) is None:
        raise Http404
    try:
        if action == "start":
            services.start_audit(audit, by=request.user)
        else:
            services.complete_audit(audit, by=request.user)
    except ServiceError as exc:
        audit.refresh_from_db()
        return _detail(request, audit, bound={"step_error": exc.message}, status=400)
    messages.success(request, _("Done."))
    return redirect(audit)


@login_required
@require_POST
def meeting_record(request: HttpRequest, pk: int, meeting: str) -> HttpResponse:
    audit = _auditing(request, pk)
    if meeting not in MeetingAttendee.Meeting.values:
        raise Http404
    key = f"meeting-{meeting}"
    form = AttendanceForm(request.POST, prefix=key)
    return _apply(
        request,
        audit,
        form,
        key,
        lambda d: services.record_meeting(
            audit,
            meeting=meeting,
            on=d["on"],
            present=list(d["present"]),
            absent=list(d["absent"]),
            externals=d["externals"],
            other=d["other"],
            by=request.user,
        ),
        "meetings",
    )


@login_required
@require_POST
def report_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _auditing(request, pk)
    form = ReissueForm(request.POST, prefix="reissue")
    return _apply(
        request,
        audit,
        form,
        "reissue_form",
        lambda d: services.reissue_report(audit, reason=d["reason"], by=request.user),
        "report-record",
    )


@login_required
@require_POST
def report_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_audit_for_user(request.user, pk)
    try:
        services.deliver_plan_product(audit, by=request.user)
    except ServiceError as exc:
        return _detail(request, audit, bound={"step_error": exc.message}, status=400)
    messages.success(request, _("The plan product was delivered with the audit report."))
    return redirect(audit.get_absolute_url() + "#report-record")


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The issued report exactly as stored (what /verifica/ checks); a draft before that."""
    from audits.report import AuditReport

    audit = get_audit_for_user(request.user, pk)
    if audit.status == Audit.Status.COMPLETED and audit.report_pdf:
        return audited_download(
            request,
            filename=f"informe-auditoria-{audit.code}.pdf",
            content_type=PDF,
            subject=audit,
            file=audit.report_pdf.open("rb"),
            changes={"format": "pdf", "what": "audit report", "sha256": audit.report_sha256},
        )
    return AuditReport(audit).download(request, "pdf", changes={"what": "audit report draft"})


@login_required
def findings_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    from audits.report import FindingsReport

    audit = get_audit_for_user(request.user, pk)
    return FindingsReport(audit).download(request, "xlsx")


@login_required
def auditor_list(request: HttpRequest) -> HttpResponse:
    """The auditors: competence, training, audits done as member or lead, average evaluation."""
    from core.access import get_scope

    if not get_scope(request.user).central_roles:
        raise Http404
    people = list(auditors().select_related("auditor_profile", "unit").prefetch_related("auditor_profile__standards"))
    ratings = average_ratings([p.pk for p in people])
    for p in people:
        p.avg_rating = ratings.get(p.pk)
    return render(
        request, "audits/auditor_list.html", {"people": people, "can_manage": is_manager(request.user), "nav": NAV}
    )


@login_required
def auditor_profile(request: HttpRequest, pk: int) -> HttpResponse:
    from accounts.models import User
    from audits.models import AuditorProfile

    require_manager(request.user)
    person = auditors().filter(pk=pk).first() or User.objects.filter(pk=pk, is_active=True).first()
    if person is None:
        raise Http404
    profile = AuditorProfile.objects.filter(user=person).first()
    initial = (
        {"standards": list(profile.standards.all()), "iso19011": profile.iso19011, "training": profile.training}
        if profile
        else {}
    )
    form = ProfileForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        lambda d: save_profile(
            person, standards=list(d["standards"]), iso19011=d["iso19011"], training=d["training"], by=request.user
        ),
        template="audits/form.html",
        context={"nav": NAV, "heading": person.get_full_name()},
        redirect_to="audits:auditor_list",
    )


@login_required
@require_POST
def audit_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_audit_for_user(request.user, pk)
    require_manager(request.user)
    form = EvaluationForm(request.POST, prefix="evaluation", audit=audit)
    return _apply(
        request,
        audit,
        form,
        "evaluation_form",
        lambda d: evaluate(audit, auditor=d["auditor"], rating=d["rating"], comment=d["comment"], by=request.user),
        "evaluations",
    )


@login_required
@require_POST
def audit_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """A new audit from this one for the next year, every status reset."""
    audit = get_audit_for_user(request.user, pk)
    require_manager(request.user)
    try:
        copy = services.copy_audit(audit, by=request.user)
    except ServiceError as exc:
        return _detail(request, audit, bound={"step_error": exc.message}, status=400)
    messages.success(request, _("Audit %(code)s created from %(old)s.") % {"code": copy.code, "old": audit.code})
    return redirect(copy)
