from django.urls import path

from integrity import views

app_name = "integrity"
urlpatterns = [
    path("socios/", views.partner_list, name="partner_list"),
    path("socios/nuevo/", views.partner_create, name="partner_create"),
    path("socios/matriz.<str:fmt>", views.matrix, name="matrix"),
    path("socios/importar/", views.partner_import, name="partner_import"),
    path("socios/informe-cumplimiento.<str:fmt>", views.compliance_report, name="compliance_report"),
    path("socios/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("socios/<int:pk>/editar/", views.partner_edit, name="partner_edit"),
    path("puestos-clave/", views.key_position_list, name="key_position_list"),
    path("puestos-clave/nuevo/", views.key_position_create, name="key_position_create"),
    path("puestos-clave/<int:pk>/editar/", views.key_position_edit, name="key_position_edit"),
    path("debida-diligencia/", views.dd_list, name="dd_list"),
    path("debida-diligencia/nueva/", views.dd_create, name="dd_create"),
    path("debida-diligencia/<int:pk>/", views.dd_edit, name="dd_edit"),
    path("debida-diligencia/<int:pk>/completar/", views.dd_complete, name="dd_complete"),
    path("regalos/", views.gift_list, name="gift_list"),
    path("regalos/nuevo/", views.gift_create, name="gift_create"),
    path("regalos/<int:pk>/", views.gift_detail, name="gift_detail"),
    path("conflictos/", views.declaration_list, name="declaration_list"),
    path("conflictos/nueva/", views.declaration_create, name="declaration_create"),
]
