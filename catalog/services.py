from typing import Any

from catalog.models import Requirement
from core.services import update_record


def set_official_text(requirement: Requirement, *, text: str, by: Any) -> Requirement:
    """Store the licensee's official text (kept private; never exported or published)."""
    return update_record(requirement, data={"official_text": text}, fields=["official_text"], by=by)
