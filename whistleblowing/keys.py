"""Holding a member's private key for their logged-in session only.

When the member types their password on the unlock page, their private key is decrypted and
immediately encrypted again under a fresh random secret. The encrypted key goes into the
server-side session; the secret goes only into a cookie of the member's browser (HttpOnly,
SameSite=Strict, and Secure in production). Neither half alone opens anything: a dump of the
database (sessions included) lacks the cookie, and the cookie lacks the session. Logging out
deletes the session and with it the key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from whistleblowing import crypto
from whistleblowing.models import MemberKey

COOKIE = "sig_wb_unlock"
SESSION = "wb_unlocked"


def remember(request: HttpRequest, response: HttpResponse, key: MemberKey, private_key: bytes) -> None:
    wrap = crypto.new_key()
    request.session[SESSION] = {"key": key.pk, "ct": crypto.b64(crypto.encrypt(wrap, private_key))}
    response.set_cookie(
        COOKIE,
        crypto.b64(wrap),
        max_age=settings.SESSION_COOKIE_AGE,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget(request: HttpRequest, response: HttpResponse) -> None:
    request.session.pop(SESSION, None)
    response.delete_cookie(COOKIE, samesite="Strict")


def private_key(request: HttpRequest) -> bytes | None:
    """The member's unlocked private key for this request, or None."""
    held: Any = request.session.get(SESSION) if hasattr(request, "session") else None
    wrap = request.COOKIES.get(COOKIE, "")
    if not isinstance(held, dict) or not wrap:
        return None
    user: Any = request.user
    key = MemberKey.objects.filter(pk=int(held.get("key") or 0), user=user, retired_at__isnull=True).first()
    if key is None:
        return None
    try:
        private = crypto.decrypt(crypto.unb64(wrap), crypto.unb64(str(held.get("ct", ""))))
    except (crypto.CryptoError, ValueError, TypeError):
        return None
    return private if crypto.public_from_private(private) == bytes(key.public_key) else None
