"""Django settings, read from environment variables with safe local defaults.

DATABASE_URL   default: SQLite under var/ (PostgreSQL in production, through psycopg 3)
SECRET_KEY     default: generated once and kept in var/secret_key
DEBUG          default: off
ALLOWED_HOSTS  default: localhost only (comma-separated list)
OPENMANDATO_VAR_DIR  where local state lives (default: var/ beside the package)
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from openmandato.env import cache_from_environment, env_bool, env_int, env_list, env_str
from openmandato.secret import load_or_create_secret_key
from openmandato.security.headers import DEFAULT_POLICY

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("OPENMANDATO_VAR_DIR", str(PACKAGE_DIR.parent / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or load_or_create_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'openmandato.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=env_int("DATABASE_CONN_MAX_AGE", 0) > 0,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.syndication",
    "openmandato.programs",
    "openmandato.importer",
    "openmandato.accountability",
    "openmandato.portal",
    "openmandato.demo",
    "openmandato.api",
    "openmandato.reports",
    "openmandato.security",
    "ninja",
]

MIDDLEWARE = [
    "openmandato.security.clientip.ClientIpMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "openmandato.security.headers.ContentSecurityPolicyMiddleware",
    "openmandato.security.odd_input.OddInputMiddleware",
    "openmandato.security.odd_input.ApiJsonErrorsMiddleware",
    "openmandato.security.throttle.FailureThrottleMiddleware",
    "openmandato.api.middleware.ApiCachingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "openmandato.portal.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "openmandato.urls"
WSGI_APPLICATION = "openmandato.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Rome")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 10) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Bodies larger than this are refused on their Content-Length, before anything reads them (the largest
# upload is a 20 MB program document).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_MB", 21) * 1024 * 1024
IMPORT_MAX_PAGES = env_int("IMPORT_MAX_PAGES", 300)
IMPORT_MAX_UNZIPPED_MB = env_int("IMPORT_MAX_UNZIPPED_MB", 30)
IMPORT_MAX_ACTIONS = env_int("IMPORT_MAX_ACTIONS", 3000)
IMPORT_MAX_SECONDS = env_int("IMPORT_MAX_SECONDS", 60)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "backoffice:my_actions"
LOGOUT_REDIRECT_URL = "portal:home"
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 90)

# E-mail (password reset, staff invitations). Without EMAIL_HOST a development server prints them.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and "EMAIL_HOST" not in os.environ
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OpenMandato <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_DAYS", 3) * 24 * 3600  # reset and invitation links
API_RATE_ANON = env_str("API_RATE_ANON", "120/m")
API_RATE_TOKEN = env_str("API_RATE_TOKEN", "600/m")
CACHES = {"default": cache_from_environment(VAR_DIR)}
# Addresses (or networks) of our own reverse proxies: only their X-Forwarded-For/-Proto are believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
LOGIN_FAILURES_LIMIT = env_int("LOGIN_FAILURES_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
TOKEN_FAILURES_LIMIT = env_int("TOKEN_FAILURES_LIMIT", 10)
TOKEN_LOCKOUT_SECONDS = env_int("TOKEN_LOCKOUT_SECONDS", 15 * 60)
REPORT_RATE = env_str("REPORT_RATE", "10/m")

HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", DEFAULT_POLICY)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"outage": {"()": "openmandato.security.logging.OutageOneLiner"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["outage"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Transparency log (docs/ledger.md): the Ed25519 key that signs checkpoints (generated on first use,
# outside the repository), the name it signs with, an optional RFC 3161 TSA (off by default) with the
# CA certificates to trust, and the witnesses' verifier keys (comma-separated) allowed to cosign.
TLOG_KEY_FILE = Path(env_str("TLOG_KEY_FILE", str(VAR_DIR / "tlog" / "checkpoint-ed25519.pem")))
TLOG_NAME = env_str("TLOG_NAME", "openmandato.localhost")
TSA_URL = env_str("TSA_URL", "")
TSA_CA_FILE = env_str("TSA_CA_FILE", "")
TLOG_WITNESSES = env_list("TLOG_WITNESSES", [])
