"""Django settings, read from environment variables with safe local defaults.

DATABASE_URL   default: SQLite under var/ (PostgreSQL in production, through psycopg 3)
SECRET_KEY     default: generated once and kept in var/secret_key
DEBUG          default: off
ALLOWED_HOSTS  default: localhost only (comma-separated list)
OPENMANDATO_VAR_DIR  where local state lives (default: var/ beside the package)
SQLITE_BUSY_TIMEOUT    seconds a SQLite writer waits for another one (default 20)
DATABASE_REPLICA_URL   optional streaming replica: anonymous GETs read from it (docs/deploy.md)
DATABASE_CONN_MAX_AGE  seconds a database connection is kept between requests (default 60; 0 closes it)
TASKS_BACKEND  default: the database queue (django_tasks_db.DatabaseBackend), run by `openmandato db_worker`
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from openmandato.env import (
    cache_from_environment,
    env_bool,
    env_choice,
    env_int,
    env_json_file,
    env_list,
    env_pairs,
    env_str,
)
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
        # Persistent connections (checked before reuse): no new connection per request.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=env_int("DATABASE_CONN_MAX_AGE", 60) > 0,
    )
}
# A streaming read replica for the public pages (docs/deploy.md): anonymous GETs read from it.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=env_int("DATABASE_CONN_MAX_AGE", 60) > 0,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["openmandato.ops.routing.ReplicaRouter"]
for _alias in DATABASES.values():
    # Behind PgBouncer in transaction pooling, server-side cursors (QuerySet.iterator) would break.
    _alias["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("PGBOUNCER_TRANSACTION_POOLING", False)
_default_db = DATABASES["default"]
if _default_db["ENGINE"].endswith("sqlite3"):
    # Several processes write one file (gunicorn's workers, the task worker): in WAL mode readers go on
    # while one writes, and IMMEDIATE transactions take the write lock when they begin, so a second
    # writer waits (up to the timeout) instead of failing at once with "database is locked".
    _default_db.setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=env_int("SQLITE_BUSY_TIMEOUT", 20),
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
if _default_db["ENGINE"].endswith("sqlite3") and _default_db["NAME"] != ":memory:":
    # A file, not memory, for the test database too: the test's task worker is a separate process.
    _db_file = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_db_file.with_name(f"test_{_db_file.name}"))}
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
    "openmandato.core",
    "openmandato.programs",
    "openmandato.importer",
    "openmandato.accountability",
    "openmandato.portal",
    "openmandato.search",
    "openmandato.demo",
    "openmandato.api",
    "openmandato.reports",
    "openmandato.participation",
    "openmandato.security",
    "openmandato.ops",
    "openmandato.backup",
    "openmandato.citizens",
    "openmandato.notifications",
    "openmandato.spid",
    "allauth",
    "allauth.account",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "openmandato.ops.routing.PublicReadsMiddleware",
    "openmandato.security.clientip.ClientIpMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "openmandato.security.headers.ContentSecurityPolicyMiddleware",
    "openmandato.security.odd_input.OddInputMiddleware",
    "openmandato.security.odd_input.ApiJsonErrorsMiddleware",
    "openmandato.security.throttle.FailureThrottleMiddleware",
    "openmandato.api.middleware.ApiCachingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "openmandato.portal.caching.SharedPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "openmandato.portal.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "openmandato.spid.middleware.RequireStrongStaffSignIn",
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

# Citizens' accounts (django-allauth, under /area-personale/): sign-up by e-mail, verified before the
# first sign-in; staff keep their own login at /accounts/login/.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "openmandato.citizens.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "openmandato.citizens.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OpenMandato] "
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Sign-ups per client address and per e-mail address per hour (counted in the shared cache).
SIGNUP_LIMIT_PER_IP = env_int("SIGNUP_LIMIT_PER_IP", 10)
SIGNUP_LIMIT_PER_EMAIL = env_int("SIGNUP_LIMIT_PER_EMAIL", 3)
# The public address of the site, for links in e-mails written by the worker (no request there).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
# Anonymous public pages kept in the shared cache, keyed on their comune's change marker (0 turns it off).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
# Background work (notifications, e-mails, reports, import parsing) through Django's task interface
# (django-tasks, the backport of django.tasks) on the database queue; `openmandato db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
TASK_RETRY_SECONDS = env_int("TASK_RETRY_SECONDS", 30)  # doubled after each failed attempt
# Addresses (or networks) of our own reverse proxies: only their X-Forwarded-For/-Proto are believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
LOGIN_FAILURES_LIMIT = env_int("LOGIN_FAILURES_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
TOKEN_FAILURES_LIMIT = env_int("TOKEN_FAILURES_LIMIT", 10)
TOKEN_LOCKOUT_SECONDS = env_int("TOKEN_LOCKOUT_SECONDS", 15 * 60)
REPORT_RATE = env_str("REPORT_RATE", "10/m")
# Abuse limits on participation, per signed-in user and per client address (shared cache).
PARTICIPATION_RATE_USER = env_str(
    "PARTICIPATION_RATE_USER", "comment=10/h,support=60/h,proposal=5/d,contest=10/d,report=20/h"
)
PARTICIPATION_RATE_IP = env_str(
    "PARTICIPATION_RATE_IP", "comment=30/h,support=200/h,proposal=15/d,contest=30/d,report=60/h"
)

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

# SPID and CIE (OpenID Connect Federation, see docs/spid-cie.md). Off until configured: `make run` offers
# e-mail accounts only. LOGIN_METHODS: any of email, spid, cie.
LOGIN_METHODS = env_list("LOGIN_METHODS", ["email"])
SPID_RP_ENTITY_ID = env_str("SPID_RP_ENTITY_ID", SITE_URL + "/")
SPID_RP_ORGANIZATION = env_str("SPID_RP_ORGANIZATION", "OpenMandato")
SPID_RP_CONTACTS = env_list("SPID_RP_CONTACTS", [])
SPID_RP_STATEMENT_LIFETIME = env_int("SPID_RP_STATEMENT_LIFETIME", 86400)
SPID_KEYS_DIR = Path(env_str("SPID_KEYS_DIR", str(VAR_DIR / "spid-keys")))
SPID_PROVIDERS = env_pairs("SPID_PROVIDERS")  # "Name=https://op.example/,Other=https://..."
CIE_PROVIDERS = env_pairs("CIE_PROVIDERS")
OIDCFED_TRUST_ANCHORS = env_json_file("OIDCFED_TRUST_ANCHORS_FILE")  # {"https://ta/": {"keys": [...]}}
OIDCFED_AUTHORITY_HINTS = env_list("OIDCFED_AUTHORITY_HINTS", list(OIDCFED_TRUST_ANCHORS))
OIDCFED_REQUIRED_TRUST_MARKS = env_list("OIDCFED_REQUIRED_TRUST_MARKS", [])  # for providers
SPID_RP_TRUST_MARKS = env_json_file("SPID_RP_TRUST_MARKS_FILE", default=[])  # ours, from onboarding
OIDCFED_HTTP_TIMEOUT = env_int("OIDCFED_HTTP_TIMEOUT", 5)
OIDCFED_CHAIN_CACHE_SECONDS = env_int("OIDCFED_CHAIN_CACHE_SECONDS", 3600)  # providers' trust chains
OIDCFED_CLOCK_SKEW = env_int("OIDCFED_CLOCK_SKEW", 120)  # seconds of tolerance on iat/exp
# Level of assurance per action: email, L1, L2 or L3 (SPID levels; CIE gives L2 or L3).
LEVEL_OF_ASSURANCE = {
    "comment": env_choice("LOA_COMMENT", "email", ["email", "L1", "L2", "L3"]),
    "proposal": env_choice("LOA_PROPOSAL", "email", ["email", "L1", "L2", "L3"]),
    "contest": env_choice("LOA_CONTEST", "email", ["email", "L1", "L2", "L3"]),
    "support": env_choice("LOA_SUPPORT", "email", ["email", "L1", "L2", "L3"]),
    "staff": env_choice("LOA_STAFF", "email", ["email", "L1", "L2", "L3"]),
}
RESIDENTS_ONLY_PROPOSALS = env_bool("RESIDENTS_ONLY_PROPOSALS", False)
