"""Public pages (no login), mounted at /verifica/ by config/urls.py."""

from django.urls import path

from reports import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.verify, name="verify"),
]
