from django.urls import path

from audits import views

app_name = "audits"
urlpatterns = [
    path("", views.audit_list, name="audit_list"),
    path("programas/nuevo/", views.programme_create, name="programme_create"),
    path("auditores/", views.auditor_list, name="auditor_list"),
    path("auditores/<int:pk>/", views.auditor_profile, name="auditor_profile"),
    path("<int:pk>/evaluacion/", views.audit_evaluate, name="audit_evaluate"),
    path("<int:pk>/copiar/", views.audit_copy, name="audit_copy"),
    path("programas/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programas/<int:pk>/auditorias/nueva/", views.audit_create, name="audit_create"),
    path("<int:pk>/", views.audit_detail, name="audit_detail"),
    path("<int:pk>/lista/", views.checklist_generate, name="checklist_generate"),
    path("<int:pk>/preguntas/<int:question_pk>/", views.question_answer, name="question_answer"),
    path("<int:pk>/hallazgos/", views.finding_add, name="finding_add"),
    path("<int:pk>/conclusiones/", views.conclusions, name="conclusions"),
    path("<int:pk>/reuniones/<slug:meeting>/", views.meeting_record, name="meeting_record"),
    path("<int:pk>/paso/", views.audit_step, name="audit_step"),
    path("<int:pk>/informe-externo/", views.external_report, name="external_report"),
    path("<int:pk>/informe.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/informe/reemitir/", views.report_reissue, name="report_reissue"),
    path("<int:pk>/informe/entregar-producto/", views.report_deliver, name="report_deliver"),
    path("<int:pk>/hallazgos.xlsx", views.findings_xlsx, name="findings_xlsx"),
    path("hallazgos/<int:pk>/respuesta/", views.finding_respond, name="finding_respond"),
]
