"""The one settings module. Every knob is an environment variable (see README, "Production").

Defaults are safe for a laptop: SQLite in SIG_DATA_DIR, mail written to files, server on loopback.
SIG_ENV=production switches on the production posture (secure cookies, HSTS, required secrets).
"""

import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import envbool, envint, envlist, envstr

# Generic classes (ModelForm[User], QuerySet[X]) subscriptable at run time, as the type hints use them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("SIG_DATA_DIR", str(BASE_DIR / "data"))).resolve()

SIG_ENV = envstr("SIG_ENV", "local")
if SIG_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("SIG_ENV must be 'local' or 'production'")
PRODUCTION = SIG_ENV == "production"
DEBUG = envbool("SIG_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("SIG_DEBUG must be off when SIG_ENV=production")


def _secret(env_name: str, file_name: str) -> str:
    """A secret from the environment; required in production, else generated once into the data
    directory (never in the repository)."""
    key = envstr(env_name)
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(f"{env_name} is required when SIG_ENV=production")
    path = DATA_DIR / file_name
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret("SIG_SECRET_KEY", "secret_key")
ALLOWED_HOSTS = envlist("SIG_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SIG_ALLOWED_HOSTS is required when SIG_ENV=production")
if PRODUCTION and "*" in ALLOWED_HOSTS:
    # Any Host header would be accepted, and with it forged password-reset and verification links.
    raise ImproperlyConfigured("SIG_ALLOWED_HOSTS must name the site's hosts: '*' is refused when SIG_ENV=production")
CSRF_TRUSTED_ORIGINS = envlist("SIG_CSRF_TRUSTED_ORIGINS", [])
# Printed on every verification code and e-mail link. `./sig run` serves on 127.0.0.1:SIG_PORT, so
# without SIG_SITE_URL the printed address is the one actually served.
SITE_URL = envstr("SIG_SITE_URL", f"http://127.0.0.1:{envstr('SIG_PORT', '8000') or '8000'}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs UI from our own static files (no CDN, CSP intact)
    "django_tasks",
    "django_tasks_db",
    "core",
    "reports",
    "accounts",
    "audit",
    "organization",
    "catalog",
    "documents",
    "evidence",
    "actions",
    "committee",
    "plans",
    "nonconformities",
    "audits",
    "supervisions",
    "risks",
    "isms",
    "whistleblowing",
    "integrity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.InputGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "core.context_processors.sig",
            ],
        },
    },
]

