"""Risk pages: the register with its filters, a risk and its evaluations, treatments and
acceptance, the heat maps, the methods and the control catalogue. Thin: parse, authorise
through risks.access, call one service, render or redirect."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions.services import items_for
from core.access import get_or_404, get_scope
from core.files import inspect_upload
from core.forms import add_service_error
from core.http import XLSX, require_role, save_form
from core.services import ServiceError
from organization.models import Process, Site
from risks import access, matrix, services
from risks.forms import (
    AcceptanceForm,
    ControlForm,
    EvaluationForm,
    MatrixImportForm,
    MethodCopyForm,
    MethodEditForm,
    MethodLoadForm,
    MethodMatrixForm,
    RiskForm,
    TreatmentActionForm,
    TreatmentForm,
    method_error_field,
    risk_initial,
)
from risks.matrix import RiskMatrix, TreatmentFollowUp
from risks.method import MAX_STEPS, MethodDefinition, MethodError
from risks.models import Evaluation, Risk, RiskMethod
from risks.selectors import RegisterFilter, heat_map, register

PAGE_SIZE = 50
NAV = "risks"


def _filter_context(request: HttpRequest, flt: RegisterFilter) -> dict[str, Any]:
    scope = get_scope(request.user)
    sites = Site.objects.filter(is_active=True).order_by("order", "name")
    return {
        "flt": flt,
        "lenses": Risk.Lens.choices,
        "kinds": Risk.Kind.choices,
        "statuses": Risk.Status.choices,
        "processes": Process.objects.filter(is_active=True).order_by("code"),
        "sites": sites if scope.all_sites else sites.filter(pk__in=scope.site_ids),
        "methods": RiskMethod.objects.order_by("code", "-version"),
    }


@login_required
def risk_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    flt = RegisterFilter.from_query(request.GET)
    qs = register(access.risks_visible_to(request.user), flt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    shared: dict[int, RiskMethod] = {}
    for risk in page:  # one parsed method per version, not one per row
        risk.method = shared.setdefault(risk.method_id, risk.method)
    return render(
        request,
        "risks/risk_list.html",
        {
            **_filter_context(request, flt),
            "page": page,
            "nav": NAV,
            "can_register": access.can_register_risks(request.user),
        },
    )


def _writable_sites(user: Any) -> Any:
    ids = access.writable_site_ids(user)
    qs = Site.objects.filter(is_active=True).order_by("order", "name")
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
def risk_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    if not access.can_register_risks(request.user):
        raise PermissionDenied
    sites = _writable_sites(request.user)
    initial: dict[str, Any] = {"kind": Risk.Kind.RISK, "owner": request.user.pk}
    if sites.count() == 1:
        initial["site"] = sites.first().pk
    form = RiskForm(request.POST or None, sites=sites, initial=initial)
    return save_form(
        request,
        form,
        lambda data: services.create_risk(data=data, by=request.user),
        template="risks/risk_form.html",
        context={"nav": NAV},
        aliases={"lens_quality": "lenses"},
    )


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = access.get_risk_for_user(request.user, pk, write=True)
    sites = _writable_sites(request.user) | Site.objects.filter(pk=risk.site_id)
    form = RiskForm(request.POST or None, sites=sites.distinct(), initial=risk_initial(risk))
    return save_form(
        request,
        form,
        lambda data: services.update_risk(risk, data=data, by=request.user),
        template="risks/risk_form.html",
        context={"nav": NAV, "risk": risk},
    )


def _detail(request: HttpRequest, risk: Risk, status: int = 200, **bound: Any) -> HttpResponse:
    can_edit = access.can_edit_risk(request.user, risk)
    is_owner = risk.owner_id == request.user.pk
    evaluations = (
        Evaluation.objects.filter(risk=risk).select_related("method", "evaluated_by").order_by("-created_at", "-pk")
    )
    ctx = {
        "risk": risk,
        "nav": NAV,
        "spec": risk.method.spec,
        "inherent": risk.level_of("inherent"),
        "residual": risk.level_of("residual"),
        "evaluations": evaluations,
        "requirements": risk.requirements.select_related("edition").order_by("edition__label", "order"),
        "controls": risk.controls.select_related("owner").order_by("code"),
        "treatments": items_for(risk).select_related("responsible").order_by("number", "pk"),
        "can_edit": can_edit,
        "is_owner": is_owner,
        "evaluation_form": bound.get("evaluation_form")
        or EvaluationForm(method=risk.method, initial={"trigger": Evaluation.Trigger.PERIODIC}),
        "treatment_form": bound.get("treatment_form")
        or TreatmentForm(initial={"treatment": risk.treatment, "rationale": risk.treatment_rationale}),
        "action_form": bound.get("action_form") or TreatmentActionForm(initial={"responsible": risk.owner_id}),
        "acceptance_form": bound.get("acceptance_form") or AcceptanceForm(),
        "error": bound.get("error", ""),
    }
    return render(request, "risks/risk_detail.html", ctx, status=status)


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_risk_for_user(request.user, pk))


def _risk_action(
    request: HttpRequest, pk: int, form_name: str, form: Any, run: Any, write: bool = True
) -> HttpResponse:
    risk = access.get_risk_for_user(request.user, pk, write=write)
    bound_form = form(risk)
    error = ""
    if bound_form.is_valid():
        try:
            run(risk, bound_form.cleaned_data)
        except ServiceError as exc:
            add_service_error(bound_form, exc)
            error = exc.message
        else:
            messages.success(request, _("Changes saved."))
            return redirect(risk)
    risk.refresh_from_db()
    return _detail(request, risk, status=400, error=error, **{form_name: bound_form})


@login_required
@require_POST
def risk_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_action(
        request,
        pk,
        "evaluation_form",
        lambda risk: EvaluationForm(request.POST, method=risk.method),
        lambda risk, d: services.evaluate(
            risk,
            kind=d["kind"],
            probability=d["probability"],
            impact=d["impact"],
            trigger=d["trigger"],
            justification=d["justification"],
            by=request.user,
        ),
    )


@login_required
@require_POST
def risk_treatment(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_action(
        request,
        pk,
        "treatment_form",
        lambda risk: TreatmentForm(request.POST),
        lambda risk, d: services.decide_treatment(
            risk, treatment=d["treatment"], rationale=d["rationale"], by=request.user
        ),
    )


@login_required
@require_POST
def risk_add_action(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_action(
        request,
        pk,
        "action_form",
        lambda risk: TreatmentActionForm(request.POST),
        lambda risk, d: services.add_treatment_action(
            risk, title=d["title"], responsible=d["responsible"], due_date=d["due_date"], by=request.user
        ),
    )


@login_required
@require_POST
def risk_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_action(
        request,
        pk,
        "acceptance_form",
        lambda risk: AcceptanceForm(request.POST),
        lambda risk, d: services.accept_residual(risk, expires_on=d["expires_on"], note=d["note"], by=request.user),
        write=False,  # the service itself allows the owner only
    )


# --- heat map --------------------------------------------------------------------------------


@login_required
def heat_map_view(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    flt = RegisterFilter.from_query(request.GET)
    methods = RiskMethod.objects.order_by("-is_active", "-effective_from", "-pk")
    method = (methods.filter(pk=flt.method).first() if flt.method else None) or services.current_method()
    if method is None:
        method = methods.first()
    base = RegisterFilter(lens=flt.lens, process=flt.process, site=flt.site, kind=flt.kind)
    qs = base.apply(access.risks_visible_to(request.user))
    maps = [heat_map(qs, method, which, base) for which in ("inherent", "residual")] if method is not None else []
    return render(
        request,
        "risks/heat_map.html",
        {**_filter_context(request, base), "method": method, "maps": maps, "nav": NAV},
    )


# --- methods ---------------------------------------------------------------------------------


@login_required
def method_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    methods = access.methods_visible_to(request.user).order_by("code", "-version")
    return render(
        request,
        "risks/method_list.html",
        {"methods": methods, "nav": NAV, "can_keep": access.can_keep_methods(request.user)},
    )


@login_required
def method_detail(request: HttpRequest, pk: int) -> HttpResponse:
    method = access.get_method_for_user(request.user, pk)
    spec = method.spec
    grid = [
        {
            "step": p,
            "cells": [{"score": p.value * i.value, "level": spec.level_for(p.value * i.value)} for i in spec.impact],
        }
        for p in reversed(spec.probability)
    ]
    return render(
        request,
        "risks/method_detail.html",
        {
            "method": method,
            "spec": spec,
            "grid": grid,
            "nav": NAV,
            "can_keep": access.can_keep_methods(request.user),
            "definition_json": json.dumps(method.definition, ensure_ascii=False, indent=2),
            "n_risks": method.risks.count(),
        },
    )


@login_required
def method_load(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    if not access.can_keep_methods(request.user):
        raise PermissionDenied
    form = MethodLoadForm(request.POST or None, request.FILES or None)
    return save_form(
        request,
        form,
        lambda data: services.load_method(definition=data["definition"], by=request.user),
        template="risks/method_form.html",
        context={"nav": NAV, "mode": "load"},
        aliases={"definition": "file"},
    )


@login_required
def method_edit(request: HttpRequest, pk: int) -> HttpResponse:
    method = access.get_method_for_user(request.user, pk)
    if not access.can_keep_methods(request.user):
        raise PermissionDenied
    form = MethodEditForm(
        request.POST or None, initial={"definition": json.dumps(method.definition, ensure_ascii=False, indent=2)}
    )
    return save_form(
        request,
        form,
        lambda data: services.load_method(definition={**data["definition"], "code": method.code}, by=request.user),
        template="risks/method_form.html",
        context={"nav": NAV, "mode": "edit", "method": method},
    )


@login_required
def method_copy(request: HttpRequest, pk: int) -> HttpResponse:
    method = access.get_method_for_user(request.user, pk)
    if not access.can_keep_methods(request.user):
        raise PermissionDenied
    form = MethodCopyForm(request.POST or None, initial={"code": f"{method.code}-COPIA", "name": method.name})
    return save_form(
        request,
        form,
        lambda data: services.copy_method(method, code=data["code"], name=data["name"], by=request.user),
        template="risks/method_form.html",
        context={"nav": NAV, "mode": "copy", "method": method},
        aliases={"definition": "code"},
    )


# --- controls --------------------------------------------------------------------------------


@login_required
def control_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    controls = access.controls_visible_to(request.user).select_related("owner").order_by("code")
    page = Paginator(controls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "risks/control_list.html",
        {"page": page, "nav": NAV, "can_keep": access.can_keep_controls(request.user)},
    )


@login_required
def control_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    if not access.can_keep_controls(request.user):
        raise PermissionDenied
    form = ControlForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: services.create_control(data=data, by=request.user),
        template="risks/control_form.html",
        context={"nav": NAV},
        redirect_to="risks:control_list",
    )


@login_required
def control_edit(request: HttpRequest, pk: int) -> HttpResponse:
    control = get_or_404(access.controls_visible_to(request.user), pk=pk)
    if not access.can_keep_controls(request.user):
        raise PermissionDenied
    initial = {f: getattr(control, f) for f in ("code", "name", "description", "type", "frequency", "evidence")}
    initial.update(
        owner=control.owner_id, last_tested_on=control.last_tested_on, last_test_result=control.last_test_result
    )
    form = ControlForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: services.update_control(control, data=data, by=request.user),
        template="risks/control_form.html",
        context={"nav": NAV, "control": control},
        redirect_to="risks:control_list",
    )


# --- the matrix as XLSX, its import, the follow-up report ----------------------------------------


def _filtered(request: HttpRequest) -> Any:
    flt = RegisterFilter.from_query(request.GET)
    return flt.apply(access.risks_visible_to(request.user))


@login_required
def matrix_xlsx(request: HttpRequest) -> HttpResponseBase:
    require_role(request.user)
    return RiskMatrix(_filtered(request)).download(request, "xlsx", changes={"what": "matriz de riesgos"})


@login_required
def follow_up(request: HttpRequest, fmt: str) -> HttpResponseBase:
    require_role(request.user)
    return TreatmentFollowUp(_filtered(request)).download(request, fmt, changes={"what": "seguimiento"})


@login_required
def matrix_template(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    response = HttpResponse(matrix.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="plantilla-matriz-de-riesgos.xlsx"'
    return response


@login_required
def matrix_import(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    if not access.can_register_risks(request.user):
        raise PermissionDenied
    form = MatrixImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            upload = inspect_upload(form.cleaned_data["file"])
            if upload.kind != "xlsx":
                raise ServiceError(_("The matrix is imported from an XLSX file."), field="file")
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            import hashlib

            importer = matrix.RiskMatrixImporter(
                form.cleaned_data["method"], user=request.user, source=hashlib.sha256(upload.data).hexdigest()
            )
            _rows, errors = importer.run(upload.data, by=request.user)
            if not errors:
                messages.success(request, _("%(n)s risks imported.") % {"n": len(importer.created)})
                return redirect("risks:risk_list")
    context = {
        "form": form,
        "errors": errors,
        "columns": [(c.header, c.help, c.required) for c in matrix.COLUMNS],
        "nav": NAV,
    }
    return render(request, "risks/matrix_import.html", context, status=400 if form.is_bound else 200)


def _count(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


@login_required
def method_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    """The visual editor of a method: scales, levels (with colours), appetite and tolerance as a
    form, with the resulting matrix drawn beside it; saving makes a new version."""
    method = access.get_method_for_user(request.user, pk)
    if not access.can_keep_methods(request.user):
        raise PermissionDenied
    spec = method.spec
    source = request.POST if request.method == "POST" else request.GET
    n = _count(source.get("n"), len(spec.probability), 2, MAX_STEPS)
    m = _count(source.get("m"), len(spec.impact), 2, MAX_STEPS)
    levels = _count(source.get("levels"), len(spec.levels), 1, MAX_STEPS)
    initial = {"effective_from": timezone.localdate()}
    form = MethodMatrixForm(
        request.POST or None, definition=method.definition, n=n, m=m, levels=levels, initial=initial
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        definition = form.definition(method.definition)
        try:
            new = services.load_method(definition=definition, by=request.user)
        except ServiceError as exc:
            key, _sep, message = exc.message.partition(": ")
            field = method_error_field(key) if exc.field == "definition" else exc.field
            form.add_error(field if field in form.fields else None, message or exc.message)
            error = exc.message
        else:
            messages.success(request, _("Changes saved."))
            return redirect(new)
    try:
        preview_spec = (
            MethodDefinition.from_dict(form.definition(method.definition))
            if form.is_bound and form.is_valid()
            else spec
        )
    except MethodError:
        preview_spec = spec
    preview = [
        {"step": p, "cells": [preview_spec.level_for(p.value * i.value) for i in preview_spec.impact]}
        for p in reversed(preview_spec.probability)
    ]
    return render(
        request,
        "risks/method_matrix.html",
        {
            "method": method,
            "form": form,
            "n": n,
            "m": m,
            "levels": levels,
            "preview": preview,
            "preview_spec": preview_spec,
            "error": error,
            "nav": NAV,
            "sizes": range(2, MAX_STEPS + 1),
            "level_sizes": range(1, MAX_STEPS + 1),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def risk_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a risk to another method version, mapping each old value to a new one explicitly
    (step 1: choose the method; step 2: the mapping, defaulting to the nearest value)."""
    risk = access.get_risk_for_user(request.user, pk, write=True)
    source = request.POST if request.method == "POST" else request.GET
    methods = RiskMethod.objects.exclude(pk=risk.method_id).order_by("code", "-version")
    target = methods.filter(pk=_count(source.get("method"), 0, 0, 2**31)).first()
    old, error = risk.method.spec, ""
    mapping: list[dict[str, Any]] = []
    if target is not None:
        new = target.spec

        def nearest(value: int, values: list[int]) -> int:
            return min(values, key=lambda v: (abs(v - value), v))

        for axis, old_steps, new_steps in (("p", old.probability, new.probability), ("i", old.impact, new.impact)):
            values = [s.value for s in new_steps]
            for step in old_steps:
                chosen = _count(source.get(f"{axis}{step.value}"), nearest(step.value, values), 0, 10**6)
                mapping.append(
                    {"axis": axis, "step": step, "name": f"{axis}{step.value}", "choices": new_steps, "chosen": chosen}
                )
        if request.method == "POST":
            try:
                services.move_to_method(
                    risk,
                    method=target,
                    probability_map={m["step"].value: m["chosen"] for m in mapping if m["axis"] == "p"},
                    impact_map={m["step"].value: m["chosen"] for m in mapping if m["axis"] == "i"},
                    by=request.user,
                )
            except ServiceError as exc:
                error = exc.message
            else:
                messages.success(request, _("Changes saved."))
                return redirect(risk)
    return render(
        request,
        "risks/risk_move.html",
        {"risk": risk, "methods": methods, "target": target, "mapping": mapping, "error": error, "nav": NAV},
        status=400 if error else 200,
    )
