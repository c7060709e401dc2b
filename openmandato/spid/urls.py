from django.urls import path

from openmandato.spid import views

app_name = "spid"
urlpatterns = [
    path(".well-known/openid-federation", views.entity_configuration, name="entity_configuration"),
    path("accedi/oidc/callback/", views.callback, name="callback"),
    path("accedi/oidc/<str:method>/", views.begin, name="begin"),
]
