from django.urls import path

from evidence import views

app_name = "evidence"
urlpatterns = [
    path("archivos/<int:pk>/", views.file_download, name="file_download"),
    path("requisitos/<int:pk>/vincular/", views.requirement_link, name="requirement_link"),
    path("enlaces/<int:pk>/quitar/", views.link_remove, name="link_remove"),
]
