from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("pendientes/", views.pending_view, name="pending"),
    path("calendario/", views.calendar_view, name="calendar"),
    path("calendario/<int:pk>/retirar/", views.calendar_withdraw, name="calendar_withdraw"),
]
