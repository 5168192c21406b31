"""Pages of the integrity registers (thin: access helpers, services, core.http helpers)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from core.http import require_role, save_form
from core.pagination import CappedPaginator
from core.services import ServiceError
from integrity import selectors, services
from integrity.access import (
    can_decide_gift,
    can_keep,
    declarations_visible_to,
    get_dd_for_user,
    get_gift_for_user,
    get_key_position_for_user,
    get_partner_for_user,
    gifts_visible_to,
    key_positions_visible_to,
    partners_visible_to,
    require_keeper,
)
from integrity.forms import DeclarationForm, DueDiligenceForm, GiftDecisionForm, GiftForm, KeyPositionForm, PartnerForm
from integrity.models import BusinessPartner, DueDiligence, Gift, RiskLevel
from integrity.reports import PDF_MAX_ROWS, PartnerMatrix

NAV = "integrity"
PAGE_SIZE = 50
FORM = "integrity/form.html"


def _form_page(
    request: HttpRequest, form: Any, save: Any, title: str, back: str, redirect_to: Any = None
) -> HttpResponse:
    return save_form(
        request, form, save, template=FORM, context={"nav": NAV, "title": title, "back": back}, redirect_to=redirect_to
    )


# --- business partners -----------------------------------------------------------------------


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    filters = selectors.partner_filters(request.GET)
    qs = selectors.partner_rows(selectors.filter_partners(partners_visible_to(request.user), filters))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/partner_list.html",
        {
            "nav": NAV,
            "page": page,
            "q": filters["q"],
            "risk": filters["risk"],
            "kind": filters["kind"],
            "risks": RiskLevel.choices,
            "kinds": BusinessPartner.Kind.choices,
            "filter_query": urlencode({k: v for k, v in filters.items() if v}),
            "pdf_max_rows": PDF_MAX_ROWS,
            "can_keep": can_keep(request.user),
        },
    )


@login_required
def partner_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    require_keeper(request.user)
    form = PartnerForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: services.create_partner(data=d, by=request.user),
        _("New business partner"),
        "integrity:partner_list",
    )


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, pk, write=True)
    form = PartnerForm(request.POST or None, instance=partner)
    return _form_page(
        request,
        form,
        lambda d: services.update_partner(partner, data=d, by=request.user),
        str(partner),
        "integrity:partner_list",
    )


@login_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, pk)
    return render(
        request,
        "integrity/partner_detail.html",
        {
            "nav": NAV,
            "partner": partner,
            "dds": list(partner.due_diligences.select_related("responsible")),
            "gifts": list(gifts_visible_to(request.user).filter(partner=partner)[:50]),
            "can_keep": can_keep(request.user),
        },
    )


@login_required
def matrix(request: HttpRequest, fmt: str) -> HttpResponseBase:
    require_role(request.user)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    filters = {k: v for k, v in selectors.partner_filters(request.GET).items() if v}
    return PartnerMatrix(request.user, filters).download(
        request, fmt, changes={"filters": filters} if filters else None
    )


@login_required
def partner_import(request: HttpRequest) -> HttpResponseBase:
    """Import today's partner matrix (XLSX): every row or none, errors by row and column."""
    from core.http import XLSX
    from integrity.importers import PartnerImporter

    require_role(request.user)
    require_keeper(request.user)
    spec = PartnerImporter()
    if request.GET.get("plantilla"):
        response = HttpResponse(spec.template_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="plantilla-socios-negocio.xlsx"'
        return response
    errors: list[Any] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > 20 * 1024 * 1024:
            errors = [_("Choose an XLSX file (at most 20 MB).")]
        else:
            created, row_errors = spec.run(upload.read(), by=request.user)
            if not row_errors:
                messages.success(request, _("%(n)s business partners imported.") % {"n": len(created)})
                return redirect("integrity:partner_list")
            errors = [f"{_('Row')} {e.row or '—'} {e.column}: {e.message}" for e in row_errors]
    return render(
        request,
        "integrity/import.html",
        {"nav": NAV, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def compliance_report(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The compliance report of the partner and key-position controls, from the registers."""
    from integrity.reports import ComplianceReport

    require_role(request.user)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    return ComplianceReport(request.user).download(request, fmt)


# --- key positions ---------------------------------------------------------------------------


@login_required
def key_position_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    qs = selectors.key_position_rows(key_positions_visible_to(request.user))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/key_position_list.html",
        {
            "nav": NAV,
            "page": page,
            "positions": selectors.with_latest_dd(list(page)),
            "can_keep": can_keep(request.user),
        },
    )


@login_required
def key_position_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    require_keeper(request.user)
    form = KeyPositionForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: services.create_key_position(data=d, by=request.user),
        _("New key position"),
        "integrity:key_position_list",
    )


@login_required
def key_position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_key_position_for_user(request.user, pk, write=True)
    form = KeyPositionForm(request.POST or None, instance=position)
    return _form_page(
        request,
        form,
        lambda d: services.update_key_position(position, data=d, by=request.user),
        str(position),
        "integrity:key_position_list",
    )


# --- due diligence ---------------------------------------------------------------------------


@login_required
def dd_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    from integrity.access import due_diligence_visible_to

    today = timezone.localdate()
    filters = selectors.dd_filters(request.GET)
    qs = selectors.dd_rows(selectors.filter_dds(due_diligence_visible_to(request.user), filters, today))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/dd_list.html",
        {
            "nav": NAV,
            "page": page,
            "today": today,
            "status": filters["status"],
            "review": filters["review"],
            "statuses": DueDiligence.Status.choices,
            "reviews": [("overdue", _("Review overdue")), ("soon", _("Review in the next 30 days"))],
            "can_keep": can_keep(request.user),
        },
    )


@login_required
def dd_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    require_keeper(request.user)
    initial: dict[str, Any] = {"started_on": timezone.localdate()}
    for name in ("partner", "key_position"):
        value = request.GET.get(name, "")
        if value.isdigit() and len(value) < 18:
            initial[name] = int(value)
    form = DueDiligenceForm(request.POST or None, initial=initial)
    form.fields["partner"].queryset = partners_visible_to(request.user)  # type: ignore[attr-defined]
    form.fields["key_position"].queryset = key_positions_visible_to(request.user)  # type: ignore[attr-defined]
    return _form_page(
        request,
        form,
        lambda d: services.create_due_diligence(data=d, by=request.user),
        _("New due diligence"),
        "integrity:dd_list",
    )


@login_required
def dd_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dd = get_dd_for_user(request.user, pk)
    editable = dd.status == DueDiligence.Status.IN_PROGRESS and can_keep(request.user)
    if request.method == "POST":
        require_keeper(request.user)
    elif not editable:
        return render(request, "integrity/dd_detail.html", {"nav": NAV, "dd": dd})
    form = DueDiligenceForm(request.POST or None, instance=dd)
    return save_form(
        request,
        form,
        lambda d: services.update_due_diligence(dd, data=d, by=request.user),
        template=FORM,
        context={"nav": NAV, "title": str(dd), "back": "integrity:dd_list", "dd": dd},
        redirect_to=lambda obj: obj.get_absolute_url(),
    )


@login_required
@require_POST
def dd_complete(request: HttpRequest, pk: int) -> HttpResponse:
    dd = get_dd_for_user(request.user, pk, write=True)
    try:
        services.complete_due_diligence(dd, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return render(request, "integrity/dd_detail.html", {"nav": NAV, "dd": dd, "error": exc.message}, status=400)
    messages.success(request, _("Due diligence completed."))
    return redirect(dd.get_absolute_url())


# --- gifts -----------------------------------------------------------------------------------


@login_required
def gift_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    qs = gifts_visible_to(request.user).select_related("servant", "approver", "partner")
    page = CappedPaginator(qs.order_by("-on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/gift_list.html",
        {"nav": "integrity_gifts", "page": page, "threshold": services.gift_threshold()},
    )


@login_required
def gift_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    form = GiftForm(request.POST or None, initial={"on": timezone.localdate()})
    form.fields["partner"].queryset = partners_visible_to(request.user)  # type: ignore[attr-defined]
    return _form_page(
        request,
        form,
        lambda d: services.register_gift(data=d, by=request.user),
        _("Register a gift or hospitality"),
        "integrity:gift_list",
    )


@login_required
def gift_detail(request: HttpRequest, pk: int) -> HttpResponse:
    gift = get_gift_for_user(request.user, pk)
    form = GiftDecisionForm(request.POST or None)
    above = gift.value > services.gift_threshold()
    if request.method == "POST":
        if form.is_valid():
            try:
                services.decide_gift(
                    gift, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"], by=request.user
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            except PermissionDenied:
                raise
            else:
                messages.success(request, _("Decision recorded."))
                return redirect(gift.get_absolute_url())
    may_decide = gift.decision == Gift.Decision.PENDING and can_decide_gift(request.user, gift, above)
    return render(
        request,
        "integrity/gift_detail.html",
        {
            "nav": "integrity_gifts",
            "gift": gift,
            "form": form,
            "above": above,
            "may_decide": may_decide,
            "threshold": services.gift_threshold(),
        },
        status=400 if form.is_bound else 200,
    )


# --- conflict-of-interest declarations -------------------------------------------------------


@login_required
def declaration_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    rows = list(declarations_visible_to(request.user).select_related("person")[:500])
    today = timezone.localdate()
    return render(
        request,
        "integrity/declaration_list.html",
        {"nav": "integrity_declarations", "rows": [(d, d.state(today)) for d in rows]},
    )


@login_required
def declaration_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    form = DeclarationForm(request.POST or None, initial={"declared_on": timezone.localdate()})
    return _form_page(
        request,
        form,
        lambda d: services.declare_conflicts(data=d, by=request.user),
        _("Declare conflicts of interest"),
        "integrity:declaration_list",
        redirect_to="integrity:declaration_list",
    )


__all__ = ["BusinessPartner"]
