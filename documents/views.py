"""Document-control pages. Thin: parse with documents.forms, authorise with documents.access,
change through documents.services. A refused operation (ServiceError) re-renders the form with
the error (400); a step the user may not take is 403; a document or version they may not see
is 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from audit.models import AuditEvent
from audit.services import Subject, record
from core.exports import xlsx_response
from core.forms import add_service_error, run_form_action
from core.http import page_or_partial, require_role, save_form
from core.notifications import step_message
from core.pagination import BadCursor, paginate
from core.services import ServiceError
from documents import services, workflows
from documents.access import (
    PUBLISHED,
    can_register,
    can_take_step,
    documents_visible_to,
    get_document_for_user,
    get_version_for_user,
    log_sensitive_read,
    require_step,
    versions_visible_to,
)
from documents.forms import (
    ApproveForm,
    ChangeEntryForm,
    CommentForm,
    DocumentEditForm,
    DocumentFilterForm,
    DocumentRegisterForm,
    DraftForm,
    EndorseForm,
    ExternalDocumentForm,
    NewVersionForm,
    PublishForm,
    ReasonForm,
)
from documents.models import ChangeEntry, Document, DocumentVersion, ReadConfirmation, VersionStatus, WorkflowRule
from documents.models import WorkflowStep as StepRecord
from documents.selectors import KEYSET, due_limit, filter_documents, list_columns

Step = WorkflowRule.Step
PAGE_SIZE = 50
READ_LIST_CAP = 100
PDF_MAX_ROWS = 2000
FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _me(request: HttpRequest) -> User:
    """The signed-in person (every view here is behind login_required)."""
    return cast(User, request.user)


def _steps(user: Any, document: Document) -> set[str]:
    return {step for step in Step.values if can_take_step(user, document, step)}


def _fields(data: dict[str, Any], drop: tuple[str, ...] = ("file", "upload")) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in drop}


def _save(
    request: HttpRequest, form: forms.Form, template: str, ctx: dict[str, Any], save: Callable[[dict[str, Any]], Any]
) -> HttpResponse:
    return save_form(request, form, save, template=template, context={**ctx, "nav": "documents"})


# --- master list --------------------------------------------------------------------------


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("after", None)
    return query.urlencode()


def _filtered(request: HttpRequest) -> tuple[DocumentFilterForm, QuerySet[Document], int]:
    form = DocumentFilterForm(request.GET or None)
    qs = documents_visible_to(request.user)
    if form.is_valid():
        return form, filter_documents(qs, form.cleaned_data), 200
    return form, (qs.none() if form.is_bound else qs), 400 if form.is_bound else 200


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    form, qs, status = _filtered(request)
    # Only what the rows show: none of the long texts (sorting a page of search results otherwise
    # carries every match's text and its versions' through the sort), no unused joins.
    qs = list_columns(qs)
    try:
        page = paginate(qs, PAGE_SIZE, request.GET, KEYSET)
    except BadCursor as exc:
        context = {"form": form, "page": None, "nav": "documents", "cursor_error": exc, "cursor_field": exc.field}
        return page_or_partial(request, "documents/document_list.html", "_cursor_error.html", context, status=400)
    # HTMX filtering swaps only the rows; a plain GET (or a history restore) gets the whole page.
    return page_or_partial(
        request,
        "documents/document_list.html",
        "documents/_document_rows.html",
        {
            "form": form,
            "page": page,
            "today": timezone.localdate(),
            "due_limit": due_limit(),
            "nav": "documents",
            "can_register": can_register(request.user),
            "query": _query_without_page(request),
        },
        status=status,
    )


def _export_rows(qs: QuerySet[Document]) -> Any:
    for d in qs.prefetch_related("systems").iterator(chunk_size=2000):
        current = d.current_version
        yield [
            d.code,
            d.title,
            d.document_type.localized("name"),
            d.owner_unit.code,
            d.process.code if d.process else "",
            ", ".join(s.code for s in d.systems.all()),
            d.get_classification_display(),
            str(VersionStatus(d.status).label),
            current.label if current else "",
            current.effective_on if current else None,
            current.approval_instrument if current else "",
            d.next_review_on,
        ]


@login_required
def document_export(request: HttpRequest, fmt: str) -> HttpResponse:
    require_role(request.user)
    if fmt not in {"xlsx", "pdf"}:
        raise Http404
    form, qs, status = _filtered(request)
    if status != 200:
        return render(
            request, "documents/document_list.html", {"form": form, "page": None, "nav": "documents"}, status=status
        )
    with transaction.atomic():
        record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            obj=Subject("documents.document", "", "Master list export"),
            changes={"format": fmt, "filters": {k: str(v) for k, v in getattr(form, "cleaned_data", {}).items() if v}},
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with translation.override("es"):  # exported records are in Spanish, like printed documents
        if fmt == "xlsx":
            header = [
                _("Code"),
                _("Title"),
                _("Type"),
                _("Owner unit"),
                _("Process"),
                _("Management systems"),
                _("Classification"),
                _("Status"),
                _("Version in force"),
                _("In force since"),
                _("Approving instrument"),
                _("Next review"),
            ]
            return xlsx_response(f"lista-maestra-{stamp}.xlsx", "Lista maestra", header, _export_rows(qs))
        return _master_list_pdf(qs, stamp)


def _master_list_pdf(qs: QuerySet[Document], stamp: str) -> HttpResponse:
    from organization.models import Entity
    from reports.pdf import A4, print_frame, render_pdf

    entity = Entity.objects.first()
    total = qs.count()
    frame = print_frame(entity=entity, title="Lista maestra de documentos", uncontrolled_legend=False)
    pdf = render_pdf(
        "documents/master_list_pdf.html",
        {
            "frame": frame,
            "page": A4.landscape(),
            "documents": list(qs.prefetch_related("systems")[:PDF_MAX_ROWS]),
            "total": total,
            "cap": PDF_MAX_ROWS,
            "printed_at": timezone.localtime(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lista-maestra-{stamp}.pdf"'
    return response


# --- register and edit ----------------------------------------------------------------------


def _require_register(user: Any) -> None:
    require_role(user)
    if not can_register(user):
        raise PermissionDenied


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    _require_register(request.user)
    form = DocumentRegisterForm(request.POST or None, request.FILES or None, user=request.user)
    return _save(
        request,
        form,
        "documents/document_form.html",
        {"mode": "register"},
        lambda data: services.register_document(data=_fields(data), by=_me(request), upload=data["upload"]),
    )


@login_required
def document_create_external(request: HttpRequest) -> HttpResponse:
    _require_register(request.user)
    form = ExternalDocumentForm(request.POST or None, request.FILES or None, user=request.user)
    return _save(
        request,
        form,
        "documents/document_form.html",
        {"mode": "external"},
        lambda data: services.register_external_document(data=_fields(data), by=_me(request), upload=data["upload"]),
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    require_step(request.user, document, Step.ELABORATE)
    form = DocumentEditForm(request.POST or None, document=document)
    return _save(
        request,
        form,
        "documents/document_form.html",
        {"mode": "edit", "document": document},
        lambda data: services.update_document(document, data=data, by=_me(request)),
    )


@login_required
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    require_step(request.user, document, Step.ELABORATE)
    latest = document.latest_version
    form = NewVersionForm(
        request.POST or None, request.FILES or None, initial={"content": latest.content if latest else ""}
    )
    return _save(
        request,
        form,
        "documents/document_form.html",
        {"mode": "version", "document": document},
        lambda data: services.start_new_version(document, data=_fields(data), by=_me(request), upload=data["upload"]),
    )


# --- document detail and its actions -------------------------------------------------------


def _reads(user: Any, document: Document, steps: set[str]) -> dict[str, Any]:
    """Read confirmations of the vigente version: may the user confirm, and (for the owner) who
    of the audience has and has not read it."""
    current = document.current_version
    if current is None:
        return {}
    audience = services.distribution_audience(document)
    confirmations = ReadConfirmation.objects.filter(version=current)
    ctx: dict[str, Any] = {
        "in_audience": audience.filter(pk=user.pk).exists(),
        "has_read": confirmations.filter(user=user).exists(),
    }
    if Step.ELABORATE in steps:
        not_read = audience.exclude(pk__in=confirmations.values("user_id")).order_by("last_name", "first_name", "pk")
        ctx.update(
            {
                "readers": list(confirmations.select_related("user").order_by("-at")[:READ_LIST_CAP]),
                "n_read": confirmations.count(),
                "not_read": list(not_read[:READ_LIST_CAP]),
                "n_not_read": not_read.count(),
                "read_cap": READ_LIST_CAP,
            }
        )
    return ctx


def _detail_context(request: HttpRequest, document: Document, **bound: Any) -> dict[str, Any]:
    user = request.user
    steps = _steps(user, document)
    steps_qs = StepRecord.objects.select_related("unit").order_by("at", "pk")
    versions = list(
        versions_visible_to(user)
        .filter(document=document)
        .order_by("-number")
        .prefetch_related(Prefetch("steps", queryset=steps_qs))
    )
    changes = (
        ChangeEntry.objects.filter(version__in=[v.pk for v in versions])
        .select_related("version")
        .order_by("version__number", "order", "pk")
    )
    latest = document.latest_version
    if latest is not None:
        latest.document = document  # one document object: its workflow rules are read once
    current = document.current_version
    ctx: dict[str, Any] = {
        "document": document,
        "versions": versions,
        "changes": changes,
        "steps": steps,
        "nav": "documents",
        "systems": document.systems.all(),
        "distribution": document.distribution_units.all(),
        "requirements": document.requirements.select_related("edition"),
        "today": timezone.localdate(),
        "due_limit": due_limit(),
        "can_new_version": (
            Step.ELABORATE in steps
            and not document.is_external
            and not document.is_issued_record
            and (latest is None or latest.status in PUBLISHED)
        ),
        # The workflow buttons of the version under way, here as on its own page.
        "latest": latest if latest is not None and latest.status not in PUBLISHED else None,
        "latest_forms": _offered_forms(request, latest)
        if latest is not None and latest.status not in PUBLISHED
        else {},
        "withdraw_form": ReasonForm(prefix="withdraw") if Step.APPROVE in steps and current else None,
        "reviewed_form": CommentForm(prefix="reviewed") if Step.REVIEW in steps and current else None,
        **_reads(user, document, steps),
    }
    ctx.update(bound)
    return ctx


@login_required
def document_origin(request: HttpRequest, pk: int) -> HttpResponse:
    """The record an issued document comes from (an audit…): its own page checks who sees it."""
    document = get_document_for_user(request.user, pk)
    origin = document.origin if document.is_issued_record else None
    url = getattr(origin, "get_absolute_url", None)
    if origin is None or url is None:
        raise Http404
    return redirect(url())


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    log_sensitive_read(request.user, document, "detail")
    return render(request, "documents/document_detail.html", _detail_context(request, document))


def _document_post(
    request: HttpRequest,
    pk: int,
    step: str | None,
    form_key: str,
    form: forms.Form | None,
    run: Callable[[Document, dict[str, Any]], Any],
) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    if step is not None:
        require_step(request.user, document, step)
    done, error = run_form_action(form, lambda data: run(document, data))
    if done:
        messages.success(request, _("Changes saved."))
        return redirect(document)
    ctx = _detail_context(request, document, **({form_key: form} if form is not None else {}), action_error=error)
    return render(request, "documents/document_detail.html", ctx, status=400)


@login_required
@require_POST
def document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_post(
        request,
        pk,
        Step.APPROVE,
        "withdraw_form",
        ReasonForm(request.POST, prefix="withdraw"),
        lambda doc, data: services.withdraw(doc, by=_me(request), reason=data["reason"]),
    )


@login_required
@require_POST
def document_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_post(
        request,
        pk,
        Step.REVIEW,
        "reviewed_form",
        CommentForm(request.POST, prefix="reviewed"),
        lambda doc, data: services.mark_reviewed(doc, by=_me(request), comment=data["comment"]),
    )


def _confirm_read(document: Document, user: Any) -> Any:
    if document.current_version is None:
        raise ServiceError(_("The document has no vigente version."))
    return services.confirm_read(document.current_version, by=user)


@login_required
@require_POST
def document_confirm_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Any member of the audience may confirm reading, readers included: it records their
    awareness and changes nothing of the document."""
    return _document_post(request, pk, None, "", None, lambda doc, data: _confirm_read(doc, request.user))


