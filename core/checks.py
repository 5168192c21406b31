"""Configuration mistakes caught at start-up, with stable ids."""

import ipaddress
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def sig_settings(app_configs: Any, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if settings.PRODUCTION and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        problems.append(Warning("Mail is written to files in production.", hint="Set SIG_EMAIL_HOST.", id="sig.W001"))
    if settings.PRODUCTION and not settings.SITE_URL.startswith("https://"):
        problems.append(Error("SIG_SITE_URL must be https in production.", id="sig.E001"))
    if settings.PRODUCTION and settings.SIG_DEMO_PASSWORD == "juntos2020":
        problems.append(
            Warning(
                "The demo password is the published default.",
                hint="Do not load demo data in production, or set SIG_DEMO_PASSWORD.",
                id="sig.W002",
            )
        )
    if settings.PRODUCTION and len(settings.SIG_AUDIT_KEY) < 32:
        problems.append(Error("SIG_AUDIT_KEY must have at least 32 characters in production.", id="sig.E002"))
    if settings.SIG_AUDIT_KEY == settings.SECRET_KEY:
        problems.append(
            Error("SIG_AUDIT_KEY must differ from SIG_SECRET_KEY.", hint="Generate a key of its own.", id="sig.E003")
        )
    for proxy in settings.SIG_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            problems.append(Error(f"SIG_TRUSTED_PROXIES: {proxy!r} is not an address or network.", id="sig.E004"))
    return problems
