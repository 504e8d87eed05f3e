"""Settings for the CAR T patient navigator.

One file, driven by the environment. DEBUG is off unless set, so a deployment
that forgets it never shows debug pages with health data; with DEBUG off,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL must be given, or start-up stops
with a message naming what is missing. Local development sets only DEBUG=True
and runs with a SQLite file in the project folder: `make` writes a git-ignored
`.env` holding DEBUG=True, read below for any variable the environment leaves
unset, so a bare `manage.py` works on a developer's machine too. A server sets
its variables in the environment and has no `.env` (NAVIGATOR_ENV_FILE names
another file; empty reads none). `.env.example` lists every variable read here.
"""

import os
import zoneinfo
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# The environment wins over the file (override=False).
ENV_FILE = os.environ.get("NAVIGATOR_ENV_FILE", str(BASE_DIR / ".env")).strip()
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}."
        ) from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    if value not in zoneinfo.available_timezones():
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as Europe/Paris, not {value!r}."
        )
    return value


DEBUG = env_bool("DEBUG", False)

_missing = [
    name
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
    if not DEBUG and not env_str(name)
]
if _missing:
    raise ImproperlyConfigured(
        "DEBUG is off, so these environment variables must be set: "
        + ", ".join(_missing)
        + ". See .env.example. For local use, set DEBUG=True (`make run` does)."
    )

SECRET_KEY = env_str("SECRET_KEY") or "local-development-only-not-secret"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's public address, for links in emails (e.g. https://navigator.example.org).
SITE_URL = env_str("SITE_URL").rstrip("/")
# Who runs the site and how to reach them, for the About and Contact pages.
# Empty: the pages say "a small independent team" and give no address.
SITE_OPERATOR_NAME = env_str("SITE_OPERATOR_NAME")
SITE_CONTACT_EMAIL = env_str("SITE_CONTACT_EMAIL")

INSTALLED_APPS = [
    # Before the admin, so its TranslationAdmin and widgets take over.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's own widget templates, for FORM_RENDERER below.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "therapies",
    "intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go out gzipped (a results page is 72 KB of HTML, 10 KB gzipped);
    # WhiteNoise, above, serves static files compressed ahead of time. Django
    # pads each compressed response against BREACH, and masks the CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (the CSRF check): no uploads but the admin's.
    "intake.guards.NoUploadsMiddleware",
    "intake.guards.NoRobotsOnPatientPagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "navigator.second_factor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "intake.middleware.SessionLimitMiddleware",
    # After the session limits: a coordinator signed out there gets no zone.
    "intake.review.timezones.CoordinatorTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "navigator.urls"
WSGI_APPLICATION = "navigator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
_database_url = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'navigator.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write drafts at once: wait for the lock, and use
    # WAL so readers never block the writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # PostgreSQL: parameters bound by the server, and a statement run five
    # times on a connection is prepared, so PostgreSQL stops planning it again
    # (the signed-in user with their review permission took 1.8 ms of
    # planning for 0.1 ms of running). Django turns this off by default for
    # connection poolers in transaction mode (PgBouncer): behind one, set
    # DATABASE_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The queue's indexes carry the columns a queue row shows (INCLUDE, see
# intake/models.py), which only PostgreSQL, the production database, has; on
# SQLite, the embedded default, they are plain indexes, as the warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the review permission read along with the user.
    "intake.backends.CoordinatorAwareBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
# LogoutView then renders registration/logged_out.html.
LOGOUT_REDIRECT_URL = None
# Second factor (django-otp): coordinators and staff confirm a code from an
# authenticator app before any coordinator or admin page (navigator.second_factor).
OTP_LOGIN_URL = "second_factor:verify"
OTP_TOTP_ISSUER = "CAR T Navigator"
# The admin lists people's devices (to remove a lost one) without their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Language: English by default; Spanish and Simplified Chinese under /es/ and /zh-hans/.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True

# Catalog content in several languages (therapies/translation.py): English is
# the source every row must have; a missing translation falls back to it and
# the page says so.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_REQUIRED_LANGUAGES = ("en",)
# The coordinators' workspace (its pages and the CSV export's words) is in this
# language, unless a coordinator chose their own on their preferences page. Its
# pages have no language prefix, so without it they would always be in English.
COORDINATOR_LANGUAGE = env_str("COORDINATOR_LANGUAGE", LANGUAGE_CODE)
if COORDINATOR_LANGUAGE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        "COORDINATOR_LANGUAGE must be one of "
        + ", ".join(dict(LANGUAGES))
        + f", not {COORDINATOR_LANGUAGE!r}."
    )
