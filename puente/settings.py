"""Puente settings: every value comes from the environment, with safe production defaults.

This is the only module that reads the environment. Development conveniences apply only
when DEBUG is set; production refuses to start without a SECRET_KEY.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Literal

import dj_database_url
import django_stubs_ext
import xstatic.pkg.leaflet
from celery.schedules import crontab  # type: ignore[import-untyped]  # celery ships no types
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_rate(name: str, default: str) -> str:
    """Read a request rate such as 600/min (DRF's form: a count, then s, m, h or d)."""
    value = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", value):
        raise ImproperlyConfigured(
            f"{name} must be a request rate such as 600/min (per s, min, hour or day)."
        )
    return value


DEBUG = _env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for local development."
        )
    SECRET_KEY = "development-only-key-never-used-in-production-" + "x" * 20

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "django_countries",
    "bootstrap",
    "puente.core",
    "puente.accounts",
    "puente.notifications",
    "puente.stakeholders",
    "puente.partnerships",
    "puente.dialogues",
    "puente.agenda",
    "puente.initiatives",
    "puente.api",
    # Last: it indexes every other app's content.
    "puente.search",
]

MIDDLEWARE = [
    # First: the vote path adds itself what the middleware below would add to its answer
    # (their cost was a quarter of it); any other request goes on down the chain.
    "puente.api.fast_votes.FastVoteMiddleware",
    "puente.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "puente.core.middleware.PrivacyHeadersMiddleware",
    "puente.accounts.middleware.PreferencesMiddleware",
    "puente.accounts.middleware.StaffMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "puente.urls"
WSGI_APPLICATION = "puente.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "puente" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "puente.core.context_processors.site",
                "puente.notifications.context_processors.notifications",
            ],
        },
    },
]

# Storage: an SQLite file by default, PostgreSQL (or any dj-database-url URL) when set.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# The ORM binds its parameters on the client and is never prepared; the few statements of
# the hot paths (core.rows.planned_once_cursor) are, after a connection has run them twice.
# A pooler in transaction mode older than PgBouncer 1.21 needs this off.
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") == "1"
):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, sessions and rate limits: local memory by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "puente"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

# django-allauth: e-mail as the login, mandatory verification, no enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "manage_email": "10/m/user",
}
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Puente] "
ACCOUNT_ADAPTER = "puente.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Puente"

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Puente <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's public address: links in mail start with it, never with a request's Host header
# (mail is sent in the background, and a forged Host must not reach an inbox). puente.E001
# checks it is an absolute http(s) address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

# Languages: English source, complete Spanish, Portuguese (European and Brazilian: two
# catalogues) and French translations. LocaleMiddleware gives pt-BR browsers "pt-br" and pt-PT
# or plain pt browsers "pt". The menu shows each name translated into that language itself.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese (Portugal)")),
    ("pt-br", _("Portuguese (Brazil)")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "puente" / "locale"]
