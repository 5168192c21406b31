"""Limits on receipt look-ups that stop guessing without locking out an office behind one
shared address: only *failed* look-ups count (people who type their receipt right never add
to it, and a success never resets the count, so an attacker cannot interleave their own
receipt), per client address — kept in the cache as a keyed hash under a secret that lives only
in this process's memory, never the address itself — and across all addresses (a distributed
guesser). A 20-digit receipt leaves 10^20 possibilities; at the default limits guessing one
takes far longer than the life of the universe."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache

_PEPPER = secrets.token_bytes(32)
WINDOW = 3600


def _per_address() -> int:
    return int(getattr(settings, "SIG_WB_RECEIPT_FAILURES", 20))


def _overall() -> int:
    return int(getattr(settings, "SIG_WB_RECEIPT_FAILURES_ALL", 1000))


def _key(ip: str | None) -> str:
    digest = hashlib.blake2b((ip or "-").encode(), key=_PEPPER, digest_size=16).hexdigest()
    return f"wb:fail:{digest}"


def blocked(ip: str | None) -> bool:
    return int(cache.get(_key(ip), 0)) >= _per_address() or int(cache.get("wb:fail:all", 0)) >= _overall()


def failed(ip: str | None) -> None:
    for key in (_key(ip), "wb:fail:all"):
        if cache.add(key, 1, WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW)


def reset() -> None:
    """For tests."""
    cache.clear()
