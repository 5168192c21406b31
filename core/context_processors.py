import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from core import registry
from core.access import get_scope


def _url(name: str) -> str:
    """reverse(name), memoised per process: it depends only on the URLconf and the script prefix
    (both in the key); the menu reversed ~25 names on every page."""
    return _reverse(name, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=256)
def _reverse(name: str, root: str, urlconf: Any, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


def _menu(scope: Any) -> list[dict[str, Any]]:
    """The main menu: the registered items this scope may see, in their groups."""
    if not scope.authenticated:
        return []
    groups: dict[str, list[dict[str, Any]]] = {key: [] for key, _label in registry.NAV_GROUPS}
    for item in registry.nav_items():
        if item.visible(scope):
            groups[item.group].append({"key": item.key, "label": item.label, "url": _url(item.url_name)})
    return [
        {"key": key, "label": label, "items": groups[key], "keys": {i["key"] for i in groups[key]}}
        for key, label in registry.NAV_GROUPS
        if groups[key]
    ]


def sig(request: HttpRequest) -> dict[str, Any]:
    scope = get_scope(getattr(request, "user", None))
    return {
        "sig_scope": scope,
        "sig_roles": scope.roles,
        "sig_menu": _menu(scope),
        "LANGUAGES": settings.LANGUAGES,
    }
