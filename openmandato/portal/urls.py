from django.urls import path

from openmandato.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.municipality, name="municipality"),
]
