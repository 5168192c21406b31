from typing import Any

from django.conf import settings
from django.http import HttpRequest

from core.access import get_scope


def sig(request: HttpRequest) -> dict[str, Any]:
    scope = get_scope(getattr(request, "user", None))
    return {
        "sig_scope": scope,
        "sig_roles": scope.roles,
        "LANGUAGES": settings.LANGUAGES,
    }
