"""Settings for Kræftplan-tracker.

One settings module; production differs only by environment variables. Every
variable is read through a helper that fails loudly on a bad value, and the
defaults give the embedded set-up: SQLite, Redis on localhost, mail to a local
SMTP server.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envints(name: str, default: str) -> list[int]:
    try:
        return [int(item) for item in envlist(name, default)]
    except ValueError:
        value = os.environ.get(name, default)
        raise ImproperlyConfigured(f"{name} must be whole numbers, not {value!r}") from None


DEBUG = envbool("DEBUG", "1")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    # Two-factor login: TOTP apps and recovery codes (common/twofactor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "agreements",
    "tracker",
    "meetings",
    "overview",
    "publication",
    "operations",
    "ninja",  # the API's documentation page and its static files
]

MIDDLEWARE = [
    # First, so that its duration is the whole request's and every record has the request id.
    "common.logs.RequestLog",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An address holding a NUL, a control character or a number no column holds is a 400.
    "common.query.RefuseBadAddresses",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "common.twofactor.RequireTwoFactor",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and locks out guessing (django-axes) before the real check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password login (the admin's form), which PASSWORD_LOGIN=0 turns off when single sign-on
# is set up. With REQUIRE_2FA the secretariat and superusers need a second factor (TOTP).
PASSWORD_LOGIN = envbool("PASSWORD_LOGIN", "1")
REQUIRE_2FA = envbool("REQUIRE_2FA", "0" if DEBUG else "1")
OTP_TOTP_ISSUER = "Kræftplan-tracker"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60  # hours
# Lock the user name tried from that address, so a guesser cannot lock out a colleague
# elsewhere...
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and lock the address itself after more failures over any user names, so it cannot
# try a few passwords against each of many names (axes has one limit for every parameter).
AXES_HANDLER = "common.logins.LoginThrottle"
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", "20")
# The number of reverse proxies in front of the web server, each appending to
# X-Forwarded-For. With none the header is ignored, so a client cannot choose its address.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "common.logins.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# Single sign-on by OpenID Connect (operations/sso.py), when OIDC_ISSUER is set.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
if OIDC_ISSUER:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("operations.sso.Backend")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("common.twofactor.RequireTwoFactor"), "operations.sso.SessionRefresh"
    )
    OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    if not OIDC_RP_CLIENT_ID or not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured(
            "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set with OIDC_ISSUER"
        )
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "organisationens konto")
    OIDC_RP_SCOPES = " ".join(envlist("OIDC_SCOPES", "openid,email,profile"))
    OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
    OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
    OIDC_ROLE_GROUPS = os.environ.get("OIDC_ROLE_GROUPS", "")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = envint("OIDC_SESSION_REFRESH_SECONDS", "900")
    OIDC_AUTHENTICATE_CLASS = "operations.sso.Authenticate"
    OIDC_CALLBACK_CLASS = "operations.sso.Callback"
    # The health check, the public pages and the personal answer pages need no login.
    OIDC_EXEMPT_URLS = ["/health/"]
    LOGIN_REDIRECT_URL = "/admin/"
    LOGIN_REDIRECT_URL_FAILURE = "/admin/login/?sso=fejl"

# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Production: HTTPS only. `DEBUG=0 python manage.py check --deploy` gives no warnings.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A load balancer's health check may ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if envbool("BEHIND_HTTPS_PROXY", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content-Security-Policy: only our own scripts, styles and images; an inline
# <style> needs the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The history is an audit: it can be read, never reverted.
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
            # Texts and links from the record shown without hidden characters.
            "libraries": {"shown": "common.templatefilters"},
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the embedded database:
    # wait for a lock instead of failing at once.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["timeout"] = 20
    # Write-ahead logging: the web keeps reading while the worker writes, and a commit
    # appends to the log instead of copying every page it changes to a rollback journal
    # (the reminder run rewrites thousands of outbox rows).
    options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    # The test database is a file, so that a Celery worker started by a test
    # (another process) sees the same data; one per test process, so that two test runs
    # at the same time (two checkouts' loops, an editor's test runner) do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")
    }
    (BASE_DIR / "var").mkdir(exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Evidence files live outside the web root and are served only through a view
# that checks who may see the obligation.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "uploads"))
MEDIA_URL = "/bilag/"
# The largest agreement text (upload page) or obligation file (import_obligations) read.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(10 * 1_000_000))
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", str(10 * 1_000_000))
# Every upload is counted as it arrives and not kept past the larger of the two limits.
FILE_UPLOAD_HANDLERS = [
    "common.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Larger request bodies are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1_000_000))

LOGIN_URL = "admin:login"

# Mail. The embedded default is an SMTP server on localhost; tests start a real one.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "1025")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kræftplan-tracker <noreply@example.org>")

# Celery, with Redis as broker.
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task that is not acknowledged within this time is given to another
    # worker. It must be longer than the longest reminder run.
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "3600"),
}

# Reminders (tracker/reminders/policy.py): before a window's end, on the day, then
# weekly while overdue; after REMINDER_ESCALATE_AFTER_DAYS the lead party's
# coordinators and the Taskforce secretariat are told too.
REMINDER_DAYS_BEFORE = envints("REMINDER_DAYS_BEFORE", "30,14,3")
# Overdue reminders come weekly on this weekday (0 = Monday), the same for every
# obligation: an owner gets one weekly digest, not one on each weekday a deadline fell on.
REMINDER_OVERDUE_WEEKDAY = envint("REMINDER_OVERDUE_WEEKDAY", "0")
if not 0 <= REMINDER_OVERDUE_WEEKDAY <= 6:
    raise ImproperlyConfigured("REMINDER_OVERDUE_WEEKDAY must be 0 (Monday) to 6 (Sunday)")
REMINDER_ESCALATE_AFTER_DAYS = envint("REMINDER_ESCALATE_AFTER_DAYS", "14")
TASKFORCE_SECRETARIAT_EMAILS = envlist(
    "TASKFORCE_SECRETARIAT_EMAILS", "taskforce-sekretariat@example.org"
)
# The daily job plans and sends; a delivery every few minutes retries failures.
REMINDER_HOUR = envint("REMINDER_HOUR", "7")
REMINDER_MINUTE = envint("REMINDER_MINUTE", "0")
REMINDER_DELIVERY_EVERY_MINUTES = envint("REMINDER_DELIVERY_EVERY_MINUTES", "5")
# A reminder claimed longer ago than this is taken to be left by a dead worker
# and is sent again. It must be longer than one digest can take to send (a few
# times EMAIL_TIMEOUT), or a slow but living worker's mail is sent twice.
REMINDER_SENDING_TIMEOUT = envint("REMINDER_SENDING_TIMEOUT", "600")
# Failed deliveries wait REMINDER_RETRY_BASE seconds, doubling up to
# REMINDER_RETRY_MAX; after REMINDER_MAX_ATTEMPTS the reminder is failed.
REMINDER_RETRY_BASE = envint("REMINDER_RETRY_BASE", "300")
REMINDER_RETRY_MAX = envint("REMINDER_RETRY_MAX", "21600")
REMINDER_MAX_ATTEMPTS = envint("REMINDER_MAX_ATTEMPTS", "8")
# A digest lists at most this many obligations per group and says how many more.
REMINDER_DIGEST_MAX_ITEMS = envint("REMINDER_DIGEST_MAX_ITEMS", "50")
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "tracker.tasks.send_reminders",
        "schedule": crontab(hour=REMINDER_HOUR, minute=REMINDER_MINUTE),
    },
    "deliver-reminders": {
        "task": "tracker.tasks.deliver_reminders",
        "schedule": crontab(minute=f"*/{REMINDER_DELIVERY_EVERY_MINUTES}"),
        # While no worker runs, beat's messages pile up; one is enough.
        "options": {"expires": REMINDER_DELIVERY_EVERY_MINUTES * 60},
    },
}

# /health/ (operations/health.py): open to anyone unless a token is set, then asked for as
# `Authorization: Bearer <token>`; a worker's answer to a ping counts this many seconds; the
# daily job counts as late this many seconds after it was due.
HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")
HEALTH_WORKER_WITHIN = envint("HEALTH_WORKER_WITHIN", "300")
HEALTH_BEAT_GRACE = envint("HEALTH_BEAT_GRACE", "3600")

# Logs go to standard error, as text or as JSON lines (LOG_FORMAT=json: with the request's
# id, user and duration, or the Celery task's id; common/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
# The worker keeps these handlers instead of putting its own on the root logger.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler masks the token of a status round's personal link (/svar/<token>/),
    # which Django logs with the path of a refused request.
    "filters": {"hide_personal_links": {"()": "common.logs.HidePersonalLinks"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "common.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["hide_personal_links"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers for these print the path unmasked: ours replace them.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint logs every page it lays out at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes logs every successful login's reset at INFO.
        "axes": {"level": "WARNING"},
        # One line a request; as text, runserver's and gunicorn's access logs say it already.
        "tracker.requests": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

# Errors to Sentry (or a server that speaks its protocol) when SENTRY_DSN is set: from
# Django and Celery, with beat's tasks as cron monitors; no personal data, no personal links.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from common.logs import scrub_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        integrations=[DjangoIntegration(), CeleryIntegration(monitor_beat_tasks=True)],
        send_default_pii=False,
        before_send=scrub_event,
        traces_sample_rate=0,
    )
