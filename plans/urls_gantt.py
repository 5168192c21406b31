"""Cronograma and Gantt routes of a plan; included by plans/urls.py (app namespace "plans")."""

from django.urls import path

from plans import views_gantt

urlpatterns = [
    path("<int:pk>/cronograma/", views_gantt.plan_gantt, name="plan_gantt"),
    path("<int:pk>/cronograma/cronograma.xlsx", views_gantt.cronograma_xlsx, name="cronograma_xlsx"),
    path("<int:pk>/cronograma/cronograma.pdf", views_gantt.cronograma_pdf, name="cronograma_pdf"),
    path("<int:pk>/cronograma/importar/", views_gantt.cronograma_import, name="cronograma_import"),
    path("<int:pk>/cronograma/plantilla.xlsx", views_gantt.cronograma_template, name="cronograma_template"),
]