# --- version detail and the workflow ---------------------------------------------------------


@dataclass(frozen=True)
class VersionAction:
    transition: str  # the name in documents.workflows.VERSION
    form: Callable[..., forms.Form]
    run: Callable[[DocumentVersion, dict[str, Any], Any], Any]


def _endorse_form(version: DocumentVersion, *args: Any, **kwargs: Any) -> forms.Form:
    return EndorseForm(*args, pending=services.pending_endorsements(version), **kwargs)


def _approve(version: DocumentVersion, data: dict[str, Any], by: Any) -> Any:
    publish_on = (data["effective_on"] or timezone.localdate()) if data["publish_now"] else None
    return services.approve(
        version,
        by=by,
        instrument=data["instrument"],
        approved_on=data["approved_on"],
        comment=data["comment"],
        publish_on=publish_on,
    )


# The version page's forms, by the URL segment users see (Spanish); which of them a person is
# offered, and whether they may post one, comes from the workflow table (documents.workflows).
ACTIONS: dict[str, VersionAction] = {
    "editar": VersionAction(
        "edit",
        lambda v, *a, **k: DraftForm(*a, **k),
        lambda v, data, by: services.update_draft(v, data=_fields(data), by=by, upload=data["upload"]),
    ),
    "cambios": VersionAction(
        "change_entry",
        lambda v, *a, **k: ChangeEntryForm(*a, **k),
        lambda v, data, by: services.add_change_entry(v, data=data, by=by),
    ),
    "enviar": VersionAction(
        "submit",
        lambda v, *a, **k: CommentForm(*a, **k),
        lambda v, data, by: services.submit_for_review(v, by=by, comment=data["comment"]),
    ),
    "revisar": VersionAction(
        "review",
        lambda v, *a, **k: CommentForm(*a, **k),
        lambda v, data, by: services.review(v, by=by, comment=data["comment"]),
    ),
    "visar": VersionAction(
        "endorse",
        _endorse_form,
        lambda v, data, by: services.endorse(v, by=by, unit=data["unit"], comment=data["comment"]),
    ),
    "aprobar": VersionAction("approve", lambda v, *a, **k: ApproveForm(*a, **k), _approve),
    "publicar": VersionAction(
        "publish",
        lambda v, *a, **k: PublishForm(*a, **k),
        lambda v, data, by: services.publish(v, by=by, effective_on=data["effective_on"]),
    ),
    "devolver": VersionAction(
        "reject",
        lambda v, *a, **k: ReasonForm(*a, **k),
        lambda v, data, by: services.reject(v, by=by, reason=data["reason"]),
    ),
}
BY_TRANSITION = {spec.transition: key for key, spec in ACTIONS.items()}


