from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("ingresar/", views.login_view, name="login"),
    path("salir/", views.logout_view, name="logout"),
    path("contrasena/", views.password_change, name="password_change"),
    path("contrasena/olvidada/", views.password_forgotten, name="password_forgotten"),
    path("contrasena/nueva/<str:uidb64>/<str:token>/", views.password_set, name="password_set"),
    path("personas/<int:pk>/enlace-contrasena/", views.person_password_link, name="person_password_link"),
    path("personas/", views.person_list, name="person_list"),
    path("personas/nueva/", views.person_create, name="person_create"),
    path("personas/revision-accesos/", views.access_review, name="access_review"),
    path("personas/<int:pk>/", views.person_detail, name="person_detail"),
    path("personas/<int:pk>/editar/", views.person_edit, name="person_edit"),
    path("personas/<int:pk>/roles/", views.role_assign, name="role_assign"),
    path("personas/<int:pk>/estado/", views.person_set_active, name="person_set_active"),
    path("roles/<int:pk>/revocar/", views.role_revoke, name="role_revoke"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revocar/", views.token_revoke, name="token_revoke"),
]
