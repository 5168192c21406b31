from django.urls import path

from supervisions import views

app_name = "supervisions"
urlpatterns = [
    path("", views.supervision_list, name="list"),
    path("nueva/", views.supervision_create, name="create"),
    path("estatus.<str:fmt>", views.status_report, name="status_report"),
    path("<int:pk>/", views.supervision_detail, name="detail"),
    path("<int:pk>/lista/", views.check_add, name="check_add"),
    path("<int:pk>/matriz/", views.improvement_add, name="improvement_add"),
    path("<int:pk>/informe/", views.report_save, name="report_save"),
]
