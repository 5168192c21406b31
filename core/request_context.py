"""Per-request facts (client address) that services need for the audit trail without
receiving the request object. A ContextVar is safe under threads and async."""

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("sig_ip", default=None)


def set_ip(value: str | None) -> object:
    return _ip.set(value)


def reset_ip(token: object) -> None:
    _ip.reset(token)  # type: ignore[arg-type]


def current_ip() -> str | None:
    return _ip.get()
