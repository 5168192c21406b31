from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("", views.risk_list, name="risk_list"),
    path("nuevo/", views.risk_create, name="risk_create"),
    path("mapa-de-calor/", views.heat_map_view, name="heat_map"),
    path("<int:pk>/", views.risk_detail, name="risk_detail"),
    path("<int:pk>/editar/", views.risk_edit, name="risk_edit"),
    path("<int:pk>/evaluar/", views.risk_evaluate, name="risk_evaluate"),
    path("<int:pk>/tratamiento/", views.risk_treatment, name="risk_treatment"),
    path("<int:pk>/acciones/", views.risk_add_action, name="risk_add_action"),
    path("<int:pk>/aceptar/", views.risk_accept, name="risk_accept"),
    path("<int:pk>/cambiar-metodo/", views.risk_move, name="risk_move"),
    path("matriz.xlsx", views.matrix_xlsx, name="matrix_xlsx"),
    path("matriz/importar/", views.matrix_import, name="matrix_import"),
    path("matriz/plantilla.xlsx", views.matrix_template, name="matrix_template"),
    path("seguimiento.<str:fmt>", views.follow_up, name="follow_up"),
    path("metodos/", views.method_list, name="method_list"),
    path("metodos/cargar/", views.method_load, name="method_load"),
    path("metodos/<int:pk>/", views.method_detail, name="method_detail"),
    path("metodos/<int:pk>/editar/", views.method_edit, name="method_edit"),
    path("metodos/<int:pk>/matriz/", views.method_matrix, name="method_matrix"),
    path("metodos/<int:pk>/copiar/", views.method_copy, name="method_copy"),
    path("controles/", views.control_list, name="control_list"),
    path("controles/nuevo/", views.control_create, name="control_create"),
    path("controles/<int:pk>/editar/", views.control_edit, name="control_edit"),
]