def _offered_forms(
    request: HttpRequest, version: DocumentVersion, bound: dict[str, forms.Form] | None = None
) -> dict[str, forms.Form]:
    """The workflow forms this person is offered on the version (documents.workflows)."""
    offered: dict[str, forms.Form] = {}
    for transition in workflows.VERSION.offered(request.user, version):
        key = BY_TRANSITION[transition.name]
        initial = (
            {"content": version.content, "endorsing_units": list(version.endorsing_units.values_list("pk", flat=True))}
            if key == "editar"
            else None
        )
        offered[key] = ACTIONS[key].form(version, prefix=key, initial=initial)
    offered.update(bound or {})
    return offered


def _version_context(
    request: HttpRequest, version: DocumentVersion, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    document = version.document
    steps = _steps(request.user, document)
    records = list(version.steps.select_related("unit").order_by("at", "pk"))
    return {
        "version": version,
        "document": document,
        "steps": steps,
        "forms": _offered_forms(request, version, bound),
        "nav": "documents",
        "records": records,
        "changes": version.changes.all(),
        "endorsing_units": version.endorsing_units.all(),
        "pending_units": services.pending_endorsements(version)
        if version.status == VersionStatus.IN_ENDORSEMENT
        else [],
    }


# What the page says after each step, before naming who acts next (core.notifications).
DONE = {
    "enviar": gettext_lazy("Sent to review"),
    "revisar": gettext_lazy("Reviewed"),
    "visar": gettext_lazy("Endorsement recorded"),
    "aprobar": gettext_lazy("Approved"),
    "devolver": gettext_lazy("Returned to draft"),
}


def _step_news(request: HttpRequest, version: DocumentVersion, action: str) -> str:
    version.refresh_from_db()
    if version.status == VersionStatus.CURRENT:
        n = services.distribution_audience(version.document).exclude(pk=request.user.pk).count()
        return ngettext(
            "In force: %(n)s person of its distribution was told to read it.",
            "In force: %(n)s people of its distribution were told to read it.",
            n,
        ) % {"n": n}
    if action not in DONE:
        return _("Changes saved.")
    return step_message(DONE[action], workflows.VERSION.next_actors(version))


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk, number)
    log_sensitive_read(request.user, version.document, "version", version)
    return render(request, "documents/version_detail.html", _version_context(request, version))


