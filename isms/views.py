"""SGSI pages: the asset inventory, the Statements of Applicability (with the 2013→2022
migration, approval and the PDF/XLSX) and the incidents (anyone reports; the Oficial de
Seguridad handles them; a personal-data breach shows its notification countdown)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import get_or_404, get_scope
from core.http import require_role, save_form
from core.services import ServiceError
from isms import access, services
from isms.forms import AssetForm, AssetRiskForm, IncidentHandlingForm, IncidentReportForm, SoaCreateForm, SoaEntryForm
from isms.models import Asset, Incident, Soa, SoaEntry, Threat, Vulnerability
from isms.reports import SoaReport
from organization.models import Site

PAGE_SIZE = 50
NAV = "isms"


# --- assets ----------------------------------------------------------------------------------


@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    qs = access.assets_visible_to(request.user).select_related("owner", "process").order_by("code")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "isms/asset_list.html", {"page": page, "nav": NAV, "can_keep": access.keeps_isms(request.user)}
    )


def _asset_initial(asset: Asset) -> dict[str, Any]:
    initial: dict[str, Any] = {f: getattr(asset, f) for f in services.ASSET_FIELDS if f not in ("owner", "process")}
    initial.update(
        owner=asset.owner_id,
        process=asset.process_id,
        depends_on=list(asset.depends_on.values_list("pk", flat=True)),
        risks=list(asset.risks.values_list("pk", flat=True)),
    )
    return initial


@login_required
def asset_create(request: HttpRequest) -> HttpResponse:
    access.require_keeper(request.user)
    form = AssetForm(request.POST or None, initial={"in_scope": True, "owner": request.user.pk})
    return save_form(
        request,
        form,
        lambda data: services.create_asset(data=data, by=request.user),
        template="isms/asset_form.html",
        context={"nav": NAV},
    )


@login_required
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    asset = access.get_asset_for_user(request.user, pk)
    access.require_keeper(request.user)
    form = AssetForm(request.POST or None, initial=_asset_initial(asset))
    return save_form(
        request,
        form,
        lambda data: services.update_asset(asset, data=data, by=request.user),
        template="isms/asset_form.html",
        context={"nav": NAV, "asset": asset},
    )


@login_required
def asset_detail(request: HttpRequest, pk: int, risk_form: Any = None) -> HttpResponse:
    asset = access.get_asset_for_user(request.user, pk)
    return render(
        request,
        "isms/asset_detail.html",
        {
            "asset": asset,
            "nav": NAV,
            "depends_on": asset.depends_on.order_by("code"),
            "dependents": asset.dependents.order_by("code"),
            "risks": asset.risks.select_related("method").order_by("code"),
            "incidents": asset.incidents.order_by("-reported_at")[:20],
            "can_keep": access.keeps_isms(request.user),
            "risk_form": risk_form or AssetRiskForm(initial={"code": f"R-SI-{asset.code}"}),
        },
        status=400 if risk_form is not None else 200,
    )


@login_required
@require_POST
def asset_risk(request: HttpRequest, pk: int) -> HttpResponse:
    """Register an asset-based risk (threat × vulnerability) in the one register."""
    asset = access.get_asset_for_user(request.user, pk)
    access.require_keeper(request.user)
    form = AssetRiskForm(request.POST)
    if form.is_valid():
        try:
            risk = services.register_asset_risk(
                asset,
                threat=form.cleaned_data["threat"],
                vulnerability=form.cleaned_data["vulnerability"],
                code=form.cleaned_data["code"],
                by=request.user,
            )
        except ServiceError as exc:
            from core.forms import add_service_error

            add_service_error(form, exc)
        else:
            messages.success(request, _("Risk registered; evaluate it in the register."))
            return redirect(risk)
    return asset_detail(request, pk, risk_form=form)


@login_required
def threat_catalogue(request: HttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    return render(
        request,
        "isms/threats.html",
        {"threats": Threat.objects.all(), "vulnerabilities": Vulnerability.objects.all(), "nav": NAV},
    )


# --- Statements of Applicability ----------------------------------------------------------------


@login_required
def soa_list(request: HttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    soas = (
        access.soas_visible_to(request.user)
        .select_related("edition", "migrated_from")
        .annotate(
            n=Count("entries"),
            n_applicable=Count("entries", filter=Q(entries__applicable=True)),
            n_pending=Count("entries", filter=Q(entries__needs_decision=True)),
        )
        .order_by("-created_at", "-pk")
    )
    form = SoaCreateForm(initial={"title": "Declaración de aplicabilidad"})
    return render(
        request,
        "isms/soa_list.html",
        {"soas": soas, "nav": NAV, "can_keep": access.keeps_isms(request.user), "form": form},
    )


@login_required
def soa_create(request: HttpRequest) -> HttpResponse:
    access.require_keeper(request.user)
    form = SoaCreateForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: services.create_soa(edition=data["edition"], title=data["title"], by=request.user),
        template="isms/soa_form.html",
        context={"nav": NAV},
    )


@login_required
def soa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    soa = access.get_soa_for_user(request.user, pk)
    entries = soa.entries.select_related("control").prefetch_related("controls", "risks").order_by("control__order")
    show = request.GET.get("show", "")
    if show == "pending":
        entries = entries.filter(needs_decision=True)
    elif show == "excluded":
        entries = entries.filter(applicable=False)
    return render(
        request,
        "isms/soa_detail.html",
        {
            "soa": soa,
            "entries": entries,
            "show": show,
            "nav": NAV,
            "can_keep": access.keeps_isms(request.user) and soa.status == Soa.Status.DRAFT,
            "can_migrate": access.keeps_isms(request.user) and soa.edition.label == "ISO/IEC 27001:2013",
            "pending": soa.entries.filter(needs_decision=True).count(),
        },
    )


@login_required
def soa_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    soa = access.get_soa_for_user(request.user, pk)
    access.require_keeper(request.user)
    entry = get_or_404(SoaEntry.objects.select_related("control", "soa"), pk=entry_pk, soa=soa)
    initial = {
        "applicable": "yes" if entry.applicable else ("no" if entry.applicable is False else ""),
        "justification": entry.justification,
        "implementation": entry.implementation,
        "controls": list(entry.controls.values_list("pk", flat=True)),
        "risks": list(entry.risks.values_list("pk", flat=True)),
        "evidence": entry.evidence,
    }
    form = SoaEntryForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: services.update_entry(entry, data=data, by=request.user),
        template="isms/soa_entry_form.html",
        context={"nav": NAV, "soa": soa, "entry": entry},
        redirect_to=lambda e: f"{soa.get_absolute_url()}#entry-{e.pk}",
    )


def _soa_action(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    soa = access.get_soa_for_user(request.user, pk)
    access.require_keeper(request.user)
    try:
        result = run(soa)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(soa)
    messages.success(request, done)
    return redirect(result)


@login_required
@require_POST
def soa_migrate(request: HttpRequest, pk: int) -> HttpResponse:
    return _soa_action(
        request, pk, lambda soa: services.migrate_soa(soa, by=request.user), _("Migrated: decide the controls marked.")
    )


@login_required
@require_POST
def soa_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _soa_action(request, pk, lambda soa: services.approve_soa(soa, by=request.user), _("SoA approved."))


@login_required
def soa_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    soa = access.get_soa_for_user(request.user, pk)
    if fmt == "pdf" and soa.pdf:
        from core.http import PDF, audited_download

        return audited_download(
            request,
            filename=(soa.pdf.name or "soa.pdf").rsplit("/", 1)[-1],
            content_type=PDF,
            subject=soa,
            file=soa.pdf.open("rb"),
        )
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    return SoaReport(soa).download(request, fmt)


# --- incidents -------------------------------------------------------------------------------


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    qs = access.incidents_visible_to(request.user).select_related("site", "reported_by").order_by("-reported_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "isms/incident_list.html",
        {"page": page, "nav": "incidents", "now": timezone.now(), "can_keep": access.keeps_isms(request.user)},
    )


def _report_sites(user: Any) -> Any:
    scope = get_scope(user)
    qs = Site.objects.filter(is_active=True).order_by("order", "name")
    return qs if scope.all_sites else qs.filter(pk__in=scope.site_ids)


@login_required
def incident_report(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    sites = _report_sites(request.user)
    form = IncidentReportForm(
        request.POST or None, sites=sites, initial={"site": getattr(request.user, "site_id", None)}
    )
    return save_form(
        request,
        form,
        lambda data: services.report_incident(data=data, by=request.user),
        template="isms/incident_form.html",
        context={"nav": "incidents"},
        success=_("Incident reported; the Information Security Officer has been told."),
    )


def _incident_page(request: HttpRequest, incident: Incident, form: Any = None, status: int = 200) -> HttpResponse:
    keeper = access.keeps_isms(request.user)
    if form is None and keeper:
        form = IncidentHandlingForm(
            initial={
                **{f: getattr(incident, f) for f in services.HANDLING_FIELDS},
                "assets": list(incident.assets.values_list("pk", flat=True)),
                "risks": list(incident.risks.values_list("pk", flat=True)),
            }
        )
    seconds = incident.notice_seconds_left()
    return render(
        request,
        "isms/incident_detail.html",
        {
            "incident": incident,
            "nav": "incidents",
            "form": form,
            "seconds_left": seconds,
            "left": {"h": seconds // 3600, "m": (seconds % 3600) // 60}
            if seconds is not None and seconds >= 0
            else None,
            "assets": incident.assets.order_by("code"),
            "risks": incident.risks.order_by("code"),
        },
        status=status,
    )


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident_for_user(request.user, pk)
    if request.method != "POST":
        return _incident_page(request, incident)
    if not access.keeps_isms(request.user):
        raise PermissionDenied
    form = IncidentHandlingForm(request.POST)
    if form.is_valid():
        try:
            services.handle_incident(incident, data=form.cleaned_data, by=request.user)
        except ServiceError as exc:
            from core.forms import add_service_error

            add_service_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(incident)
    incident.refresh_from_db()
    return _incident_page(request, incident, form=form, status=400)
