from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.standard_list, name="standard_list"),
    path("ediciones/<int:pk>/", views.edition_detail, name="edition_detail"),
    path("requisitos/<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("requisitos/<int:pk>/texto-oficial/", views.requirement_official_text, name="requirement_official_text"),
    path("estructura-armonizada/", views.hs_list, name="hs_list"),
    path("estructura-armonizada/<str:number>/", views.hs_detail, name="hs_detail"),
    path("correspondencia-27001/", views.mapping_27001, name="mapping_27001"),
]
