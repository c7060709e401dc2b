from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from openmandato.accountability import urls as accountability_urls
from openmandato.accountability.forms import LoginForm, NewPasswordForm, PasswordResetRequestForm
from openmandato.accountability.staff_views import InvitationAcceptView
from openmandato.api.api import api
from openmandato.portal import views as portal_views

# One back-office namespace, two apps: progress reporting (accountability) and the import (importer).
BACKOFFICE = [*accountability_urls.urlpatterns, path("import/", include("openmandato.importer.urls"))]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetRequestForm),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        InvitationAcceptView.as_view(form_class=NewPasswordForm),
        name="invitation_accept",
    ),
    path("", include("openmandato.spid.urls")),
    path("area-personale/", include("openmandato.citizens.urls")),
    path("area-personale/notifiche/", include("openmandato.notifications.urls")),
    path("area-personale/token/", include("openmandato.api.token_views")),
    path("area-personale/", include("allauth.account.urls")),
    path("", include("openmandato.participation.urls")),
    path("backoffice/", include((BACKOFFICE, "backoffice"))),
    path("healthz", portal_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("openmandato.accountability.checkpoints")),
    path("", include("openmandato.reports.urls")),
    path("", include("openmandato.portal.urls")),
]

handler500 = "openmandato.security.views.server_error"
