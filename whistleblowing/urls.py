from django.urls import path

from whistleblowing import views

app_name = "whistleblowing"
urlpatterns = [
    path("", views.file_report, name="file"),
    path("constancia/", views.receipt_file, name="receipt_file"),
    path("seguimiento/", views.follow, name="follow"),
    path("seguimiento/responder/", views.follow_reply, name="follow_reply"),
    path("casos/", views.case_list, name="case_list"),
    path("casos/registrar/", views.intake, name="intake"),
    path("casos/estadisticas/", views.statistics, name="statistics"),
    path("casos/clave/", views.unlock, name="unlock"),
    path("casos/clave/bloquear/", views.lock_key, name="lock"),
    path("casos/clave/<int:pk>/admitir/", views.approve_key, name="approve_key"),
    path("casos/<int:pk>/", views.case_detail, name="case_detail"),
    path("casos/<int:pk>/adjuntos/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("casos/<int:pk>/derivaciones/<int:referral_pk>/", views.referral_outcome, name="referral_outcome"),
    path("casos/<int:pk>/<str:action>/", views.case_action, name="case_action"),
]
