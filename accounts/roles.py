from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """SIG roles (seed §5 plus what the three standards need). Assigned per person and
    per unit/site with validity dates (accounts.RoleAssignment)."""

    ADMIN = "admin", _("Platform administrator")
    DIRECTOR = "director", _("Executive Director (top management and governing body)")
    COMMITTEE = "committee", _("SIG Committee member")
    UPPM_HEAD = "uppm_head", _("Head of UPPM")
    SIG_COORDINATOR = "sig_coordinator", _("Management Modernisation Coordinator (SIG coordinator)")
    TECH_COORDINATOR = "tech_coordinator", _("Technical Coordinator")
    UNIT_HEAD = "unit_head", _("Unit head")
    AUDITOR = "auditor", _("Auditor")
    INTEGRITY_OFFICER = "integrity_officer", _("Integrity Officer")
    SECURITY_OFFICER = "security_officer", _("Information Security Officer")
    READER = "reader", _("Reader")

    @property
    def can_write(self) -> bool:
        """Readers never write; every other role writes within its own scope."""
        return self is not Role.READER


# Roles that maintain the organisation's reference data (units, processes, catalogue…).
REFERENCE_EDITORS = frozenset({Role.ADMIN, Role.SIG_COORDINATOR})
# Roles that may browse and export the whole audit trail.
AUDIT_TRAIL_READERS = frozenset({Role.ADMIN, Role.SIG_COORDINATOR, Role.AUDITOR, Role.SECURITY_OFFICER})
# Roles that manage accounts and role assignments (at their site: accounts.access.AccountAuthority).
ACCOUNT_MANAGERS = frozenset({Role.ADMIN})
# Roles only a central administrator may grant, wherever the role is held.
CENTRAL_GRANT_ONLY = frozenset({Role.ADMIN})
# Roles that see the access review (who holds which role where, last login).
ACCESS_REVIEWERS = frozenset({Role.ADMIN, Role.SECURITY_OFFICER, Role.AUDITOR})
