from django.urls import path

from nonconformities import views

app_name = "nonconformities"
urlpatterns = [
    path("", views.nc_list, name="nc_list"),
    path("nueva/", views.nc_create, name="nc_create"),
    path("seguimiento.<str:fmt>", views.follow_up, name="follow_up"),
    path("<int:pk>/", views.nc_detail, name="nc_detail"),
    path("<int:pk>/correccion/", views.nc_correction, name="nc_correction"),
    path("<int:pk>/analisis/", views.nc_analysis, name="nc_analysis"),
    path("<int:pk>/acciones/", views.nc_action_add, name="nc_action_add"),
    path("<int:pk>/paso/", views.nc_step, name="nc_step"),
    path("<int:pk>/verificacion/", views.nc_verify, name="nc_verify"),
]
