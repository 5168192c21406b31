"""Evidence pages: downloading an evidence file one may see, and linking evidence to a
requirement (clause or control) from the requirement's page. Thin: the rules are in
evidence.services and evidence.access."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.access import get_requirement_for_user
from catalog.models import Requirement
from core.access import get_or_404
from core.forms import add_service_error
from core.http import audited_download, require_role
from core.services import ServiceError
from evidence import services
from evidence.access import evidence_files_visible_to
from evidence.forms import EvidenceForm
from evidence.models import EvidenceLink

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An evidence file, for whoever may see it (its site's roles, central roles); the read is
    in the audit trail."""
    require_role(request.user)
    item = get_or_404(evidence_files_visible_to(request.user), pk=pk)
    return audited_download(
        request,
        filename=item.file_name,
        content_type=CONTENT_TYPES.get(item.file_type, "application/octet-stream"),
        subject=item,
        file=item.file.open("rb"),
        changes={"sha256": item.sha256},
    )


@login_required
@require_POST
def requirement_link(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = get_requirement_for_user(request.user, pk)
    if not services.can_link_to_requirements(request.user):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.link_evidence_to_requirement(requirement, data=form.cleaned_data, by=request.user)
        except ServiceError as exc:
            add_service_error(form, exc, {"evidence": "document_code"})
        else:
            messages.success(request, _("The evidence is linked to the requirement."))
            return redirect(requirement.get_absolute_url() + "#panel-evidence")
    from catalog.views import requirement_page

    return requirement_page(request, requirement, bound={"evidence_form": form}, status=400)


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    links = EvidenceLink.objects.filter(
        removed_at__isnull=True, target_type=ContentType.objects.get_for_model(Requirement)
    )
    link = get_or_404(links, pk=pk)
    target: Any = get_requirement_for_user(request.user, link.target_id)
    services.unlink_requirement_evidence(link, by=request.user)
    messages.success(request, _("The link was removed."))
    return redirect(target.get_absolute_url() + "#panel-evidence")
