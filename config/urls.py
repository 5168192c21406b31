from django.urls import include, path, re_path
from django.views.i18n import set_language

from config.api import api
from core.views import api_not_found, healthz

urlpatterns = [
    path("", include("core.urls")),
    path("cuenta/", include("accounts.urls")),
    path("organizacion/", include("organization.urls")),
    path("normas/", include("catalog.urls")),
    path("auditoria/", include("audit.urls")),
    path("documentos/", include("documents.urls")),
    path("planes/", include("plans.urls")),
    path("comite/", include("committee.urls")),
    path("acciones/", include("actions.urls")),
    path("evidencias/", include("evidence.urls")),
    path("no-conformidades/", include("nonconformities.urls")),
    path("auditorias/", include("audits.urls")),
    path("supervisiones/", include("supervisions.urls")),
    path("riesgos/", include("risks.urls")),
    path("sgsi/", include("isms.urls")),
    path("denuncias/", include("whistleblowing.urls")),
    path("integridad/", include("integrity.urls")),
    path("verifica/", include("reports.public_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # unknown API paths answer JSON, not the HTML 404 page
]