@login_required
@require_POST
def version_action(request: HttpRequest, pk: int, number: int, action: str) -> HttpResponse:
    version = get_version_for_user(request.user, pk, number)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    transition = workflows.VERSION.get(spec.transition)
    if transition is None or not workflows.VERSION.allows(request.user, version, transition):
        raise PermissionDenied
    form = spec.form(version, request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            spec.run(version, form.cleaned_data, request.user)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _step_news(request, version, action))
            # Posted from the document page (its latest version's buttons): back there.
            return redirect(version.document if request.POST.get("from") == "document" else version)
    return render(
        request, "documents/version_detail.html", _version_context(request, version, {action: form}), status=400
    )


# --- files ---------------------------------------------------------------------------------


@login_required
def version_file(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """The uploaded original of a version the user may see."""
    version = get_version_for_user(request.user, pk, number)
    if not version.file:
        raise Http404
    log_sensitive_read(request.user, version.document, "file", version)
    name = version.file_name or f"{version.document.code}-v{version.label}.{version.file_type}"
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=FILE_TYPES.get(version.file_type, "application/octet-stream"),
    )


@login_required
def version_controlled_pdf(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """The controlled copy (vigente or obsolete versions), byte-identical to what /verifica/ checks."""
    version = get_version_for_user(request.user, pk, number)
    if version.status not in PUBLISHED or not version.controlled_pdf:
        raise Http404
    log_sensitive_read(request.user, version.document, "controlled_copy", version)
    name = f"{version.document.code}-v{version.label}.pdf"
    return FileResponse(
        version.controlled_pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
