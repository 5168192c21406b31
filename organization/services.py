"""Named state changes for the organisation's reference data. Records are never deleted:
units, sites and processes are deactivated; legal norms are marked as no longer in force."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.services import ServiceError, create_record, update_record
from organization.access import is_reference_editor, site_editable_fields
from organization.models import GlossaryTerm, LegalNorm, ManagementSystem, OrgUnit, Process, Site

UNIT_FIELDS = ["code", "name", "kind", "parent", "site", "is_active", "order"]
PROCESS_FIELDS = ["code", "name", "name_en", "type", "parent", "owner_unit", "description", "is_active", "order"]
SYSTEM_FIELDS = ["objective", "certification_status", "certification_body", "certificate_number", "certified_until"]
LEGAL_FIELDS = ["kind", "number", "year", "issuer", "title", "is_current", "url", "seed_ref"]
GLOSSARY_FIELDS = ["term", "is_acronym", "definition", "definition_en", "source"]


def _require_editor(by: Any) -> None:
    """Reference data is kept by the reference editors (platform admin, SIG coordinator)."""
    if not is_reference_editor(by):
        raise PermissionDenied


def _no_cycle(obj: Any, parent: Any, field: str) -> None:
    node = parent
    while node is not None:
        if obj.pk is not None and node.pk == obj.pk:
            from django.utils.translation import gettext as _

            raise ServiceError(_("A record cannot be its own ancestor."), field=field)
        node = node.parent


def create_unit(*, data: dict[str, Any], by: Any) -> OrgUnit:
    _require_editor(by)
    return create_record(OrgUnit, data=data, fields=["entity", *UNIT_FIELDS], by=by)


def update_unit(unit: OrgUnit, *, data: dict[str, Any], by: Any) -> OrgUnit:
    _require_editor(by)
    if "parent" in data:
        _no_cycle(unit, data["parent"], "parent")
    return update_record(unit, data=data, fields=UNIT_FIELDS, by=by)


def update_site(site: Site, *, data: dict[str, Any], by: Any) -> Site:
    """Only the fields this person may change are applied (organization.access.site_editable_fields:
    everything for reference editors, the contact details for the head of that UT)."""
    fields = site_editable_fields(by, site)
    if not fields:
        raise PermissionDenied
    return update_record(site, data=data, fields=fields, by=by)


def create_process(*, data: dict[str, Any], by: Any) -> Process:
    _require_editor(by)
    return create_record(Process, data=data, fields=PROCESS_FIELDS, by=by)


def update_process(process: Process, *, data: dict[str, Any], by: Any) -> Process:
    _require_editor(by)
    if "parent" in data:
        _no_cycle(process, data["parent"], "parent")
    level_before = process.level
    with transaction.atomic():
        update_record(process, data=data, fields=PROCESS_FIELDS, by=by)
        if process.level != level_before:
            _relevel_descendants(process)
    return process


def _relevel_descendants(process: Process) -> None:
    """`level` is derived from the parent chain; moving a process moves its whole subtree."""
    parents = [process]
    while parents:
        for parent in parents:
            Process.objects.filter(parent=parent).update(level=parent.level + 1)
        parents = list(Process.objects.filter(parent__in=parents))


def update_system(system: ManagementSystem, *, data: dict[str, Any], by: Any) -> ManagementSystem:
    _require_editor(by)
    return update_record(system, data=data, fields=SYSTEM_FIELDS, by=by)


def create_legal_norm(*, data: dict[str, Any], by: Any) -> LegalNorm:
    _require_editor(by)
    return create_record(LegalNorm, data=data, fields=LEGAL_FIELDS, by=by)


def update_legal_norm(norm: LegalNorm, *, data: dict[str, Any], by: Any) -> LegalNorm:
    _require_editor(by)
    return update_record(norm, data=data, fields=LEGAL_FIELDS, by=by)


def create_glossary_term(*, data: dict[str, Any], by: Any) -> GlossaryTerm:
    _require_editor(by)
    return create_record(GlossaryTerm, data=data, fields=GLOSSARY_FIELDS, by=by)


def update_glossary_term(term: GlossaryTerm, *, data: dict[str, Any], by: Any) -> GlossaryTerm:
    _require_editor(by)
    return update_record(term, data=data, fields=GLOSSARY_FIELDS, by=by)