LANGUAGE_COOKIE_NAME = "puente_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE: Literal["Lax"] = "Lax"
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet from its PyPI package, served as this site's own files under /static/leaflet/.
STATICFILES_DIRS = [("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside DEBUG, static files are served from STATIC_ROOT after collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MIMETYPES = {".geojson": "application/geo+json"}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# HTTPS: on by default outside DEBUG; HTTPS=0 only for plain-HTTP test servers.
HTTPS = _env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Load balancers probe the app server over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if _env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Client addresses for rate limits: how many proxies of ours append to X-Forwarded-For.
# puente.core.http.client_address reads it; allauth and DRF get the same number.
try:
    TRUSTED_PROXY_COUNT = int(
        os.environ.get("TRUSTED_PROXY_COUNT", "") or (1 if _env_bool("BEHIND_PROXY", False) else 0)
    )
except ValueError:
    TRUSTED_PROXY_COUNT = -1
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be a whole number: the proxies in front of Puente (0 for none)."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_ADAPTER = "puente.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "puente.accounts.forms.SignupForm"}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Under /api/ a failed CSRF check answers in the API's JSON error format.
CSRF_FAILURE_VIEW = "puente.api.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"

# Browser policies (django-csp and puente.core.middleware.PrivacyHeadersMiddleware): scripts
# and styles only from files of this site, never inline; pages keep the CSRF token in the
# page (hx-headers on <body>), so no script needs to read the CSRF cookie.
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The nonce is sent only on pages that use it: the self-contained 500 page.
        "style-src": ["'self'", NONCE],
        # Bootstrap draws form controls with data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), serial=(), hid=(), "
    "xr-spatial-tracking=()"
)
# Responses to a signed-in person, and account pages, are never stored by browsers or proxies.
PRIVATE_PATH_PREFIXES = ("/accounts/", "/me/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "puente.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "puente.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "puente.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "puente.api.renderers.PolicyAwareBrowsableAPIRenderer",
    ],
    # A general limit per client address (anonymous) and per person, kept in the cache
    # (Redis in the scale-out mode, so every process counts together).
    "DEFAULT_THROTTLE_CLASSES": [
        "puente.api.throttles.AnonThrottle",
        "puente.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _env_rate("API_RATE_ANONYMOUS", "600/min"),
        "user": _env_rate("API_RATE_PERSON", "1200/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Malformed JSON (too deep, NaN, numbers out of range, invalid text) answers 400, never 500;
# form bodies stay accepted as before.
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "puente.api.parsers.StrictJSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
# Every operation documents the errors it can give (schemathesis holds the API to it).
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "puente.api.schema.AutoSchema"
# API tokens (django-rest-knox): stored hashed, sent as "Authorization: Token <key>", expiring
# after API_TOKEN_TTL_DAYS, revoked on password and two-factor changes.
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))
if API_TOKEN_TTL_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_TTL_DAYS must be a whole number of days, at least 1.")
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Puente API",
    "DESCRIPTION": "Organisations, partnerships and memberships of the Puente platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "puente.api.schema.throttled_responses",
        "puente.api.schema.language_path_enum",
        "puente.api.schema.text_without_nul",
    ],
    # One name each for vote and comparison choices, the agenda version's status and the site's
    # language codes (whichever field, language or languages, uses them); the membership status
    # keeps the name it had before agenda versions had a status too.
    "ENUM_NAME_OVERRIDES": {
        "AgendaVersionStatusEnum": "puente.agenda.models.AgendaVersion.Status",
        "StatusEnum": "puente.stakeholders.models.Membership.Status",
        "LanguageCodeEnum": [code for code, _name in LANGUAGES],
        "VoteChoiceEnum": "puente.dialogues.models.Vote.Choice",
        "ComparisonChoiceEnum": "puente.dialogues.models.Comparison.Choice",
        # The names these had before initiatives brought other kinds, roles and visibilities.
        "KindEnum": "puente.dialogues.models.Statement.Kind",
        "SearchKindEnum": "puente.search.models.Kind",
        "NotificationKindEnum": "puente.notifications.models.Kind",
        "NotificationFrequencyEnum": "puente.notifications.models.Preference.Frequency",
        "RoleEnum": "puente.stakeholders.models.Membership.Role",
        "VisibilityEnum": "puente.partnerships.models.Partnership.Visibility",
        # Initiatives: IATI codes and the app's own choices, one name each.
        "ActivityStatusEnum": "puente.initiatives.models.ActivityStatus",
        "InitiativeVisibilityEnum": "puente.initiatives.models.Visibility",
        "OrganisationRoleEnum": "puente.initiatives.models.OrganisationRole",
        "TransactionTypeEnum": "puente.initiatives.models.TransactionType",
        "BudgetTypeEnum": "puente.initiatives.models.BudgetType",
        "BudgetStatusEnum": "puente.initiatives.models.BudgetStatus",
        "ResultTypeEnum": "puente.initiatives.models.ResultType",
        "IndicatorMeasureEnum": "puente.initiatives.models.IndicatorMeasure",
        "DocumentCategoryEnum": "puente.initiatives.models.DocumentCategory",
        "MilestoneStatusEnum": "puente.initiatives.models.Milestone.Status",
        "PlaceKindEnum": "puente.initiatives.models.Place.Kind",
        "PledgeKindEnum": "puente.initiatives.models.Pledge.Kind",
        "PledgeStatusEnum": "puente.initiatives.models.Pledge.Status",
    },
}

# Structured logs: one JSON object a line, each with the request id.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "puente.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "puente.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}

PUENTE_LOGO_MAX_BYTES = 1_048_576
# Logos: refused above this many pixels (read from the header, before decoding); stored
# re-encoded as PNG no larger than this many pixels a side.
PUENTE_LOGO_MAX_PIXELS = 25_000_000
PUENTE_LOGO_MAX_SIDE = 1024
PUENTE_DIRECTORY_PAGE_SIZE = 20

# Background work (results of dialogues): "thread" runs it in each process's own background
# thread (the embedded mode: `make run` starts nothing else); "celery" sends it to Celery
# workers over Redis (`make worker`; needs REDIS_URL). Tests run it at once (BACKGROUND_EAGER).
BACKGROUND_WORKER = os.environ.get("BACKGROUND_WORKER", "thread").strip().lower() or "thread"
if BACKGROUND_WORKER not in {"thread", "celery"}:
    raise ImproperlyConfigured("BACKGROUND_WORKER must be thread or celery.")
if BACKGROUND_WORKER == "celery" and not REDIS_URL:
    raise ImproperlyConfigured("BACKGROUND_WORKER=celery needs REDIS_URL (the Celery broker).")
BACKGROUND_EAGER = _env_bool("BACKGROUND_EAGER", False)
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
# Celery beat (scale-out mode, `make beat`): the notification digests and the retries of
# mail that failed. The embedded mode runs `manage.py notifications_send_digests` from cron.
CELERY_BEAT_SCHEDULE = {
    "notifications-daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=6),
        "args": ["daily"],
    },
    "notifications-weekly-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=30, hour=6, day_of_week="mon"),
        "args": ["weekly"],
    },
    "notifications-mail-retry": {
        "task": "notifications.mail_retry",
        "schedule": crontab(minute="*/10"),
    },
}
# Votes within this many seconds lead to one recomputation of a dialogue's results.
try:
    RESULTS_DEBOUNCE_SECONDS = float(os.environ.get("RESULTS_DEBOUNCE_SECONDS", "5"))
    RESULTS_SNAPSHOTS_KEPT = int(os.environ.get("RESULTS_SNAPSHOTS_KEPT", "5"))
except ValueError as error:
    raise ImproperlyConfigured(
        "RESULTS_DEBOUNCE_SECONDS must be a number of seconds, RESULTS_SNAPSHOTS_KEPT a count."
    ) from error
if RESULTS_DEBOUNCE_SECONDS < 0 or RESULTS_SNAPSHOTS_KEPT < 1:
    raise ImproperlyConfigured(
        "RESULTS_DEBOUNCE_SECONDS must be 0 or more and RESULTS_SNAPSHOTS_KEPT at least 1."
    )
