"""A local OpenID Connect Federation for the tests: a trust anchor (spid-cie-oidc's `authority` app) and an
OpenID Provider (its `provider` app) in one Django 4.2 process, run from its own virtualenv
(.venv-federation, `make install-dev`; spid-cie-oidc needs Django<5 and pydantic<2).

Never imported by OpenMandato itself. FEDERATION_URL and FEDERATION_DB come from the test that starts it.
"""

import os
from pathlib import Path

import aiohttp

HERE = Path(__file__).resolve().parent
FEDERATION_URL = os.environ["FEDERATION_URL"].rstrip("/") + "/"
SECRET_KEY = "local-test-federation-only"  # noqa: S105 - a throw-away process on 127.0.0.1
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
AUTH_USER_MODEL = "spid_cie_oidc_accounts.User"
INSTALLED_APPS = [
    "spid_cie_oidc.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "spid_cie_oidc.entity",
    "spid_cie_oidc.authority",
    "spid_cie_oidc.provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "openmandato.spid.federation_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["FEDERATION_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test citizens, fast
USE_TZ = True
TIME_ZONE = "Europe/Rome"
STATIC_URL = "/static/"
STATIC_ROOT = str(Path(os.environ["FEDERATION_DB"]).parent / "static")

# The trust anchor: this process itself, or (for an intermediate) its superior given in FEDERATION_ANCHOR.
FEDERATION_ANCHOR = os.environ.get("FEDERATION_ANCHOR", FEDERATION_URL).rstrip("/") + "/"
OIDCFED_TRUST_ANCHOR = FEDERATION_ANCHOR
OIDCFED_TRUST_ANCHORS = [FEDERATION_ANCHOR]
OIDCFED_REQUIRED_TRUST_MARKS = [FEDERATION_ANCHOR + "openid_relying_party/public/"]
OIDCFED_FEDERATION_TRUST_MARKS_PROFILES = {FEDERATION_ANCHOR + "openid_relying_party/public/": {}}
OIDCFED_PROVIDER_SALT = "local-test-federation"
HTTPC_PARAMS = {"connection": {"ssl": False}, "session": {"timeout": aiohttp.ClientTimeout(total=4)}}
FEDERATION_DEFAULT_METADATA_POLICY = {
    "openid_relying_party": {"grant_types": {"subset_of": ["authorization_code", "refresh_token"]}},
    "openid_provider": {},
    "federation_entity": {},
}
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "spid_cie_oidc": {"handlers": ["console"], "level": os.environ.get("FEDERATION_LOG", "WARNING")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
# Cookies ignore ports: on 127.0.0.1 the provider must not overwrite OpenMandato's session and CSRF cookies.
SESSION_COOKIE_NAME = "federation_sessionid"
CSRF_COOKIE_NAME = "federation_csrftoken"
