"""Settings for wijkwaarde. Everything that differs per deployment comes from the environment."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# The test suite runs with DEBUG off, over plain HTTP (the test client, Playwright against live_server).
TESTING = "pytest" in sys.modules
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # A known key lets anyone forge sessions and signed links: only for development (DEBUG on), the test suite, and
    # the offline commands of manage.py (all but those in KEY_COMMANDS), never to serve (docs/deploy.md).
    if not (DEBUG or TESTING or os.environ.get("WIJKWAARDE_OFFLINE_COMMAND")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (docs/deploy.md).")
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"  # noqa: S105
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "drf_spectacular_sidecar",
    "csp",
    "core",
    "audit",
    "landscape",
    "continuity",
    "tenders",
    "publication",
    "bids",
    "evaluation",
    "contracts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DutchUnlessChosen",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RejectNulBytes",
    "core.page_cache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.ChartsMayEvaluate",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wijkwaarde.urls"
WSGI_APPLICATION = "wijkwaarde.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# SQLite file by default (the demo); PostgreSQL in production and CI through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once: background jobs write while requests read.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS: list = []  # translations live in each app's locale/ directory
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: imports accept files up to 50 MB; larger bodies are refused before they reach a view.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Files above the limit are refused while the body is read, before they are stored (core/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_MAX_FILE_BYTES = None  # None: IMPORT_MAX_BYTES
UPLOAD_MAX_REQUEST_BYTES = None  # None: 5 x the file limit (several CSV files in one upload)
# Checked uploads that are never confirmed are removed after this many hours (manage.py expire_uploads).
IMPORT_UPLOAD_EXPIRY_HOURS = int(os.environ.get("IMPORT_UPLOAD_EXPIRY_HOURS", "24"))
# Rows read from one import file at most (all sheets together); more is refused before it fills the memory.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "300000"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "5000000"))

SESSION_COOKIE_HTTPONLY = True
# HTTPS: with DEBUG off, cookies are secure, plain HTTP is redirected and HSTS is sent, unless the environment switches
# them off (docs/deploy.md, "HTTPS": e.g. SECURE_SSL_REDIRECT=false when the proxy already redirects).
_HTTPS = not DEBUG and not TESTING
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", _HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if _HTTPS else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):  # behind a TLS-terminating proxy that sets X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only our own scripts, styles, images and fonts; no inline scripts, no
# framing, no plugins. Inline styles are allowed: the municipality's theme (<style> in base.html), style attributes
# and htmx's indicator style. Vega evaluates chart expressions with `new Function`, so pages that load it (and only
# those) add 'unsafe-eval' (core.middleware.ChartsMayEvaluate; docs/security.md).
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
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A cache shared by every web process and worker (the login lock of core/throttle.py is a database row, not here):
# a database table by default (`manage.py createcachetable`, which the test runner also runs).
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "wijkwaarde_cache"),
    }
}

# Public pages (core/page_cache.py): anonymous responses kept per web process, invalidated by every service write of
# their municipality; at most this many seconds (pages that depend on the clock), in at most this many bytes.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
PUBLIC_CACHE_MAX_BYTES = int(os.environ.get("PUBLIC_CACHE_MAX_BYTES", str(64 * 1024 * 1024)))
# "local" (each process's memory, the default) or "shared" (settings.CACHES; measured slower, docs/benchmarks.md).
PUBLIC_CACHE_STORE = os.environ.get("PUBLIC_CACHE_STORE", "local")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wijkwaarde@localhost")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # Every endpoint must declare who may use it; an endpoint that forgets is closed.
    "DEFAULT_PERMISSION_CLASSES": ["core.access.NoAccessDeclared"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "rest_framework.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wijkwaarde API",
    "DESCRIPTION": "Open data about the social base of Dutch municipalities (NL API Design Rules).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation page (/api/v1/docs) serves Swagger UI from drf-spectacular-sidecar: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "defaultModelsExpandDepth": 0, "tryItOutEnabled": False},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_docs.add_links",
    ],
}

# Background work runs on django-tasks (the backport of Django 6's task framework for Django 5.2) with its database
# backend: the queue is a table in our own database and `manage.py run_worker` (several, on several machines) takes
# tasks from it. Tests use the immediate backend (conftest.py). core.jobs keeps a core.Job per long job as the
# progress record that pages poll; see docs/conventions.md "Long work".
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A running job's worker writes a heartbeat every JOBS_HEARTBEAT_SECONDS; a job whose heartbeat is older than
# JOBS_STALE_AFTER_SECONDS lost its worker (killed, machine gone) and is retried or marked failed by the reaper.
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "10"))
JOBS_STALE_AFTER_SECONDS = float(os.environ.get("JOBS_STALE_AFTER_SECONDS", "120"))
# Tasks without a core.Job (e-mail to subscribers) have no heartbeat: still RUNNING this long after their start,
# their worker is taken to be gone and they are marked failed.
TASKS_STALE_AFTER_SECONDS = float(os.environ.get("TASKS_STALE_AFTER_SECONDS", "3600"))

# Demo only: shows the current TOTP code of demo accounts on the second login step. Never set in production.
DEMO_SHOW_TOTP = env_bool("DEMO_SHOW_TOTP", False)

OTP_TOTP_ISSUER = "wijkwaarde"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO level; only their warnings matter.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# Publication: the OCDS ocid prefix registered for this publisher, and the public address used in links of
# open data and e-mails.
OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-wijkwa")
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Audit chain anchoring (audit/anchoring.py): the Ed25519 key that signs checkpoints of the chain head. It must NOT
# live in the database (nor in a backup of it): an environment variable (PEM, or base64 of the 32-byte seed) or a
# file readable by the application only. `manage.py audit_checkpoint --generate-key` creates the file. Public keys of
# earlier (rotated) keys stay trusted through AUDIT_TRUSTED_PUBLIC_KEYS (comma-separated base64 of the raw 32 bytes).
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = os.environ.get("AUDIT_SIGNING_KEY_FILE", str(BASE_DIR / "var" / "audit-signing-key.pem"))
AUDIT_TRUSTED_PUBLIC_KEYS = [k for k in os.environ.get("AUDIT_TRUSTED_PUBLIC_KEYS", "").split(",") if k.strip()]

# Sealed bids (bids/sealing.py, docs/security.md): the key-encryption key that wraps each commissioning's private key
# and the drafts' data keys. It must NOT live in the database, the media folder or a backup of them: an environment
# variable (base64 of 32 random bytes) or a file readable by the application only. Development and the demo (DEBUG
# on) create the file under var/ on first use; production refuses to start sealing without one.
BIDS_KEK = os.environ.get("BIDS_KEK", "")
BIDS_KEK_FILE = os.environ.get("BIDS_KEK_FILE", str(BASE_DIR / "var" / "bids-kek"))
BIDS_KEK_CREATE = env_bool("BIDS_KEK_CREATE", DEBUG)
