"""Organisation pages. Thin: parse, authorise through organization.access, call a service."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.http import require_role, save_form
from organization import access, services
from organization.forms import GlossaryTermForm, LegalNormForm, ProcessForm, SiteForm, SystemForm, UnitForm
from organization.models import Entity, ManagementSystem, OrgUnit, Process, Site


def _save_form(
    request: HttpRequest,
    form: "ModelForm[Any]",
    template: str,
    ctx: dict[str, Any],
    save: Callable[[dict[str, Any]], Any],
) -> HttpResponse:
    return save_form(request, form, save, template=template, context=ctx)


# --- units ------------------------------------------------------------------------------


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    units = list(access.units_visible_to(request.user).annotate(n_people=Count("people")).order_by("order", "code"))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    tree: list[tuple[int, OrgUnit]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            tree.append((depth, unit))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return render(
        request,
        "organization/unit_list.html",
        {
            "entity": Entity.objects.first(),
            "tree": tree,
            "nav": "org",
            "can_edit": access.is_reference_editor(request.user),
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, pk)
    return render(
        request,
        "organization/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.all(),
            "processes": unit.owned_processes.all(),
            "nav": "org",
            "can_edit": access.is_reference_editor(request.user),
        },
    )


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    if not access.is_reference_editor(request.user):
        raise PermissionDenied
    entity = Entity.objects.first()
    form = UnitForm(request.POST or None)
    return _save_form(
        request,
        form,
        "organization/unit_form.html",
        {"nav": "org"},
        lambda data: services.create_unit(data={**data, "entity": entity}, by=request.user),
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, pk, write=True)
    form = UnitForm(request.POST or None, instance=OrgUnit.objects.get(pk=unit.pk))
    return _save_form(
        request,
        form,
        "organization/unit_form.html",
        {"unit": unit, "nav": "org"},
        lambda data: services.update_unit(unit, data=data, by=request.user),
    )


# --- sites ------------------------------------------------------------------------------


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    sites = access.sites_visible_to(request.user).annotate(n_units=Count("units")).order_by("order", "name")
    require_role(request.user)
    return render(request, "organization/site_list.html", {"sites": sites, "nav": "org"})


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = access.get_site_for_user(request.user, pk)
    return render(
        request,
        "organization/site_detail.html",
        {
            "site": site,
            "units": site.units.all(),
            "scopes": site.scopes.prefetch_related("systems"),
            "nav": "org",
            "can_edit": bool(access.site_editable_fields(request.user, site)),
        },
    )


@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = access.get_site_for_user(request.user, pk, write=True)
    allowed = access.site_editable_fields(request.user, site)
    form = SiteForm(request.POST or None, instance=Site.objects.get(pk=site.pk), allowed=allowed)
    return _save_form(
        request,
        form,
        "organization/site_form.html",
        {"site": site, "nav": "org"},
        lambda data: services.update_site(site, data=data, by=request.user),
    )


# --- processes --------------------------------------------------------------------------


@login_required
def process_map(request: HttpRequest) -> HttpResponse:
    """Level 0 as a map in three bands (strategic / mission / support), level 1 inside each."""
    require_role(request.user)
    qs = access.processes_visible_to(request.user).filter(is_active=True)
    top = list(
        qs.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=Process.objects.filter(is_active=True).order_by("order", "code"))
        )
    )
    bands = [(ptype, label, [p for p in top if p.type == ptype]) for ptype, label in Process.Type.choices]
    return render(
        request,
        "organization/process_map.html",
        {"bands": bands, "nav": "processes", "can_edit": access.is_reference_editor(request.user)},
    )


@login_required
def process_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    processes = access.processes_visible_to(request.user)
    return render(
        request,
        "organization/process_list.html",
        {
            "processes": processes.order_by("order", "code"),
            "nav": "processes",
            "can_edit": access.is_reference_editor(request.user),
        },
    )


@login_required
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = access.get_process_for_user(request.user, pk)
    systems = ManagementSystem.objects.filter(scope__processes=process).select_related("edition")
    return render(
        request,
        "organization/process_detail.html",
        {
            "process": process,
            "children": process.children.select_related("owner_unit"),
            "systems": systems,
            "nav": "processes",
            "can_edit": access.is_reference_editor(request.user),
        },
    )


@login_required
def process_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    if not access.is_reference_editor(request.user):
        raise PermissionDenied
    form = ProcessForm(request.POST or None)
    return _save_form(
        request,
        form,
        "organization/process_form.html",
        {"nav": "processes"},
        lambda data: services.create_process(data=data, by=request.user),
    )


@login_required
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = access.get_process_for_user(request.user, pk, write=True)
    form = ProcessForm(request.POST or None, instance=Process.objects.get(pk=process.pk))
    return _save_form(
        request,
        form,
        "organization/process_form.html",
        {"process": process, "nav": "processes"},
        lambda data: services.update_process(process, data=data, by=request.user),
    )


# --- management systems -----------------------------------------------------------------


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    systems = list(access.systems_visible_to(request.user).order_by("order"))
    return render(request, "organization/system_list.html", {"systems": systems, "nav": "systems"})


@login_required
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = access.get_system_for_user(request.user, pk)
    processes = list(system.scope.processes.order_by("order", "code"))
    in_scope = set(system.scope.sites.values_list("pk", flat=True))
    sites = list(Site.objects.filter(is_active=True).order_by("order"))
    return render(
        request,
        "organization/system_detail.html",
        {
            "system": system,
            "processes": processes,
            "sites": sites,
            "in_scope": in_scope,
            "shared_with": system.scope.systems.exclude(pk=system.pk),
            "nav": "systems",
            "can_edit": access.is_reference_editor(request.user),
        },
    )


@login_required
def system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    system = access.get_system_for_user(request.user, pk, write=True)
    form = SystemForm(request.POST or None, instance=ManagementSystem.objects.get(pk=system.pk))
    return _save_form(
        request,
        form,
        "organization/system_form.html",
        {"system": system, "nav": "systems"},
        lambda data: services.update_system(system, data=data, by=request.user),
    )


# --- legal basis ------------------------------------------------------------------------


@login_required
def legal_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    norms = access.legal_norms_visible_to(request.user)
    return render(
        request,
        "organization/legal_list.html",
        {"norms": norms, "nav": "legal", "can_edit": access.is_reference_editor(request.user)},
    )


@login_required
def legal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    norm = access.get_legal_norm_for_user(request.user, pk)
    return render(
        request,
        "organization/legal_detail.html",
        {"norm": norm, "nav": "legal", "can_edit": access.is_reference_editor(request.user)},
    )


@login_required
def legal_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    if not access.is_reference_editor(request.user):
        raise PermissionDenied
    form = LegalNormForm(request.POST or None)
    return _save_form(
        request,
        form,
        "organization/legal_form.html",
        {"nav": "legal"},
        lambda data: services.create_legal_norm(data=data, by=request.user),
    )


@login_required
def legal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    norm = access.get_legal_norm_for_user(request.user, pk, write=True)
    form = LegalNormForm(request.POST or None, instance=type(norm).objects.get(pk=norm.pk))
    return _save_form(
        request,
        form,
        "organization/legal_form.html",
        {"norm": norm, "nav": "legal"},
        lambda data: services.update_legal_norm(norm, data=data, by=request.user),
    )


# --- glossary ---------------------------------------------------------------------------


@login_required
def glossary_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    return render(
        request,
        "organization/glossary_list.html",
        {
            "terms": access.glossary_visible_to(request.user),
            "nav": "glossary",
            "can_edit": access.is_reference_editor(request.user),
        },
    )


@login_required
def glossary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    term = access.get_glossary_term_for_user(request.user, pk)
    return render(
        request,
        "organization/glossary_detail.html",
        {"term": term, "nav": "glossary", "can_edit": access.is_reference_editor(request.user)},
    )


@login_required
def glossary_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    if not access.is_reference_editor(request.user):
        raise PermissionDenied
    form = GlossaryTermForm(request.POST or None)
    return _save_form(
        request,
        form,
        "organization/glossary_form.html",
        {"nav": "glossary"},
        lambda data: services.create_glossary_term(data=data, by=request.user),
    )


@login_required
def glossary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    term = access.get_glossary_term_for_user(request.user, pk, write=True)
    form = GlossaryTermForm(request.POST or None, instance=type(term).objects.get(pk=term.pk))
    return _save_form(
        request,
        form,
        "organization/glossary_form.html",
        {"term": term, "nav": "glossary"},
        lambda data: services.update_glossary_term(term, data=data, by=request.user),
    )
