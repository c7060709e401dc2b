from django.urls import path

from openmandato.spid import views

app_name = "spid"
urlpatterns = [
    path(".well-known/openid-federation", views.entity_configuration, name="entity_configuration"),
    path("accedi/oidc/callback/", views.callback, name="callback"),
    path("accedi/spid-cie/", views.sign_in, name="sign_in"),
    path("accedi/oidc/<str:method>/", views.begin, name="begin"),
]
