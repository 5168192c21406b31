from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_channel(settings: Any) -> None:
    """Cheaper Argon2id for the keys tests create (the cost is stored with each key, so the demo's
    keys keep theirs), no minimum answer time unless a test sets one, fresh rate limits."""
    from whistleblowing import ratelimit

    settings.SIG_WB_KDF_OPS = 1
    settings.SIG_WB_KDF_MEM_KB = 8192
    settings.SIG_WB_MIN_MS = 0
    ratelimit.reset()
