"""Audits over the API: /api/v1/audit-programmes, /api/v1/audits (with the checklist, its
answers, the steps) and /api/v1/findings (with the auditee's response). Same access helpers
(audits.access) and services as the pages: an auditor sees the audits they are on, a UT head
her UT's, central roles all; others get 404."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from accounts.models import User
from audits import services, workflows
from audits.access import (
    audits_visible_to,
    can_audit,
    findings_visible_to,
    get_audit_for_user,
    get_finding_for_user,
    get_programme_for_user,
    programmes_visible_to,
    require_manager,
)
from audits.models import Audit, AuditProgramme, ChecklistQuestion, Finding, FindingGrade
from catalog.models import Requirement
from core.access import get_scope
from core.api_helpers import PageIn, PageOut, QueryIn, StrictIn, choices_schema, field_error, page, resolve_fk
from organization.models import Process, Site

router = Router(tags=["audits"])
TEXT = settings.SIG_MAX_TEXT
AuditKind = Annotated[Audit.Kind, choices_schema(Audit.Kind, "AuditKind")]
AuditMethod = Annotated[Audit.Method, choices_schema(Audit.Method, "AuditMethod")]
AuditStatus = Annotated[Audit.Status, choices_schema(Audit.Status, "AuditStatus")]
QuestionResult = Annotated[ChecklistQuestion.Result, choices_schema(ChecklistQuestion.Result, "QuestionResult")]
FindingResponse = Annotated[Finding.Response, choices_schema(Finding.Response, "FindingResponse")]


class AuditProgrammeOut(Schema):
    id: int
    year: int
    title: str
    objectives: str
    risks: str
    scope: str
    resources: str


class AuditProgrammePage(PageOut):
    items: list[AuditProgrammeOut]


class AuditProgrammeIn(StrictIn):
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=300)
    objectives: str = Field(..., min_length=1, max_length=TEXT)
    risks: str = Field("", max_length=TEXT)
    scope: str = Field("", max_length=TEXT)
    resources: str = Field("", max_length=TEXT)


class AuditOut(Schema):
    id: int
    programme_id: int
    code: str
    title: str
    kind: AuditKind
    certification_body: str
    method: AuditMethod
    status: AuditStatus
    start_date: datetime.date
    end_date: datetime.date
    lead_id: int
    report_verification_code: str | None
    report_url: str

    @staticmethod
    def resolve_report_url(obj: Audit) -> str:
        return reverse("audits:report_pdf", args=[obj.pk])


class AuditPage(PageOut):
    items: list[AuditOut]


class AuditQuestionOut(Schema):
    id: int
    order: int
    text: str
    requirement_ids: list[int]
    result: QuestionResult
    notes: str
    interviewee: str
    sampled_records: str

    @staticmethod
    def resolve_requirement_ids(obj: ChecklistQuestion) -> list[int]:
        return [r.pk for r in obj.requirements.all()]


class AuditDetailOut(AuditOut):
    objectives: str
    scope: str
    meeting_link: str
    consent_to_record: bool
    conclusions: str
    team_ids: list[int]
    site_ids: list[int]
    process_ids: list[int]
    criteria_ids: list[int]
    questions: list[AuditQuestionOut]
    next_steps: list[str]
    warnings: list[str] = Field(..., description="Standards of the criteria no team member is competent in.")

    @staticmethod
    def resolve_team_ids(obj: Audit) -> list[int]:
        return [u.pk for u in obj.team.all()]

    @staticmethod
    def resolve_site_ids(obj: Audit) -> list[int]:
        return [s.pk for s in obj.sites.all()]

    @staticmethod
    def resolve_process_ids(obj: Audit) -> list[int]:
        return [p.pk for p in obj.processes.all()]

    @staticmethod
    def resolve_criteria_ids(obj: Audit) -> list[int]:
        return [r.pk for r in obj.criteria.all()]

    @staticmethod
    def resolve_questions(obj: Audit) -> list[ChecklistQuestion]:
        return list(obj.questions.prefetch_related("requirements").order_by("order", "pk"))

    @staticmethod
    def resolve_next_steps(obj: Any) -> list[str]:
        return list(obj.next_step_names)

    @staticmethod
    def resolve_warnings(obj: Audit) -> list[str]:
        from audits.competence import competence_warnings

        return competence_warnings(obj)


class AuditListFilter(QueryIn):
    status: AuditStatus | None = None
    programme: int | None = None


class AuditIn(StrictIn):
    programme: StrictInt
    code: str = Field(..., min_length=1, max_length=30)
    title: str = Field(..., min_length=1, max_length=300)
    kind: AuditKind = Audit.Kind.INTERNAL
    certification_body: str = Field("", max_length=200)
    objectives: str = Field(..., min_length=1, max_length=TEXT)
    scope: str = Field("", max_length=TEXT)
    sites: list[StrictInt] = Field(..., max_length=50)
    processes: list[StrictInt] = Field([], max_length=100)
    criteria: list[StrictInt] = Field(..., max_length=500)
    start_date: datetime.date
    end_date: datetime.date
    lead: StrictInt
    team: list[StrictInt] = Field([], max_length=30)
    method: AuditMethod = Audit.Method.ON_SITE
    meeting_link: str = Field("", max_length=200)
    consent_to_record: bool = False


class AuditAnswerIn(StrictIn):
    result: QuestionResult
    notes: str = Field("", max_length=TEXT)
    interviewee: str = Field("", max_length=200)
    sampled_records: str = Field("", max_length=TEXT)


class AuditStepIn(StrictIn):
    action: str = Field(..., max_length=40, description="start or complete")


class FindingOut(Schema):
    id: int
    audit_id: int
    number: str
    grade: str
    grade_name: str
    description: str
    evidence: str
    requirement_ids: list[int]
    process_id: int | None
    site_id: int
    nonconformity_id: int | None
    response: FindingResponse
    response_reason: str

    @staticmethod
    def resolve_grade(obj: Finding) -> str:
        return obj.grade.code

    @staticmethod
    def resolve_grade_name(obj: Finding) -> str:
        return obj.grade.name

    @staticmethod
    def resolve_requirement_ids(obj: Finding) -> list[int]:
        return [r.pk for r in obj.requirements.all()]


class FindingPage(PageOut):
    items: list[FindingOut]


class FindingFilter(QueryIn):
    audit: int | None = None
    requirement: int | None = Field(None, description="Only findings citing this requirement.")
    response: FindingResponse | None = None


class FindingIn(StrictIn):
    audit: StrictInt
    grade: str = Field(..., max_length=20, description="Code of a finding grade, e.g. NCm.")
    requirements: list[StrictInt] = Field(..., max_length=50)
    site: StrictInt
    process: StrictInt | None = None
    question: StrictInt | None = None
    description: str = Field(..., min_length=1, max_length=TEXT)
    evidence: str = Field(..., min_length=1, max_length=TEXT)


class FindingResponseIn(StrictIn):
    accept: bool
    reason: str = Field("", max_length=TEXT)


def _require_role(request: HttpRequest) -> None:
    if not get_scope(request.user).roles:
        raise Http404


def _audit(request: HttpRequest, pk: int) -> Audit:
    audit = get_audit_for_user(request.user, pk)
    audit.next_step_names = [t.name for t in workflows.AUDIT.offered(request.user, audit)]  # type: ignore[attr-defined]
    return audit


def _many(qs: Any, ids: list[int], field: str) -> list[Any]:
    found = list(qs.filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise field_error(field, _("No such record, or it is not available to you."), "not_found")
    return found


@router.get("/audit-programmes", response=AuditProgrammePage, summary="Audit programmes (central roles)")
def programme_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    _require_role(request)
    return page(programmes_visible_to(request.user).order_by("-year", "pk"), paging)


@router.post("/audit-programmes", response={201: AuditProgrammeOut}, summary="Create an audit programme")
def programme_create(request: HttpRequest, payload: AuditProgrammeIn) -> Status[AuditProgramme]:
    require_manager(request.user)
    return Status(201, services.create_programme(data=payload.model_dump(), by=request.user))


@router.get("/audit-programmes/{pk}", response=AuditProgrammeOut, summary="One audit programme")
def programme_detail(request: HttpRequest, pk: int) -> AuditProgramme:
    return get_programme_for_user(request.user, pk)


@router.get("/audits", response=AuditPage, summary="Audits visible to you")
def audit_list(request: HttpRequest, filters: Query[AuditListFilter], paging: Query[PageIn]) -> dict[str, Any]:
    _require_role(request)
    qs = audits_visible_to(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.programme is not None:
        qs = qs.filter(programme_id=filters.programme)
    return page(qs.order_by("-start_date", "-pk"), paging)


@router.post("/audits", response={201: AuditDetailOut}, summary="Plan an audit (programme managers)")
def audit_create(request: HttpRequest, payload: AuditIn) -> Status[Audit]:
    require_manager(request.user)
    programme = resolve_fk(programmes_visible_to(request.user), payload.programme, "programme")
    assert programme is not None
    data = payload.model_dump()
    data["sites"] = _many(Site.objects.filter(is_active=True), payload.sites, "sites")
    data["processes"] = _many(Process.objects.filter(is_active=True), payload.processes, "processes")
    data["criteria"] = _many(Requirement.objects.all(), payload.criteria, "criteria")
    people = User.objects.filter(is_active=True)
    data["lead"] = resolve_fk(people, payload.lead, "lead")
    data["team"] = _many(people, payload.team, "team")
    audit = services.create_audit(programme, data=data, by=request.user)
    return Status(201, _audit(request, audit.pk))


@router.get("/audits/{pk}", response=AuditDetailOut, summary="One audit with its checklist")
def audit_detail(request: HttpRequest, pk: int) -> Audit:
    return _audit(request, pk)


@router.post("/audits/{pk}/checklist", response=AuditDetailOut, summary="Generate the integrated checklist")
def audit_checklist(request: HttpRequest, pk: int) -> Audit:
    audit = get_audit_for_user(request.user, pk)
    services.generate_checklist(audit, by=request.user)
    return _audit(request, pk)


@router.post("/audits/{pk}/questions/{question_pk}", response=AuditQuestionOut, summary="Record a question's result")
def audit_answer(request: HttpRequest, pk: int, question_pk: int, payload: AuditAnswerIn) -> ChecklistQuestion:
    audit = get_audit_for_user(request.user, pk)
    question = audit.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404
    return services.answer_question(question, data=payload.model_dump(), by=request.user)


@router.post("/audits/{pk}/steps", response=AuditDetailOut, summary="Start or conclude the audit")
def audit_step(request: HttpRequest, pk: int, payload: AuditStepIn) -> Audit:
    audit = get_audit_for_user(request.user, pk)
    if payload.action == "start":
        services.start_audit(audit, by=request.user)
    elif payload.action == "complete":
        services.complete_audit(audit, by=request.user)
    else:
        raise field_error("action", _("Choose one of: %(values)s.") % {"values": "start, complete"})
    return _audit(request, pk)


def _findings(request: HttpRequest) -> Any:
    return findings_visible_to(request.user).select_related("grade").prefetch_related("requirements")


@router.get("/findings", response=FindingPage, summary="Audit findings visible to you")
def finding_list(request: HttpRequest, filters: Query[FindingFilter], paging: Query[PageIn]) -> dict[str, Any]:
    _require_role(request)
    qs = _findings(request)
    if filters.audit is not None:
        qs = qs.filter(audit_id=filters.audit)
    if filters.requirement is not None:
        qs = qs.filter(requirements=filters.requirement)
    if filters.response:
        qs = qs.filter(response=filters.response)
    return page(qs.order_by("-pk"), paging)


@router.post("/findings", response={201: FindingOut}, summary="Record a finding (audit team)")
def finding_create(request: HttpRequest, payload: FindingIn) -> Status[Finding]:
    audit = resolve_fk(audits_visible_to(request.user), payload.audit, "audit")
    assert audit is not None
    if not can_audit(request.user, audit):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    data: dict[str, Any] = payload.model_dump()
    data["grade"] = resolve_fk(FindingGrade.objects.filter(is_active=True), _grade_pk(payload.grade), "grade")
    data["requirements"] = _many(audit.criteria.all(), payload.requirements, "requirements")
    data["site"] = resolve_fk(Site.objects.all(), payload.site, "site")
    data["process"] = resolve_fk(Process.objects.all(), payload.process, "process")
    data["question"] = resolve_fk(audit.questions.all(), payload.question, "question")
    finding = services.add_finding(audit, data=data, by=request.user)
    return Status(201, _findings(request).get(pk=finding.pk))


def _grade_pk(code: str) -> int:
    grade = FindingGrade.objects.filter(code=code, is_active=True).first()
    if grade is None:
        raise field_error(
            "grade",
            _("Choose one of: %(values)s.")
            % {"values": ", ".join(FindingGrade.objects.filter(is_active=True).values_list("code", flat=True))},
        )
    return grade.pk


@router.get("/findings/{pk}", response=FindingOut, summary="One finding")
def finding_detail(request: HttpRequest, pk: int) -> Finding:
    return get_finding_for_user(request.user, pk)


@router.post("/findings/{pk}/response", response=FindingOut, summary="The auditee accepts or contests the finding")
def finding_response(request: HttpRequest, pk: int, payload: FindingResponseIn) -> Finding:
    finding = get_finding_for_user(request.user, pk)
    services.respond_finding(finding, accept=payload.accept, reason=payload.reason, by=request.user)
    return get_finding_for_user(request.user, pk)
