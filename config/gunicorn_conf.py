"""Gunicorn settings used by `./sig run` (in production: `gunicorn -c config/gunicorn_conf.py
config.wsgi:application`).

The access log is the one place outside the application where a whistleblower's address could be
kept: the channel promises that no IP address or user agent is stored (issue 13). Its lines for
the channel's paths therefore carry "-" instead of the client's address, user agent, referring
page and forwarding headers; every other line keeps gunicorn's usual fields, which the ISMS needs
(ISO/IEC 27001 A.8.15, logging)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

# Paths of the whistleblowing channel: the public filing and follow-up pages, the officers'
# pages and both APIs.
PRIVATE_PREFIXES = ("/denuncias/", "/api/v1/public/whistleblowing/", "/api/v1/whistleblowing/")
# Access-log atoms that identify a client (gunicorn.glogging.Logger.atoms).
IDENTIFYING_ATOMS = ("h", "a", "f")
IDENTIFYING_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded", "user-agent", "referer", "cf-connecting-ip")


class PrivacyLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        if str(environ.get("PATH_INFO") or "").startswith(PRIVATE_PREFIXES):
            for key in IDENTIFYING_ATOMS:
                atoms[key] = "-"
            for header in IDENTIFYING_HEADERS:
                for key in (f"{{{header}}}i", f"{{{header}}}e"):
                    if key in atoms:
                        atoms[key] = "-"
        return atoms


logger_class = PrivacyLogger
accesslog = "-"
errorlog = "-"
capture_output = True
