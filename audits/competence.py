"""Auditor competence (ISO 19011 §7): the standards each auditor may audit, their training, the
audits done as auditor or lead, and the evaluations after each audit; the warning when no
member of a team is competent in a standard of the audit's criteria."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import record
from audits.access import require_manager
from audits.models import Audit, AuditorEvaluation, AuditorProfile
from core.services import ServiceError


def competence_warnings(audit: Audit) -> list[str]:
    """One message per standard of the criteria that no team member is competent in."""
    team = list(audit.team.values_list("pk", flat=True))
    covered = set(
        AuditorProfile.standards.through.objects.filter(auditorprofile__user_id__in=team).values_list(
            "standard__code", flat=True
        )
    )
    wanted = sorted(set(audit.criteria.values_list("edition__standard__code", flat=True)))
    return [_("No member of the team is competent in %(std)s.") % {"std": std} for std in wanted if std not in covered]


def auditors() -> Any:
    """People with the auditor role or on an audit team, with their audit counts and average rating."""
    from accounts.models import RoleAssignment

    ids = set(RoleAssignment.objects.active().filter(role=Role.AUDITOR).values_list("user_id", flat=True))
    ids |= set(Audit.team.through.objects.values_list("user_id", flat=True))
    return (
        User.objects.filter(pk__in=ids)
        .annotate(
            n_audits=Count("audits", distinct=True),
            n_lead=Count("audits", filter=Q(audits__lead=F("pk")), distinct=True),
        )
        .order_by("last_name", "first_name")
    )


def average_ratings(user_ids: list[int]) -> dict[int, float]:
    rows = AuditorEvaluation.objects.filter(auditor_id__in=user_ids).values("auditor_id").annotate(avg=Avg("rating"))
    return {r["auditor_id"]: round(r["avg"], 1) for r in rows}


@transaction.atomic
def save_profile(user: Any, *, standards: list[Any], iso19011: bool, training: str, by: Any) -> AuditorProfile:
    require_manager(by)
    profile, _created = AuditorProfile.objects.get_or_create(user=user)
    old = sorted(profile.standards.values_list("pk", flat=True))
    profile.iso19011, profile.training = iso19011, training
    profile.save()
    profile.standards.set(standards)
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=profile,
        changes={"standards": [old, sorted(s.pk for s in standards)], "iso19011": [None, iso19011]},
    )
    return profile


@transaction.atomic
def evaluate(audit: Audit, *, auditor: Any, rating: int, comment: str, by: Any) -> AuditorEvaluation:
    """A manager evaluates a team member once the audit is concluded; not their own work."""
    require_manager(by)
    if audit.status != Audit.Status.COMPLETED:
        raise ServiceError(_("Team members are evaluated after the audit is concluded."), field="rating")
    if not audit.team.filter(pk=auditor.pk).exists():
        raise ServiceError(_("Choose a member of the audit team."), field="auditor")
    if auditor.pk == getattr(by, "pk", None):
        raise ServiceError(_("Nobody evaluates their own work."), field="auditor")
    if not 1 <= rating <= 5:
        raise ServiceError(_("Rate from 1 to 5."), field="rating")
    if AuditorEvaluation.objects.filter(audit=audit, auditor=auditor).exists():
        raise ServiceError(_("That member was already evaluated for this audit."), field="auditor")
    evaluation = AuditorEvaluation.objects.create(
        audit=audit, auditor=auditor, rating=rating, comment=comment, evaluated_by=by, evaluated_on=timezone.localdate()
    )
    record(actor=by, action=AuditEvent.Action.CREATE, obj=evaluation, changes={"rating": [None, rating]})
    return evaluation
