from django.urls import path

from plans import urls_gantt, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("nuevo/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/editar/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/enviar-al-comite/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/aprobar/", views.plan_approve, name="plan_approve"),
    path("<int:pk>/cerrar/", views.plan_close, name="plan_close"),
    path("<int:pk>/versiones/<int:number>/", views.plan_version, name="plan_version"),
    path("<int:pk>/tablero/", views.plan_dashboard, name="plan_dashboard"),
    path("<int:pk>/actividades/", views.activity_list, name="activity_list"),
    path("<int:pk>/etapas/<int:stage>/actividades/nueva/", views.activity_create, name="activity_create"),
    path("<int:pk>/etapas/<int:stage>/", views.plan_stage, name="plan_stage"),
    path("<int:pk>/productos/nuevo/", views.product_create, name="product_create"),
    path("<int:pk>/presupuesto/nueva-tarea/", views.budget_task_create, name="budget_task_create"),
    path("<int:pk>/presupuesto/<int:task>/", views.budget_task_edit, name="budget_task_edit"),
    path("<int:pk>/cambios/nuevo/", views.change_request_create, name="change_request_create"),
    path("actividades/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("actividades/<int:pk>/editar/", views.activity_edit, name="activity_edit"),
    path("productos/<int:pk>/entregar/", views.product_deliver, name="product_deliver"),
    path("cambios/<int:pk>/", views.change_request_detail, name="change_request_detail"),
    path("cambios/<int:pk>/revision-del-comite/", views.change_request_review, name="change_request_review"),
    path("cambios/<int:pk>/decision/", views.change_request_decide, name="change_request_decide"),
    path("cambios/<int:pk>/comunicaciones/", views.change_request_communications, name="change_request_communications"),
    *urls_gantt.urlpatterns,
]
