"""The back-office import pages, included under /backoffice/import/ in the back-office namespace."""

from django.urls import path

from openmandato.importer import views

urlpatterns = [
    path("", views.upload, name="import_upload"),
    path("mandates/<int:pk>/", views.mandate, name="import_mandate"),
    path("mandates/<int:pk>/publish/", views.publish, name="import_publish"),
    path("<str:token>/", views.preview, name="import_preview"),
    path("<str:token>/edit/", views.edit, name="import_edit"),
]
