import hashlib
from typing import Any

from django.db import transaction

from audit.models import AuditEvent
from audit.services import record
from catalog.models import Requirement


def _fingerprint(text: str) -> str:
    """What the audit trail keeps of an official text: its length and hash, never the words,
    because the trail is exported to auditors and the text is licensed to this entity only."""
    if not text:
        return ""
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"sha256:{digest} ({len(text)} chars)"


def set_official_text(requirement: Requirement, *, text: str, by: Any) -> Requirement:
    """Store the licensee's official text (kept private; never exported or published)."""
    before = requirement.official_text
    if text == before:
        return requirement
    with transaction.atomic():
        requirement.official_text = text
        requirement.full_clean()
        requirement.save(update_fields=["official_text"])
        record(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            obj=requirement,
            changes={"official_text": [_fingerprint(before), _fingerprint(text)]},
        )
    return requirement
