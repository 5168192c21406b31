from django.urls import path

from isms import views

app_name = "isms"

urlpatterns = [
    path("activos/", views.asset_list, name="asset_list"),
    path("activos/nuevo/", views.asset_create, name="asset_create"),
    path("activos/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("activos/<int:pk>/editar/", views.asset_edit, name="asset_edit"),
    path("activos/<int:pk>/riesgo/", views.asset_risk, name="asset_risk"),
    path("amenazas/", views.threat_catalogue, name="threat_catalogue"),
    path("aplicabilidad/", views.soa_list, name="soa_list"),
    path("aplicabilidad/nueva/", views.soa_create, name="soa_create"),
    path("aplicabilidad/<int:pk>/", views.soa_detail, name="soa_detail"),
    path("aplicabilidad/<int:pk>/controles/<int:entry_pk>/", views.soa_entry, name="soa_entry"),
    path("aplicabilidad/<int:pk>/migrar/", views.soa_migrate, name="soa_migrate"),
    path("aplicabilidad/<int:pk>/aprobar/", views.soa_approve, name="soa_approve"),
    path("aplicabilidad/<int:pk>/descarga.<str:fmt>", views.soa_download, name="soa_download"),
    path("incidentes/", views.incident_list, name="incident_list"),
    path("incidentes/reportar/", views.incident_report, name="incident_report"),
    path("incidentes/<int:pk>/", views.incident_detail, name="incident_detail"),
]
