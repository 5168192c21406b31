"""Per-request facts (client address, the request for building links) that services and
helpers need without receiving the request object. A ContextVar is safe under threads and async."""

from contextvars import ContextVar
from typing import Any

_ip: ContextVar[str | None] = ContextVar("sig_ip", default=None)
_request: ContextVar[Any] = ContextVar("sig_request", default=None)


def set_request(request: Any) -> object:
    return _request.set(request)


def reset_request(token: object) -> None:
    _request.reset(token)  # type: ignore[arg-type]


def current_request() -> Any:
    """The HttpRequest being served, or None outside a request."""
    return _request.get()


def set_ip(value: str | None) -> object:
    return _ip.set(value)


def reset_ip(token: object) -> None:
    _ip.reset(token)  # type: ignore[arg-type]


def current_ip() -> str | None:
    return _ip.get()
