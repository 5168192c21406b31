import functools
import ipaddress
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core import text
from core.limits import int_problem
from core.request_context import reset_ip, reset_request, set_ip, set_request

Handler = Callable[[HttpRequest], HttpResponse]


REFUSED_METHODS = frozenset({"TRACE", "TRACK", "CONNECT"})
ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class SecurityHeadersMiddleware:
    """Strict Content-Security-Policy (no inline scripts) and a few hardening headers; TRACE
    (and its relatives) refused everywhere; whatever an authenticated person receives (pages,
    downloads, API answers) is never stored by browsers or proxies (Cache-Control: no-store)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in REFUSED_METHODS:
            response: HttpResponse = HttpResponseNotAllowed(ALLOWED_METHODS)
        else:
            response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.SIG_CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class ApiJsonErrorsMiddleware:
    """An error answered under /api/ is always JSON (`{"detail": "…"}`), whoever produced it: a
    405 from the router, a CSRF refusal, Django's 500 page. Headers such as Allow are kept."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = JsonResponse({"detail": response.reason_phrase}, status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response


class LanguageMiddleware:
    """Spanish unless the user chose otherwise (cookie set by the language switcher).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: the product's
    default language is Spanish whatever the browser says."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        lang = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response


@functools.cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """The networks of SIG_TRUSTED_PROXIES (a malformed entry is left out; check sig.E004 names it)."""
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _trusted_networks(tuple(settings.SIG_TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy (SIG_TRUSTED_PROXIES),
    in which case the nearest address of X-Forwarded-For that is not itself a trusted proxy.
    A forged header from anyone else is ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not settings.SIG_TRUSTED_PROXIES or not _is_trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: do not guess
        if not _is_trusted(hop):
            return hop
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token, request_token = set_ip(client_ip(request)), set_request(request)
        try:
            return self.get_response(request)
        finally:
            reset_request(request_token)
            reset_ip(token)


def _api_error(loc: list[str], msg: str, kind: str) -> JsonResponse:
    return JsonResponse({"detail": [{"loc": loc, "msg": msg, "type": kind}]}, status=422)


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class InputGuardMiddleware:
    """What no view should ever receive: a path integer beyond the 64 bits the databases hold,
    or a control character (NUL…) in a path parameter or in the query string. Such a request is
    answered before the view runs: 422 naming the parameter in the API, 404 (path) or 400 (query)
    on the pages. Bodies are checked by the forms (core.forms) and the API schemas
    (core.api_helpers)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        api = request.path_info.startswith("/api/")
        for name, value in view_kwargs.items():
            if api and isinstance(value, str) and value.isdigit() and value.isascii():
                value = int(value)  # the API's converters hand ids over as text
            if isinstance(value, int) and not isinstance(value, bool) and int_problem(value):
                if api:
                    return _api_error(["path", name], str(int_problem(value)), "int_range")
                raise Http404
            if isinstance(value, str) and _CONTROLS.search(value):
                if api:
                    return _api_error(["path", name], str(text.MESSAGES["control"]), "text_control")
                raise Http404
        for key, values in request.GET.lists():
            if _CONTROLS.search(key) or any(_CONTROLS.search(v) for v in values):
                shown = _CONTROLS.sub("", key)
                if api:
                    return _api_error(["query", shown], str(text.MESSAGES["control"]), "text_control")
                return HttpResponseBadRequest(
                    _("The parameter “%(name)s” of the address contains control characters.") % {"name": shown},
                    content_type="text/plain; charset=utf-8",
                )
        return None
