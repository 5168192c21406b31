"""The nonconformity register and the page of one NC with each step of its loop: correction,
root-cause analysis, action plan, approval, execution, effectiveness verification. Thin: parse,
authorise through nonconformities.access, call one service, render or redirect. A refused step
re-renders the page with 400 and the reason on the field it names; nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.http import form_on_page, require_role, save_form
from core.pagination import CappedPaginator
from core.services import ServiceError
from nonconformities import services, workflows
from nonconformities.access import can_raise, get_nc_for_user, is_keeper, is_verifier, ncs_visible_to
from nonconformities.forms import (
    ActionForm,
    AnalysisForm,
    CorrectionForm,
    FollowUpForm,
    NCFilterForm,
    NCForm,
    VerificationForm,
)
from nonconformities.models import Nonconformity
from nonconformities.selectors import attach_action_counts, filter_ncs, register_rows

PAGE_SIZE = 50
NAV = "nonconformities"
LABELS = {
    "status": Nonconformity.Status.choices,
    "grade": Nonconformity.Grade.choices,
    "source": Nonconformity.Source.choices,
}


@login_required
def nc_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    today = timezone.localdate()
    params = request.GET.copy()
    params.pop("page", None)
    form = NCFilterForm(params or None, user=request.user)
    qs, status = ncs_visible_to(request.user), 200
    if form.is_bound:
        if form.is_valid():
            qs = filter_ncs(qs, form.cleaned_data, today)
        else:
            qs, status = qs.none(), 400
    # Counts at most 10,001 rows ('more than 10,000'): an exact count over 200,000 NCs is a scan.
    page = CappedPaginator(register_rows(qs, today), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    attach_action_counts(page.object_list, today)
    # Choice labels translated once per page, not three times per row (get_FOO_display is slow).
    labels = {name: {k: str(v) for k, v in choices} for name, choices in LABELS.items()}
    for nc in page.object_list:
        nc.labels = {name: labels[name].get(getattr(nc, name), getattr(nc, name)) for name in LABELS}
    return render(
        request,
        "nonconformities/nc_list.html",
        {"form": form, "page": page, "rows": register_rows_html(page.object_list), "nav": NAV,
         "can_raise": can_raise(request.user)},
        status=status,
    )  # fmt: skip


ROW = (
    '\n    <tr data-code="{code}" data-status="{status}" data-grade="{grade}">'
    '\n      <td><a href="{url}">{code}</a></td>'
    "\n      <td>{title}</td>"
    "\n      <td>{grade_label}</td>"
    "\n      <td>{source_label}</td>"
    "\n      <td>{site}</td>"
    "\n      <td>{detected}</td>"
    '\n      <td data-testid="action-count" data-overdue="{n_overdue}">{n_actions}{overdue}</td>'
    '\n      <td><span class="badge {badge}">{status_label}</span></td>'
    "\n    </tr>"
)


def register_rows_html(rows: list[Nonconformity]) -> SafeString:
    """The register's rows, rendered in Python: profiling the page at 200,000 NCs showed the
    template's ~20 variable lookups per row costing more than its queries (the same markup the
    template wrote, every value escaped by format_html)."""
    if not rows:
        return format_html('\n    <tr><td colspan="8">{}</td></tr>', _("No nonconformities."))
    parts = []
    for nc in rows:
        labels: Any = nc.labels  # type: ignore[attr-defined]
        late = nc.n_overdue  # type: ignore[attr-defined]
        overdue = (
            format_html(
                ' <span class="badge danger">{}</span>', ngettext("%(n)s overdue", "%(n)s overdue", late) % {"n": late}
            )
            if late
            else ""
        )
        parts.append(
            format_html(
                ROW,
                code=nc.code,
                status=nc.status,
                grade=nc.grade,
                url=nc.get_absolute_url(),
                title=Truncator(nc.title).chars(120),
                grade_label=labels["grade"],
                source_label=labels["source"],
                site=nc.site.code,
                detected=date_format(nc.detected_on, "SHORT_DATE_FORMAT"),
                n_overdue=late,
                n_actions=nc.n_actions,  # type: ignore[attr-defined]
                overdue=overdue,
                badge="ok" if nc.status == Nonconformity.Status.CLOSED else "warn",
                status_label=labels["status"],
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped by format_html


# The kind of source an NC raised from a record of each kind starts with (the person may change it).
ORIGIN_SOURCES = {"supervisions.supervision": Nonconformity.Source.SUPERVISION}


def _origin(request: HttpRequest) -> tuple[str, Any]:
    """The record the NC is raised from (?origin=<app.model>&origin_id=<pk>), when it is a kind
    of record the platform knows (core.registry.EvidenceKind) and the person may see it."""
    from evidence.registry import visible_evidence

    params = request.POST if request.method == "POST" else request.GET
    label, pk = params.get("origin", ""), params.get("origin_id", "")
    if not label:
        return "", None
    record = visible_evidence(request.user, label, pk)
    if record is None:
        raise Http404
    return label, record


@login_required
def nc_create(request: HttpRequest) -> HttpResponse:
    """Raise an NC, from scratch or from the record it comes from (a supervision, a session…)."""
    require_role(request.user)
    if not can_raise(request.user):
        raise PermissionDenied
    label, origin = _origin(request)
    initial: dict[str, Any] = {"detected_on": timezone.localdate()}
    if origin is not None:
        initial.update(source=ORIGIN_SOURCES.get(label, Nonconformity.Source.SELF), source_reference=str(origin)[:200])
        if getattr(origin, "site_id", None):
            initial["site"] = origin.site_id
    form = NCForm(request.POST or None, user=request.user, initial=initial)
    return save_form(
        request,
        form,
        lambda d: services.raise_nc(data=d, by=request.user, origin=origin),
        template="nonconformities/nc_form.html",
        context={"nav": NAV, "origin": origin, "origin_label": label},
    )


def _detail(
    request: HttpRequest, nc: Nonconformity, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    from evidence.selectors import evidence_for

    user = request.user
    keeper = is_keeper(user, nc)
    editable = keeper and nc.status in services.ANALYSIS_OPEN
    actions = list(
        workflows.actions_of(nc).select_related("responsible", "responsible_unit", "site").order_by("number", "pk")
    )
    evidence = evidence_for(user, actions) if actions else {}
    for a in actions:
        a.evidence_items = evidence.get(a.pk, [])
    ctx: dict[str, Any] = {
        "nc": nc,
        "nav": NAV,
        "today": timezone.localdate(),
        "requirements": list(nc.requirements.select_related("edition").order_by("edition__standard__order", "order")),
        "actions": actions,
        "checks": list(nc.checks.select_related("verified_by").order_by("pk")),
        "steps": [t for t in workflows.NC.offered(user, nc) if t.name not in workflows.VERIFICATION],
        "origin": _origin_link(user, nc),
        "correction_form": CorrectionForm(
            prefix="correction", initial={"correction": nc.correction, "correction_on": nc.correction_on}
        )
        if editable
        else None,
        "analysis_form": AnalysisForm(prefix="analysis", initial=AnalysisForm.initial_for(nc)) if editable else None,
        "action_form": ActionForm(prefix="action", nc=nc) if editable else None,
        "verification_form": VerificationForm(prefix="verification")
        if nc.status == Nonconformity.Status.VERIFICATION and is_verifier(user)
        else None,
        "step_error": "",
    }
    ctx.update(bound or {})
    return render(request, "nonconformities/nc_detail.html", ctx, status=status)


def _origin_link(user: Any, nc: Nonconformity) -> tuple[str, str] | None:
    origin = nc.origin if nc.origin_type_id else None
    if origin is None or not hasattr(origin, "get_absolute_url"):
        return None
    return str(origin), origin.get_absolute_url()


@login_required
def nc_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_nc_for_user(request.user, pk))


def _apply(
    request: HttpRequest,
    nc: Nonconformity,
    form: forms.Form,
    name: str,
    save: Callable[[dict[str, Any]], Any],
    anchor: str,
) -> HttpResponse:
    def rerender() -> HttpResponse:
        nc.refresh_from_db()
        return _detail(request, nc, bound={name: form}, status=400)

    return form_on_page(request, nc, form, save, anchor=anchor, rerender=rerender)


def _writable(request: HttpRequest, pk: int) -> Nonconformity:
    nc = get_nc_for_user(request.user, pk)
    if not is_keeper(request.user, nc) and not is_verifier(request.user, nc):
        raise PermissionDenied
    return nc


@login_required
@require_POST
def nc_correction(request: HttpRequest, pk: int) -> HttpResponse:
    nc = _writable(request, pk)
    form = CorrectionForm(request.POST, prefix="correction")
    return _apply(
        request,
        nc,
        form,
        "correction_form",
        lambda d: services.record_correction(nc, correction=d["correction"], on=d["correction_on"], by=request.user),
        "correction",
    )


@login_required
@require_POST
def nc_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    nc = _writable(request, pk)
    form = AnalysisForm(request.POST, prefix="analysis")
    return _apply(
        request,
        nc,
        form,
        "analysis_form",
        lambda d: services.record_analysis(nc, **form.analysis(), by=request.user),
        "analysis",
    )


@login_required
@require_POST
def nc_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    nc = _writable(request, pk)
    form = ActionForm(request.POST, prefix="action", nc=nc)
    return _apply(
        request,
        nc,
        form,
        "action_form",
        lambda d: services.propose_action(
            nc, title=d["title"], responsible=d["responsible"], due_date=d["due_date"], by=request.user
        ),
        "actions",
    )


@login_required
@require_POST
def nc_step(request: HttpRequest, pk: int) -> HttpResponse:
    nc = get_nc_for_user(request.user, pk)
    action = request.POST.get("action", "")
    if workflows.NC.get(action) is None:
        raise Http404
    try:
        services.take_step(nc, action=action, by=request.user)
    except ServiceError as exc:
        nc.refresh_from_db()
        return _detail(request, nc, bound={"step_error": exc.message}, status=400)
    messages.success(request, _("Done: the nonconformity is now %(s)s.") % {"s": nc.get_status_display()})
    return redirect(nc)


@login_required
@require_POST
def nc_verify(request: HttpRequest, pk: int) -> HttpResponse:
    nc = get_nc_for_user(request.user, pk)
    if not is_verifier(request.user, nc):
        raise PermissionDenied
    form = VerificationForm(request.POST, prefix="verification")
    return _apply(
        request,
        nc,
        form,
        "verification_form",
        lambda d: services.verify_effectiveness(nc, rating=d["rating"], note=d["note"], by=request.user),
        "verification",
    )


@login_required
def follow_up(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The follow-up report of improvement actions (seed), filtered by year, site and system."""
    from nonconformities.reports import FollowUpReport

    require_role(request.user)
    form = FollowUpForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "nonconformities/follow_up.html", {"form": form, "nav": NAV}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    if fmt == "html":
        return render(
            request, "nonconformities/follow_up.html", {"form": form, "nav": NAV, "query": request.GET.urlencode()}
        )
    report = FollowUpReport(request.user, year=data.get("year"), site=data.get("site"), system=data.get("system") or "")
    return report.download(request, fmt, changes={"rows": len(report.rows())})
