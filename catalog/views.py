from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from catalog import access, services
from catalog.forms import OfficialTextForm, RequirementFilterForm
from catalog.models import Requirement, RequirementMapping
from catalog.selectors import hs_twins
from core import registry
from core.access import get_or_404
from core.http import page_or_partial
from organization.access import is_reference_editor


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    access.require_readable(request.user)
    editions = (
        access.editions_visible_to(request.user)
        .annotate(
            n_clauses=Count("requirements", filter=Q(requirements__kind="clause")),
            n_controls=Count("requirements", filter=Q(requirements__kind="control")),
        )
        .order_by("standard__order", "year")
    )
    return render(request, "catalog/standard_list.html", {"editions": editions, "nav": "standards"})


@login_required
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = access.get_edition_for_user(request.user, pk)
    form = RequirementFilterForm(request.GET or None)
    reqs = access.requirements_visible_to(request.user).filter(edition=edition).order_by("order")
    status = 200
    if form.is_valid():
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            reqs = reqs.filter(Q(number__istartswith=q) | Q(title__icontains=q) | Q(title_en__icontains=q))
        if form.cleaned_data["kind"]:
            reqs = reqs.filter(kind=form.cleaned_data["kind"])
    elif form.is_bound:
        status = 400
    # HTMX filtering swaps only the list; a plain GET (or a history restore) gets the whole page.
    return page_or_partial(
        request,
        "catalog/edition_detail.html",
        "catalog/_requirement_rows.html",
        {"edition": edition, "requirements": reqs, "form": form, "nav": "standards"},
        status=status,
    )


def _requirement_panels(user: Any, req: Requirement, bound: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """What the areas show under the requirement (core.registry.RequirementPanel); `bound`
    replaces a panel's form with one carrying errors."""
    out = []
    for panel in registry.requirement_panels():
        ctx = panel.build(user, req)
        if ctx is not None:
            out.append({**ctx, **(bound or {}), "key": panel.key, "template": panel.template})
    return out


def requirement_page(
    request: HttpRequest, req: Requirement, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """The requirement's page; other areas re-render it with their form's errors (400)."""
    text_form = (
        OfficialTextForm(initial={"official_text": req.official_text}) if is_reference_editor(request.user) else None
    )
    ctx = {**_requirement_context(req, text_form), "panels": _requirement_panels(request.user, req, bound)}
    return render(request, "catalog/requirement_detail.html", ctx, status=status)


def _requirement_context(req: Requirement, text_form: OfficialTextForm | None) -> dict[str, Any]:
    mappings = (
        RequirementMapping.objects.filter(Q(source=req) | Q(target=req))
        .select_related("source__edition", "target__edition")
        .order_by("source__order", "target__order")
    )
    return {
        "req": req,
        "twins": hs_twins(req),
        "children": req.children.order_by("order"),
        "mappings": mappings,
        "nav": "standards",
        "can_edit": text_form is not None,
        "text_form": text_form,
    }


@login_required
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return requirement_page(request, access.get_requirement_for_user(request.user, pk))


@login_required
def requirement_official_text(request: HttpRequest, pk: int) -> HttpResponse:
    req = access.get_requirement_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return redirect(req)
    form = OfficialTextForm(request.POST)
    if form.is_valid():
        services.set_official_text(req, text=form.cleaned_data["official_text"], by=request.user)
        messages.success(request, _("Changes saved."))
        return redirect(req)
    ctx = {**_requirement_context(req, form), "panels": _requirement_panels(request.user, req)}
    return render(request, "catalog/requirement_detail.html", ctx, status=400)


@login_required
def hs_list(request: HttpRequest) -> HttpResponse:
    access.require_readable(request.user)
    clauses = access.hs_clauses_visible_to(request.user).annotate(n=Count("requirements")).order_by("order")
    return render(request, "catalog/hs_list.html", {"clauses": clauses, "nav": "standards"})


@login_required
def hs_detail(request: HttpRequest, number: str) -> HttpResponse:
    clause = get_or_404(access.hs_clauses_visible_to(request.user), number=number)
    reqs = clause.requirements.select_related("edition__standard").order_by(
        "edition__standard__order", "edition__year", "order"
    )
    return render(request, "catalog/hs_detail.html", {"clause": clause, "requirements": reqs, "nav": "standards"})


@login_required
def mapping_27001(request: HttpRequest) -> HttpResponse:
    access.require_readable(request.user)
    rows = RequirementMapping.objects.select_related("source__edition", "target__edition").order_by(
        "source__order", "target__order"
    )
    # Controls of the newer edition that no older control maps to.
    new_controls = (
        access.requirements_visible_to(request.user)
        .filter(
            kind=Requirement.Kind.CONTROL,
            edition__in=RequirementMapping.objects.values("target__edition"),
            mappings_in__isnull=True,
        )
        .order_by("order")
    )
    return render(
        request, "catalog/mapping_27001.html", {"rows": rows, "new_controls": new_controls, "nav": "standards"}
    )
