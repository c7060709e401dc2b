from django.urls import path, re_path

from openmandato.reports import views

app_name = "reports"
urlpatterns = [
    path("catalog.jsonld", views.catalog, name="catalog"),
    re_path(r"^(?P<slug>[-\w]+)/export\.(?P<fmt>csv|json|xlsx)$", views.export, name="export"),
    re_path(
        r"^(?P<slug>[-\w]+)/export-(?P<table>updates|measurements|comments|proposals|contests)\.csv$",
        views.export_table,
        name="table",
    ),
    path("<slug:slug>/dati-aperti/", views.dictionary, name="dictionary"),
    path("<slug:slug>/report.pdf", views.report_pdf, name="report"),
]
