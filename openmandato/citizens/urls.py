from django.urls import path

from openmandato.citizens import views

app_name = "citizens"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("follow/<str:kind>/<int:pk>/", views.toggle_follow, name="follow"),
    path("i-miei-dati.json", views.export_data, name="export"),
    path("cancella-account/", views.delete_account, name="delete"),
    path("privacy/", views.privacy, name="privacy"),
]
