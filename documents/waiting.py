"""The step a document version waits for, stored on the version (issue 10).

A version in review, endorsement, approval or approved waits for a step (review, endorse,
approve, publish) that the document type's workflow rules allow to some roles — the rules for
the owner unit when it has any, else the type's general ones (documents.access.allowed_roles),
held centrally or at the document's site. Where the type forbids self-approval, whoever created
the version may neither review nor approve it.

Computing "versions waiting for me" from the rules at every home page meant an OR of one term
per type and step over a join of every waiting version with its document (79 + 75 ms for
21,000 waiting versions). Instead the services stamp each version, at every transition, with
`waiting_step`, `waiting_roles` (the allowed roles, sorted, space-separated), `waiting_site`
and `waiting_code` (the document's, for scoping and ordering without a join) and
`waiting_barred`. A person's waiting versions are then a few ranges of one index
(version_waiting_cover_idx): the role sets that contain a role they hold centrally, and those that
contain a role they hold at a site, on that site.

The stamp depends on the workflow rules and on the type's `allow_self_approval`: a change to
either refreshes the waiting versions of the type (signals connected in documents.apps)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from core.access import get_scope
from documents.models import DocumentVersion, VersionStatus, WorkflowRule

# Status a version waits in → the step that moves it on.
WAITING_STEP: dict[str, str] = {
    VersionStatus.IN_REVIEW: WorkflowRule.Step.REVIEW,
    VersionStatus.IN_ENDORSEMENT: WorkflowRule.Step.ENDORSE,
    VersionStatus.IN_APPROVAL: WorkflowRule.Step.APPROVE,
    VersionStatus.APPROVED: WorkflowRule.Step.PUBLISH,
}
# Statuses in which the drafter is barred where the type forbids self-approval.
BARRED_STATUSES = frozenset({VersionStatus.IN_REVIEW, VersionStatus.IN_APPROVAL})
FIELDS = ["waiting_step", "waiting_roles", "waiting_site", "waiting_code", "waiting_barred"]
NOT_WAITING: dict[str, Any] = {
    "waiting_step": "",
    "waiting_roles": "",
    "waiting_site_id": None,
    "waiting_code": "",
    "waiting_barred_id": None,
}
BATCH = 1000

# (document type id, step) → {owner unit id or None (general rules): roles}
Rules = dict[tuple[int, str], dict[int | None, set[str]]]


def roles_key(roles: Iterable[str]) -> str:
    return " ".join(sorted(set(roles)))


def load_rules() -> Rules:
    rules: Rules = {}
    for type_id, unit_id, step, role in WorkflowRule.objects.filter(step__in=set(WAITING_STEP.values())).values_list(
        "document_type_id", "unit_id", "step", "role"
    ):
        rules.setdefault((type_id, step), {}).setdefault(unit_id, set()).add(role)
    return rules


def _allowed(rules: Rules, type_id: int, owner_unit_id: int | None, step: str) -> set[str]:
    """As documents.access.allowed_roles: the owner unit's rules win over the general ones."""
    by_unit = rules.get((type_id, step), {})
    return by_unit.get(owner_unit_id) or by_unit.get(None) or set()


def values(
    *,
    status: str,
    created_by_id: int,
    type_id: int,
    owner_unit_id: int | None,
    site_id: int,
    code: str,
    allow_self_approval: bool,
    rules: Rules,
) -> dict[str, Any]:
    """The stamp of a version in `status` (attnames → values)."""
    step = WAITING_STEP.get(status)
    if step is None:
        return dict(NOT_WAITING)
    return {
        "waiting_step": step,
        "waiting_roles": roles_key(_allowed(rules, type_id, owner_unit_id, step)),
        "waiting_site_id": site_id,
        "waiting_code": code,
        "waiting_barred_id": created_by_id if status in BARRED_STATUSES and not allow_self_approval else None,
    }


def stamp(version: DocumentVersion) -> list[str]:
    """Set the version's stamp from its status (in memory); return the fields to save."""
    document = version.document
    rules: Rules = {}
    if version.status in WAITING_STEP:
        rules = load_rules()
    for name, value in values(
        status=version.status,
        created_by_id=version.created_by_id,
        type_id=document.document_type_id,
        owner_unit_id=document.owner_unit_id,
        site_id=document.site_id,
        code=document.code,
        allow_self_approval=document.document_type.allow_self_approval,
        rules=rules,
    ).items():
        setattr(version, name, value)
    return list(FIELDS)


def refresh(versions: QuerySet[DocumentVersion] | None = None) -> int:
    """Recompute the stamp of `versions` (default: every version) in bulk: versions no longer
    waiting are cleared, the waiting ones restamped. Returns how many waiting versions it stamped."""
    qs = versions if versions is not None else DocumentVersion.objects.all()
    qs.exclude(status__in=list(WAITING_STEP)).exclude(waiting_step="").update(**NOT_WAITING)
    rules = load_rules()
    rows = qs.filter(status__in=list(WAITING_STEP)).values_list(
        "pk",
        "status",
        "created_by_id",
        "document__document_type_id",
        "document__owner_unit_id",
        "document__site_id",
        "document__code",
        "document__document_type__allow_self_approval",
    )
    batch: list[DocumentVersion] = []
    n = 0
    for pk, status, created_by_id, type_id, unit_id, site_id, code, self_ok in rows.iterator(chunk_size=BATCH):
        fields = values(
            status=status,
            created_by_id=created_by_id,
            type_id=type_id,
            owner_unit_id=unit_id,
            site_id=site_id,
            code=code,
            allow_self_approval=self_ok,
            rules=rules,
        )
        batch.append(DocumentVersion(pk=pk, **fields))
        if len(batch) >= BATCH:
            n += _save(batch)
            batch = []
    return n + _save(batch)


def _save(batch: list[DocumentVersion]) -> int:
    if batch:
        DocumentVersion.objects.bulk_update(batch, FIELDS, batch_size=BATCH)
    return len(batch)


def refresh_type(type_id: int) -> int:
    """After a change to the type's rules or its self-approval flag."""
    return refresh(DocumentVersion.objects.filter(document__document_type_id=type_id, status__in=list(WAITING_STEP)))


def role_keys(rules: Rules) -> set[str]:
    """Every role set a waiting version can be stamped with under these rules."""
    return {roles_key(roles) for by_unit in rules.values() for roles in by_unit.values() if roles}


def awaiting(user: Any) -> QuerySet[DocumentVersion]:
    """The versions waiting for a step `user` may take, as conditions on the stamp alone (no
    join, every column in version_waiting_cover_idx). Unordered; versions the user may see only
    (a waiting version is visible to whoever holds a role at its site, or a central one)."""
    scope = get_scope(user)
    if not scope.roles:
        return DocumentVersion.objects.none()
    keys = role_keys(load_rules())
    central = sorted(k for k in keys if set(k.split()) & scope.central_roles)
    match = Q(waiting_roles__in=central) if central else Q(pk__in=[])
    for site_id, held in sorted(scope.site_roles.items()):
        at_site = sorted(k for k in keys if set(k.split()) & held and k not in central)
        if at_site:
            match |= Q(waiting_roles__in=at_site, waiting_site_id=site_id)
    # The role sets are never empty: a version that waits for nobody matches no one. No condition
    # on waiting_step, which the index does not hold.
    qs = DocumentVersion.objects.filter(match).exclude(waiting_barred_id=user.pk)
    if not scope.all_sites:  # never wider than versions_visible_to: waiting versions of own sites
        qs = qs.filter(waiting_site_id__in=sorted(scope.site_ids))
    return qs