TIME_ZONE = "UTC"
USE_TZ = True
# The coordinators' workspace shows times (pages and the CSV export) in this
# zone, unless a coordinator chose their own on the "Time zone" page. Dates
# are stored in UTC whatever it is.
COORDINATOR_TIME_ZONE = env_time_zone("COORDINATOR_TIME_ZONE", "UTC")
# Response-time targets for a first contact, shown on every queue row as
# "on time", "due soon" (the last quarter of the time) or "overdue".
RESPONSE_TARGET_URGENT_HOURS = env_int("RESPONSE_TARGET_URGENT_HOURS", 4)
RESPONSE_TARGET_OTHER_DAYS = env_int("RESPONSE_TARGET_OTHER_DAYS", 3)

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The default cache holds what every app server must share (the rate limits'
# counters, the queue's counts): Redis when REDIS_URL is set
# (redis://127.0.0.1:6379/0), else this process's memory, which is right for
# one process only (each gunicorn worker would count on its own).
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs must not hang patients' requests.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Rendered results pages, keyed by everything they show. They hold health
    # data, so they stay in this process's memory (never a shared cache) and
    # only for minutes; a deleted submission's copy can no longer be reached.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# Django's database sessions: coordinators' sign-ins live in the database,
# backed up and restored with everything else.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Signed-in sessions end after 30 minutes idle or 12 hours in all (see
# intake/middleware.py for why); the cookie never outlives the absolute limit.
SESSION_IDLE_LIMIT = 30 * 60
SESSION_ABSOLUTE_LIMIT = 12 * 60 * 60
# The coordinators' pages warn this long before the idle sign-out, with a
# "Stay signed in" button (static/js/idle-warning.js).
SESSION_IDLE_WARNING = 2 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIMIT

# Widgets render through TEMPLATES like every page, so a widget can name a
# template in templates/ (intake.widgets).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. Patient pages load nothing from third parties.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# The origin only, never a path: a patient's page's URL holds their resume
# token, and same-origin requests (static files) would carry it into access
# logs. Not "no-referrer": browsers then send `Origin: null` with POSTs, which
# fails Django's CSRF check over HTTPS.
SECURE_REFERRER_POLICY = "strict-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Upload limits: intake forms are small; refuse anything big early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Proxies whose X-Forwarded-For is believed (addresses or networks, e.g.
# 127.0.0.1,10.0.0.0/8); no header is trusted from any other peer. The client's
# address is read in one place, intake.audit.client_ip: audit records, axes
# and the rate limits all use it.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Login throttling: five failures from one address lock that address out for
# an hour. By address alone, so nobody can lock a named coordinator out from
# elsewhere by typing their username.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "intake.audit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "CAR T Navigator <navigator@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
COORDINATOR_ALERT_EMAIL = env_str("COORDINATOR_ALERT_EMAIL")
# A patient's request never waits long on a mail server.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Background work (emails): Django's tasks framework, backed by the database
# (`manage.py db_worker` runs them; `make run` starts one). The patient's
# request only writes a task row, so it never waits on a mail server.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A failed email is tried again after 1, 2, 4, ... minutes (at most
# EMAIL_RETRY_MAX_DELAY); after EMAIL_ATTEMPTS failures coordinators see it on
# the queue page. An urgent alert keeps being tried until it goes out; a
# patient's link email is then given up and its address forgotten.
EMAIL_ATTEMPTS = env_int("EMAIL_ATTEMPTS", 5)
EMAIL_RETRY_MAX_DELAY = env_int("EMAIL_RETRY_MAX_DELAY", 15 * 60)

# Retention, applied by `manage.py purge` (run daily):
# - unfinished drafts nobody touched for DRAFT_RETENTION_DAYS are deleted
#   (patients are told so where their link is shown);
# - a private link stops working after RESUME_LINK_IDLE_DAYS without a change
#   to its answers or request, and a submission nobody can reach any more
#   (no contact request) is then deleted;
# - a request coordinators closed (or marked as spam) is deleted
#   CLOSED_RETENTION_DAYS after its last change, and audit records of deleted
#   submissions lose their address after that time too.
# Catalog releases (therapies/releases.py): by default nobody publishes a
# release holding their own edits; a one-person deployment may allow it, and
# each such release says so.
CATALOG_ALLOW_PUBLISHING_OWN_EDITS = env_bool(
    "CATALOG_ALLOW_PUBLISHING_OWN_EDITS", False
)

DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 30)
RESUME_LINK_IDLE_DAYS = env_int("RESUME_LINK_IDLE_DAYS", 365)
CLOSED_RETENTION_DAYS = env_int("CLOSED_RETENTION_DAYS", 365)

# Abuse limits for anonymous POSTs, per client address and hour
# (intake/limits.py); counted in the default cache, so shared by every app
# server when REDIS_URL is set.
RATE_LIMIT_STARTS_PER_HOUR = env_int("RATE_LIMIT_STARTS_PER_HOUR", 20)
RATE_LIMIT_CONTACTS_PER_HOUR = env_int("RATE_LIMIT_CONTACTS_PER_HOUR", 5)
RATE_LIMIT_LINK_EMAILS_PER_HOUR = env_int("RATE_LIMIT_LINK_EMAILS_PER_HOUR", 10)
# A contact request sent sooner than this after its form was shown is a robot's.
CONTACT_MIN_FILL_SECONDS = env_int("CONTACT_MIN_FILL_SECONDS", 3)
SILENCED_SYSTEM_CHECKS += [
    # django-ratelimit lists only third-party Redis backends; Django's own
    # RedisCache increments atomically as well.
    "django_ratelimit.W001",
]
if not REDIS_URL:
    # Per-process counters: right for one process (local use, tests); a
    # deployment with several workers or servers sets REDIS_URL (README).
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]

# Logs carry request lines and errors, never form bodies: the intake views are
# wrapped in sensitive_post_parameters and nothing here logs request data.
# Every handler redacts resume tokens (/i/<token>/) from every record: request
# lines, "Bad Request: …" and "Not Found: …" would otherwise carry them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "intake.logging.RedactTokensFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint (the referral summary's PDF) logs each rendering step.
        "weasyprint": {"level": "WARNING"},
        # Django's own handlers for these (django.utils.log.DEFAULT_LOGGING)
        # lack the filter: replaced by none, their records go to the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
