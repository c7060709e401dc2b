from django.urls import path

from openmandato.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.municipality, name="municipality"),
    path("<slug:slug>/actions/<int:pk>/", views.action, name="action"),
    path("<slug:slug>/come-calcoliamo/", views.method, name="method"),
    path("<slug:slug>/ledger.json", views.ledger_json, name="ledger"),
    path("<slug:slug>/evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