# Database: SQLite in the data directory unless DATABASE_URL says otherwise.
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("SIG_DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "sig.sqlite3"),
            "CONN_MAX_AGE": envint("SIG_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE serialises writers at BEGIN, which also serialises the audit hash chain.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
if PRODUCTION and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    pass  # SQLite is allowed for a pilot; PostgreSQL is recommended (README).

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Links to set a password (new accounts, forgotten passwords) stop working after this many hours.
PASSWORD_RESET_TIMEOUT = envint("SIG_PASSWORD_LINK_HOURS", 48) * 3600
# Login throttling (accounts.services): after this many failures of one username from one address
# within the window, that pair waits SIG_LOGIN_BACKOFF_SECONDS, doubling with each further failure
# (at most the window); an address with four times as many failures is refused for the names that
# never logged in from it.
SIG_LOGIN_MAX_FAILURES = envint("SIG_LOGIN_MAX_FAILURES", 5)
SIG_LOGIN_WINDOW_SECONDS = envint("SIG_LOGIN_WINDOW_SECONDS", 900)
SIG_LOGIN_BACKOFF_SECONDS = envint("SIG_LOGIN_BACKOFF_SECONDS", 60)
# Addresses (or networks, e.g. 10.0.0.0/24) of the reverse proxies whose X-Forwarded-For header
# names the client; from anyone else the header is ignored.
SIG_TRUSTED_PROXIES = envlist("SIG_TRUSTED_PROXIES", [])

# Internationalisation: Spanish (Peru) by default, English available.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/Lima"
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "sig_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
if not PRODUCTION:
    # WhiteNoise serves from the finders locally; it only needs the root to exist.
    STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "files"

# Sessions and cookies. Production serves over HTTPS behind a proxy; local mode serves plain
# HTTP on loopback only, where Secure cookies would not be sent back by every browser.
SESSION_COOKIE_AGE = envint("SIG_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION or envbool("SIG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SIG_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SIG_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SIG_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Mail: files in the data directory by default; SMTP when SIG_EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = envstr("SIG_EMAIL_FROM", "sig@localhost")
if envstr("SIG_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = envstr("SIG_EMAIL_HOST")
    EMAIL_PORT = envint("SIG_EMAIL_PORT", 587)
    EMAIL_HOST_USER = envstr("SIG_EMAIL_USER")
    EMAIL_HOST_PASSWORD = envstr("SIG_EMAIL_PASSWORD")
    EMAIL_USE_TLS = envbool("SIG_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# Background jobs: one database-backed queue (SQLite or PostgreSQL). `./sig run` starts one
# worker beside the web server; more workers can run on other machines against PostgreSQL.
TASKS = {"default": {"BACKEND": envstr("SIG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("SIG_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Content-Security-Policy: no inline scripts, everything from our own origin.
SIG_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SIG_API_TOKEN_DAYS = envint("SIG_API_TOKEN_DAYS", 90)
# The API's interactive docs and OpenAPI document need a login (session or token) unless this is on.
SIG_PUBLIC_API_DOCS = envbool("SIG_PUBLIC_API_DOCS", False)
# Production has no published demo password: demo accounts loaded there cannot log in unless set.
SIG_DEMO_PASSWORD = envstr("SIG_DEMO_PASSWORD", "" if PRODUCTION else "juntos2020")
SIG_MAX_TEXT = 4000  # longest free-text field accepted anywhere (API and forms)
SIG_MAX_UPLOAD_MB = envint("SIG_MAX_UPLOAD_MB", 20)
# A DOCX/XLSX whose parts expand to more than this (or more than core.files.MAX_RATIO times their
# compressed size) is refused as a decompression bomb.
SIG_MAX_EXPANDED_MB = envint("SIG_MAX_EXPANDED_MB", 100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Public verification: lookups per address per hour, and the minimum answer time that makes
# right and wrong codes indistinguishable by timing.
SIG_VERIFY_MAX_PER_HOUR = envint("SIG_VERIFY_MAX_PER_HOUR", 30)
SIG_VERIFY_MIN_MS = envint("SIG_VERIFY_MIN_MS", 250)
SIG_DUE_SOON_DAYS = envint("SIG_DUE_SOON_DAYS", 30)
SIG_BREACH_NOTICE_HOURS = envint("SIG_BREACH_NOTICE_HOURS", 48)  # personal-data breach → ANPD (Ley 29733)
# Action items: reminders this many days before the due date; escalation of overdue items
# every this many days (actions.reminders).
SIG_ACTION_REMIND_DAYS = envstr("SIG_ACTION_REMIND_DAYS", "7,1")
SIG_ACTION_ESCALATE_EVERY = envint("SIG_ACTION_ESCALATE_EVERY", 7)

# Audit trail: each entry is chained with an HMAC-SHA256 under this key, which lives outside the
# database (environment in production, SIG_DATA_DIR/audit_key locally), so that a database
# writer cannot recompute the chain. The head of the chain is anchored outside the database too:
# appended to SIG_AUDIT_ANCHOR_FILE (one JSON line per checkpoint) and written to the log, at
# start-up, by every intact `verify-audit` and by the job worker every SIG_AUDIT_ANCHOR_SECONDS
# while entries are written; SIG_AUDIT_ANCHOR_EMAIL (comma-separated) also mails the checkpoints
# of start-up and `verify-audit` to the auditors.
SIG_AUDIT_KEY = _secret("SIG_AUDIT_KEY", "audit_key")
SIG_AUDIT_ANCHOR_FILE = envstr("SIG_AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit-anchors.jsonl"))
SIG_AUDIT_ANCHOR_SECONDS = envint("SIG_AUDIT_ANCHOR_SECONDS", 300)
SIG_AUDIT_ANCHOR_EMAIL = envlist("SIG_AUDIT_ANCHOR_EMAIL", [])

# Anti-bribery and the whistleblowing channel (integrity/, whistleblowing/DESIGN.md).
SIG_GIFT_THRESHOLD = envstr("SIG_GIFT_THRESHOLD", "150.00")  # S/: above it the integrity function decides
SIG_COI_RENEWAL_MONTHS = envint("SIG_COI_RENEWAL_MONTHS", 12)  # conflict-of-interest declarations
SIG_WB_PROTECTION_DAYS = envint("SIG_WB_PROTECTION_DAYS", 15)  # business days to decide protection measures
SIG_WB_KDF_OPS = envint("SIG_WB_KDF_OPS", 3)  # Argon2id cost of receipts and officers' keys
SIG_WB_KDF_MEM_KB = envint("SIG_WB_KDF_MEM_KB", 65536)
SIG_WB_MIN_MS = envint("SIG_WB_MIN_MS", 300)  # every receipt look-up takes at least this long
SIG_WB_RECEIPT_FAILURES = envint("SIG_WB_RECEIPT_FAILURES", 20)  # failed look-ups per address and hour
SIG_WB_RECEIPT_FAILURES_ALL = envint("SIG_WB_RECEIPT_FAILURES_ALL", 1000)  # failed look-ups per hour, overall
