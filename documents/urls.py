from django.urls import path

from documents import indicators, views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("exportar/<str:fmt>/", views.document_export, name="document_export"),
    path("indicadores/", indicators.indicators, name="indicators"),
    path("nuevo/", views.document_create, name="document_create"),
    path("nuevo-externo/", views.document_create_external, name="document_create_external"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/origen/", views.document_origin, name="document_origin"),
    path("<int:pk>/editar/", views.document_edit, name="document_edit"),
    path("<int:pk>/retirar/", views.document_withdraw, name="document_withdraw"),
    path("<int:pk>/revision-periodica/", views.document_mark_reviewed, name="document_mark_reviewed"),
    path("<int:pk>/leido/", views.document_confirm_read, name="document_confirm_read"),
    path("<int:pk>/versiones/nueva/", views.version_create, name="version_create"),
    path("<int:pk>/versiones/<int:number>/", views.version_detail, name="version_detail"),
    path("<int:pk>/versiones/<int:number>/archivo/", views.version_file, name="version_file"),
    path(
        "<int:pk>/versiones/<int:number>/copia-controlada/", views.version_controlled_pdf, name="version_controlled_pdf"
    ),
    path("<int:pk>/versiones/<int:number>/<slug:action>/", views.version_action, name="version_action"),
]
