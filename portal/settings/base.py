"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; absent in CI and production

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "portal",
    "campaigns",
    "complaints",
    "outages",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.NormaliseInputMiddleware",
    "portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the Celery worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.throttle.AddressThrottleBackend",  # password spraying: failures per address, any user name
    # Django's model backend for people only: system accounts are refused at sign-in and in any session.
    "portal.auth_backends.HumanOnlyModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock an account+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Beside it, failures from one address across all user names (portal/throttle.py), within AXES_COOLOFF_TIME.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Debug and test runs serve static files straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
# Uploads and generated reports live outside the web root and are served only through views
# that check the record's visibility.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# An import whose last chunk is older than this is taken as abandoned by a dead worker and may resume.
IMPORT_STALL_SECONDS = env.int("IMPORT_STALL_SECONDS", default=120)
# Rows an import writes in one transaction (as many as one bulk API call takes); a crash resumes after the
# last committed chunk, and each chunk is one step of the progress shown.
IMPORT_CHUNK_ROWS = env.int("IMPORT_CHUNK_ROWS", default=1000)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp): scripts only from our own static files, never inline.
# Inline *style attributes* stay allowed (progress bars, chart containers); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a bad token answers 401 with WWW-Authenticate, as API clients expect.
        "portal.auth_backends.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bounded in size and depth and normalised before any view sees it (portal/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.BoundedJSONParser",
        "portal.api.parsers.NormalisedFormParser",
        "portal.api.parsers.NormalisedMultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["portal.api.filters.PortalFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "居民用电服务质量监管平台 API",
    "DESCRIPTION": "REST API of the power-service supervision portal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field names ("kind", "status") other apps use too: named, not hashed.
    "ENUM_NAME_OVERRIDES": {
        "ComplaintKindEnum": "complaints.choices.Kind",
        "ReportKindEnum": "reporting.choices.ReportKind",
        "ReportJobStatusEnum": "reporting.choices.JobStatus",
        "AppealOutcomeEnum": "complaints.choices.AppealOutcome",
        "LargeCustomerStatusEnum": "campaigns.large_customer_choices.LargeCustomerStatus",
    },
}

# Celery. The default broker is kombu's filesystem transport under var/, so a worker and beat
# run on a fresh machine with no server; production sets CELERY_BROKER_URL / REDIS_URL.
REDIS_URL = env("REDIS_URL", default="")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    for sub in ("queue", "processed", "control"):
        (CELERY_QUEUE_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),  # else kombu writes ./control
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None) or None
if REDIS_URL or CELERY_BROKER_URL.startswith("redis"):
    # A task whose worker died unacknowledged is redelivered after this long (acks_late).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Queues by what a person waits for: a requested report must not wait behind a thousand notification
# e-mails, nor behind an import of 100,000 rows. Each queue has workers of its own (docker-compose.yml,
# scripts/demo); `default` holds the sweeps and whatever is not routed.
CELERY_TASK_DEFAULT_QUEUE = "default"
# Where links in e-mails point (the digests name each record with its address), e.g. https://portal.example.gov.cn
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="")
# Declared, so that a worker started without --queues serves them all (one worker is enough anywhere).
CELERY_TASK_QUEUES = [Queue(name) for name in ("default", "mail", "reports", "bulk")]
CELERY_TASK_ROUTES = {
    "reporting.tasks.run_report": {"queue": "reports"},
    "portal.tasks.send_notification_emails": {"queue": "mail"},
    "portal.tasks.send_notification_digests": {"queue": "mail"},
    "portal.tasks.run_import_job": {"queue": "bulk"},
    "portal.tasks.calendar_rejudge": {"queue": "bulk"},
    "outages.tasks.*": {"queue": "bulk"},
}
# The one beat schedule. Sweeps are idempotent: running one twice, or late, marks nothing twice.
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {"task": "portal.tasks.sweep_deadlines", "schedule": env.float("SWEEP_INTERVAL", default=60.0)},
    "calendar-check-next-year": {
        "task": "portal.tasks.calendar_check_coverage",
        "schedule": crontab(hour="8", minute="0"),
    },
    # Calendar changes are judged by a task queued on save; this catches one whose message was lost.
    "calendar-rejudge-pending": {"task": "portal.tasks.calendar_rejudge_pending", "schedule": 600.0},
    # Issue 20: the sweep's deadlines reach people's mailboxes as one digest per organisation and interval.
    "notification-digests": {
        "task": "portal.tasks.send_notification_digests",
        "schedule": env.float("DIGEST_INTERVAL", default=1800.0),
    },
    # The dashboard's monthly complaint figures (a summary table: the live GROUP BY is too slow at 1M tickets).
    "reporting-complaint-stats": {
        "task": "reporting.tasks.refresh_complaint_stats",
        "schedule": env.float("COMPLAINT_STATS_INTERVAL", default=300.0),
    },
}

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # it logs every page of every layout pass at INFO
        "fontTools": {"level": "WARNING"},
    },
}

# Share of a deadline's span after which the responsible utility is reminded (e.g. 80%).
DEADLINE_REMIND_FRACTION = env.float("DEADLINE_REMIND_FRACTION", default=0.8)

PORTAL_NAME = _("Residential Power Service Supervision Portal")
