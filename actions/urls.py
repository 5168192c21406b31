from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("vencidas/", views.overdue_by_unit, name="overdue_by_unit"),
    path("<int:pk>/evidencia/", views.item_evidence, name="item_evidence"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/estado/", views.item_status, name="item_status"),
]
