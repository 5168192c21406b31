from django.urls import path

from organization import views

app_name = "organization"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("unidades/nueva/", views.unit_create, name="unit_create"),
    path("unidades/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unidades/<int:pk>/editar/", views.unit_edit, name="unit_edit"),
    path("sedes/", views.site_list, name="site_list"),
    path("sedes/<int:pk>/", views.site_detail, name="site_detail"),
    path("sedes/<int:pk>/editar/", views.site_edit, name="site_edit"),
    path("procesos/", views.process_map, name="process_map"),
    path("procesos/lista/", views.process_list, name="process_list"),
    path("procesos/nuevo/", views.process_create, name="process_create"),
    path("procesos/<int:pk>/", views.process_detail, name="process_detail"),
    path("procesos/<int:pk>/editar/", views.process_edit, name="process_edit"),
    path("sistemas/", views.system_list, name="system_list"),
    path("sistemas/<int:pk>/", views.system_detail, name="system_detail"),
    path("sistemas/<int:pk>/editar/", views.system_edit, name="system_edit"),
    path("base-legal/", views.legal_list, name="legal_list"),
    path("base-legal/nueva/", views.legal_create, name="legal_create"),
    path("base-legal/<int:pk>/", views.legal_detail, name="legal_detail"),
    path("base-legal/<int:pk>/editar/", views.legal_edit, name="legal_edit"),
    path("glosario/", views.glossary_list, name="glossary_list"),
    path("glosario/nuevo/", views.glossary_create, name="glossary_create"),
    path("glosario/<int:pk>/", views.glossary_detail, name="glossary_detail"),
    path("glosario/<int:pk>/editar/", views.glossary_edit, name="glossary_edit"),
]
