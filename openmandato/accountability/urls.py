from django.urls import include, path

from openmandato.accountability import views

app_name = "backoffice"
urlpatterns = [
    path("", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("indicators/<int:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path("audit/", views.audit_log, name="audit_log"),
    path("import/", include("openmandato.importer.urls")),
]
