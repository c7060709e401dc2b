from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from openmandato.accountability.forms import LoginForm
from openmandato.api.api import api
from openmandato.portal import views as portal_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("backoffice/", include("openmandato.accountability.urls")),
    path("healthz", portal_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("openmandato.reports.urls")),
    path("", include("openmandato.portal.urls")),
]

handler500 = "openmandato.security.views.server_error"
