from django.urls import path

from committee import views

app_name = "committee"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("miembros/", views.member_list, name="member_list"),
    path("sesiones/nueva/", views.session_create, name="session_create"),
    path("sesiones/<int:pk>/", views.session_detail, name="session_detail"),
    path("sesiones/<int:pk>/editar/", views.session_edit, name="session_edit"),
    path("sesiones/<int:pk>/asistencia/", views.session_attendance, name="session_attendance"),
    path("sesiones/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("sesiones/<int:pk>/agenda/<int:item_pk>/", views.agenda_edit, name="agenda_edit"),
    path("sesiones/<int:pk>/desarrollo/", views.session_minutes, name="session_minutes"),
    path("sesiones/<int:pk>/acuerdos/", views.agreement_add, name="agreement_add"),
    path("sesiones/<int:pk>/cerrar/", views.session_close, name="session_close"),
    path("sesiones/<int:pk>/acta.pdf", views.acta_pdf, name="acta_pdf"),
    path("acuerdos/seguimiento.<str:fmt>", views.agreement_report, name="agreement_report"),
]
