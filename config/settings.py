"""BİYS settings. Every value an operator may change is read from the environment (config/env.py)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("BIYS_DATA_DIR", BASE_DIR / "data")

DEBUG = env_bool("BIYS_DEBUG", False)
SECRET_KEY = env_str("BIYS_SECRET_KEY") or (
    "insecure-development-key-set-BIYS_SECRET_KEY-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    # Refusing to start beats signing sessions with a guessable key.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set BIYS_SECRET_KEY (or BIYS_DEBUG=true for a trial installation).")
ALLOWED_HOSTS = env_list("BIYS_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("BIYS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # widget templates for the project form renderer
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "biys.core",
    "biys.org",
    "biys.accounts",
    "biys.calendar",
    "biys.acknowledgements",
    "biys.attachments",
    "biys.comments",
    "biys.notifications",
    "biys.servicedesk",
    "biys.logs5651",
    "biys.inventory",
    "biys.applications",
    "biys.secops",
    "biys.evrak",
    "biys.bgys",
    "biys.kvkk",
    "biys.demo",
]

MIDDLEWARE = [
    "biys.core.client_address.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "biys.core.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "biys.core.locale_middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "biys.core.middleware.RequestContextMiddleware",
    "biys.accounts.middleware.RequireTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "biys" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "biys.core.context_processors.navigation",
                "biys.core.csrf.csrf",
            ],
            # {% url %} reversed once per route and shape of arguments, in every template
            "builtins": ["biys.core.templatetags.builtin_url"],
            # {% load i18n %}: Django's library, with literal translations kept per language
            "libraries": {"i18n": "biys.core.templatetags.kept_i18n"},
        },
    }
]
FORM_RENDERER = "biys.core.forms.BootstrapFormRenderer"

# Database: SQLite file in the data directory unless DATABASE_URL names another.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'biys.sqlite3'}",
        conn_max_age=env_int("BIYS_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("BIYS_DB_PREPARED_STATEMENTS", True):
    # PostgreSQL: bind parameters on the server, so psycopg prepares a statement the connection
    # runs again and again (a page's session, user and row queries, a filing's inserts) and
    # PostgreSQL plans it once per connection instead of per request: planning a ticket page's
    # queries took longer than running them, and a filing's database CPU fell by half
    # (bench/README.md, "Prepared statements"). Switch it off behind a pooler in transaction
    # mode that does not keep prepared statements (PgBouncer before 1.21, or without
    # ``max_prepared_statements``). Pattern searches (LIKE and the like) are never prepared,
    # so no generic plan ignores their pattern (``biys.core.db_plans``).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": env_int("BIYS_DB_PREPARE_THRESHOLD", 5),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker, tasks run in-process so the embedded default still works.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Istanbul"
CELERY_BEAT_SCHEDULE = {
    "deliver-outbox": {"task": "biys.notifications.tasks.deliver_outbox", "schedule": 60.0},
    "servicedesk-check-sla": {"task": "biys.servicedesk.tasks.check_sla", "schedule": 900.0},
    "servicedesk-close-resolved": {
        "task": "biys.servicedesk.tasks.close_resolved_tickets",
        "schedule": crontab(minute=0),
    },
    "servicedesk-poll-mail": {
        "task": "biys.servicedesk.mail_intake.poll_mailboxes_task",
        "schedule": 60.0,
    },
    "servicedesk-recurring": {
        "task": "biys.servicedesk.tasks.create_recurring_tickets",
        "schedule": crontab(hour=6, minute=0),
    },
    "purge-idempotency-keys": {
        "task": "biys.core.tasks.purge_idempotency_keys",
        "schedule": crontab(minute=30),
    },
    "logs5651-collect-and-seal": {
        "task": "biys.logs5651.tasks.collect_and_seal",
        "schedule": crontab(minute="*/10"),
    },
    "logs5651-retention": {
        "task": "biys.logs5651.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    "applications-check-deadlines": {
        "task": "biys.applications.tasks.check_deadlines",
        "schedule": crontab(minute=5),
    },
    "applications-poll-mail": {
        "task": "biys.applications.mail_intake.poll_mailboxes_task",
        "schedule": 60.0,
    },
    "evrak-poll-mail": {
        "task": "biys.evrak.mail_intake.poll_mailboxes_task",
        "schedule": 60.0,
    },
    "evrak-routing-reminders": {
        "task": "biys.evrak.tasks.send_reminders",
        "schedule": crontab(minute=10),
    },
    "evrak-cancel-abandoned-numbers": {
        "task": "biys.evrak.tasks.cancel_abandoned_numbers",
        "schedule": crontab(minute=20),
    },
    "kvkk-request-reminders": {
        "task": "biys.kvkk.tasks.send_reminders",
        "schedule": crontab(minute=15),
    },
    "acknowledgement-reminders": {
        "task": "biys.acknowledgements.tasks.send_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "inventory-licence-expiry": {
        "task": "biys.inventory.tasks.send_licence_expiry_alerts",
        "schedule": crontab(hour=7, minute=30),
    },
    "bgys-confidentiality-agreements": {
        "task": "biys.bgys.tasks.send_agreement_reminders",
        "schedule": crontab(hour=7, minute=40),
    },
    "bgys-overdue-corrective-actions": {
        "task": "biys.bgys.tasks.send_overdue_reminders",
        "schedule": crontab(minute=25),
    },
    "bgys-policy-audiences": {
        "task": "biys.bgys.tasks.refresh_policy_audiences",
        "schedule": crontab(hour=6, minute=40),
    },
    "secops-expire-risk-acceptances": {
        "task": "biys.secops.tasks.expire_risk_acceptances",
        "schedule": crontab(hour=0, minute=20),
    },
    "secops-fetch-usom-list": {
        "task": "biys.secops.tasks.fetch_usom_list",
        "schedule": crontab(hour=5, minute=40),
    },
    "evrak-archive-timestamps": {
        "task": "biys.evrak.tasks.stamp_archives",
        "schedule": crontab(hour=2, minute=45),
    },
    "evrak-refresh-crls": {
        "task": "biys.evrak.tasks.refresh_revocation_lists",
        "schedule": crontab(minute=35),
    },
    "audit-checkpoint": {
        "task": "biys.core.tasks.write_audit_checkpoint",
        "schedule": env_int("BIYS_AUDIT_CHECKPOINT_MINUTES", 15) * 60.0,
    },
}

# Evrak: the person a document is routed to (or the unit's manager) is reminded this many
# working days before the routing's due date.
BIYS_EVRAK_REMIND_WORKING_DAYS = env_int("BIYS_EVRAK_REMIND_WORKING_DAYS", 2)
# Evrak: text recognition (OCR) of scans with tesseract (Debian's tesseract-ocr-tur) and
# poppler-utils: the languages, the seconds one program may run, the pages read of a PDF, and
# the minutes after which a scan still waiting or being read may be sent again.
BIYS_EVRAK_OCR_LANGUAGES = env_str("BIYS_EVRAK_OCR_LANGUAGES", "tur")
BIYS_EVRAK_OCR_TESSERACT = env_str("BIYS_EVRAK_OCR_TESSERACT", "tesseract")
BIYS_EVRAK_OCR_TIMEOUT = env_int("BIYS_EVRAK_OCR_TIMEOUT", 120)
BIYS_EVRAK_OCR_MAX_PAGES = env_int("BIYS_EVRAK_OCR_MAX_PAGES", 50)
BIYS_EVRAK_OCR_STUCK_MINUTES = env_int("BIYS_EVRAK_OCR_STUCK_MINUTES", 30)
# Evrak: dispatch by KEP. A recipient's KEP address must end so (empty: any e-mail address),
# and a KEP message may not be larger (25 MB, the providers' limit), attachments included.
BIYS_EVRAK_KEP_ADDRESS_SUFFIX = env_str("BIYS_EVRAK_KEP_ADDRESS_SUFFIX", ".kep.tr")
BIYS_EVRAK_KEP_MAX_MB = env_int("BIYS_EVRAK_KEP_MAX_MB", 25)
BIYS_EVRAK_KEP_TIMEOUT = env_int("BIYS_EVRAK_KEP_TIMEOUT", 60)
# Evrak: a CAdES signature is refused unless every certificate of its chain is covered by a
# current CRL of its issuer (loaded into the trust store, or fetched); off only for a trial.
BIYS_EVRAK_REQUIRE_REVOCATION = env_bool("BIYS_EVRAK_REQUIRE_REVOCATION", True)
# Evrak: fetch CRLs over HTTP from the certificates' distribution points (off on a closed
# network: the administrator loads them), each fetch (and OCSP request) given this many seconds.
BIYS_EVRAK_CRL_FETCH = env_bool("BIYS_EVRAK_CRL_FETCH", False)
BIYS_EVRAK_CRL_TIMEOUT = env_int("BIYS_EVRAK_CRL_TIMEOUT", 10)
# Evrak: ask a certificate's OCSP responder when no current CRL covers it (same timeout).
BIYS_EVRAK_OCSP = env_bool("BIYS_EVRAK_OCSP", False)
# Evrak: have an accepted signature time-stamped by the RFC 3161 authority of BIYS_TSA_URL.
BIYS_EVRAK_TIMESTAMP = env_bool("BIYS_EVRAK_TIMESTAMP", False)
# Evrak: keep an archive time-stamp chain over every kept e-Yazışma package (daily, by the
# authority of BIYS_TSA_URL), renewed this many days before its authority's certificate expires.
BIYS_EVRAK_ARCHIVE_TIMESTAMP = env_bool("BIYS_EVRAK_ARCHIVE_TIMESTAMP", False)
BIYS_EVRAK_ARCHIVE_RENEW_DAYS = env_int("BIYS_EVRAK_ARCHIVE_RENEW_DAYS", 180)
# Acknowledgements: a late one is reminded again after this many days.
BIYS_ACKNOWLEDGEMENT_REMIND_DAYS = env_int("BIYS_ACKNOWLEDGEMENT_REMIND_DAYS", 7)
# KVKK: the contact people are reminded this many days before a data subject's request is due.
BIYS_KVKK_REMIND_DAYS = env_int("BIYS_KVKK_REMIND_DAYS", 7)
# Applications: a base-station complaint with coordinates suggests this many registered sites
# within this radius (metres).
BIYS_BASESTATION_NEAREST_RADIUS_M = env_int("BIYS_BASESTATION_NEAREST_RADIUS_M", 1000)
BIYS_BASESTATION_NEAREST_COUNT = env_int("BIYS_BASESTATION_NEAREST_COUNT", 5)
# Service desk: a hardware fault without a registered device is "flag"ged or "refuse"d
# (odunpazari 10(1)(c): only devices in the municipal inventory are serviced).
SERVICEDESK_UNREGISTERED_ASSET = env_str("BIYS_UNREGISTERED_ASSET", "flag")
# Inventory numbers (biys.inventory): {code} the taşınır code, {year}, {seq} the code's yearly
# sequence, e.g. "{code}-{year}-{seq:05d}" -> 253.02.01.01-2026-00042.
BIYS_INVENTORY_NUMBER_FORMAT = env_str("BIYS_INVENTORY_NUMBER_FORMAT", "{code}-{year}-{seq:05d}")
# Licence expiry notices (biys.inventory): the inventory officers of a licence's unit are told
# this many days before it expires, once per threshold (the tightest one reached).
BIYS_LICENCE_EXPIRY_DAYS = env_list("BIYS_LICENCE_EXPIRY_DAYS", ["90", "30", "7"])
# Third-party confidentiality agreements (biys.bgys): listed as ending soon, and the BGYS
# managers of the third party's unit told once, this many days before an agreement ends.
BIYS_CONFIDENTIALITY_WARNING_DAYS = env_int("BIYS_CONFIDENTIALITY_WARNING_DAYS", 30)
# Inventory agents (GLPI Agent, FusionInventory) report to /api/agent/: an agent is let in by
# the installation's agent token (HTTP Basic password, any user name) or by coming from one of
# the networks listed (CIDR). Neither set: the endpoint refuses every agent.
BIYS_AGENT_TOKEN = env_str("BIYS_AGENT_TOKEN")
BIYS_AGENT_NETWORKS = env_list("BIYS_AGENT_NETWORKS")
# The unit (id or short name) keeping devices not yet registered, when the agent's tag names none.
BIYS_AGENT_UNIT = env_str("BIYS_AGENT_UNIT")
# Hours between an agent's reports (told to the agent) and the largest body accepted (MB).
BIYS_AGENT_FREQUENCY_HOURS = env_int("BIYS_AGENT_FREQUENCY_HOURS", 24)
BIYS_AGENT_MAX_BODY_MB = env_int("BIYS_AGENT_MAX_BODY_MB", 32)
SERVICEDESK_MAIL_TICKETS_PER_SENDER_PER_HOUR = env_int("BIYS_MAIL_TICKETS_PER_SENDER_PER_HOUR", 5)
SERVICEDESK_ALERT_REPEAT_MINUTES = env_int("BIYS_ALERT_REPEAT_MINUTES", 60)
CELERY_IMPORTS = ["biys.servicedesk.mail_intake", "biys.evrak.mail_intake"]
# Security findings (biys.secops): reports larger than this import in the background.
BIYS_FINDINGS_BACKGROUND_BYTES = env_int("BIYS_FINDINGS_BACKGROUND_MB", 2) * 1024 * 1024
# USOM's malicious address list, fetched daily (empty: switched off, upload it by hand).
BIYS_USOM_LIST_URL = env_str("BIYS_USOM_LIST_URL", "https://www.usom.gov.tr/url-list.txt")
# Change log (biys.core.auditkey, biys.core.checkpoints): the HMAC key lives outside the
# database; checkpoints of every chain head are written to a directory outside it too.
BIYS_AUDIT_KEY = env_str("BIYS_AUDIT_KEY")
BIYS_AUDIT_KEY_FILE = env_str("BIYS_AUDIT_KEY_FILE")
BIYS_AUDIT_CHAINS = env_int("BIYS_AUDIT_CHAINS", 16)
BIYS_AUDIT_CHECKPOINT_DIR = env_path("BIYS_AUDIT_CHECKPOINT_DIR", DATA_DIR / "audit-checkpoints")
# Every checkpoint of the last days is kept; of older days, the last one of each day.
BIYS_AUDIT_CHECKPOINT_KEEP_DAYS = env_int("BIYS_AUDIT_CHECKPOINT_KEEP_DAYS", 30)
# How long an API Idempotency-Key and its stored response are kept.
BIYS_IDEMPOTENCY_HOURS = env_int("BIYS_IDEMPOTENCY_HOURS", 24)
# Dotted path of a callable(bytes) -> str adding a trusted timestamp to each checkpoint (5651).
BIYS_AUDIT_TIMESTAMPER = env_str("BIYS_AUDIT_TIMESTAMPER")
# Internet access logs (Law 5651, biys.logs5651): where the received files are kept, and the
# RFC 3161 time-stamping authority that seals each day (Kamu SM: http://zd.kamusm.gov.tr with
# the customer number and password; the CA file holds the TSA's root and intermediate
# certificates, PEM).
BIYS_LOGS5651_DIR = env_path("BIYS_LOGS5651_DIR", DATA_DIR / "logs5651")
# The watched folder: rsyslog writes <source>/<YYYY-MM-DD>.log here; exports are dropped here.
BIYS_LOGS5651_INCOMING = env_path("BIYS_LOGS5651_INCOMING", DATA_DIR / "logs5651-incoming")
BIYS_TSA_URL = env_str("BIYS_TSA_URL")
BIYS_TSA_CA_FILE = env_str("BIYS_TSA_CA_FILE")
BIYS_TSA_KAMUSM_USER = env_str("BIYS_TSA_KAMUSM_USER")
BIYS_TSA_KAMUSM_PASSWORD = env_str("BIYS_TSA_KAMUSM_PASSWORD")
BIYS_TSA_TIMEOUT = env_int("BIYS_TSA_TIMEOUT", 30)
# Files and their access records are kept this many days (Law 5651: two years), then deleted by
# the daily retention job; the manifests and tokens stay, so the chain still verifies.
BIYS_LOGS5651_RETENTION_DAYS = env_int("BIYS_LOGS5651_RETENTION_DAYS", 730)
# A day the TSA did not seal is retried with backoff, then marked failed (and reported).
BIYS_TSA_MAX_ATTEMPTS = env_int("BIYS_TSA_MAX_ATTEMPTS", 12)
# Absolute links in e-mails, e.g. https://biys.belediye.bel.tr
BIYS_BASE_URL = env_str("BIYS_BASE_URL", "")
# The DogrulamaAdresi of outgoing e-Yazışma packages when BIYS_BASE_URL is not set (with it set,
# the document's own page): where a recipient verifies the document.
BIYS_EYP_VERIFICATION_URL = env_str(
    "BIYS_EYP_VERIFICATION_URL", "https://www.turkiye.gov.tr/belge-dogrulama"
)
# The institution's e-seal (e-mühür) certificate(s) outgoing e-Yazışma packages are sealed with
# (biys.evrak.sealing): SHA-256 fingerprints, certificate files (PEM/DER) or exact subjects,
# separated by semicolons (a subject has commas). Empty: this installation does not seal.
BIYS_EYP_SEAL_CERTIFICATES = env_str("BIYS_EYP_SEAL_CERTIFICATES", "")

# The public application form (biys.applications.public_views, served by config.public_settings):
# its address for the notices, the name shown at its top, and its bounds per client address.
BIYS_PUBLIC_URL = env_str("BIYS_PUBLIC_URL", "")
BIYS_PUBLIC_TITLE = env_str("BIYS_PUBLIC_TITLE", "")
BIYS_PUBLIC_FILINGS_PER_HOUR = env_int("BIYS_PUBLIC_FILINGS_PER_HOUR", 10)
BIYS_PUBLIC_LOOKUPS_PER_HOUR = env_int("BIYS_PUBLIC_LOOKUPS_PER_HOUR", 60)
BIYS_PUBLIC_MAX_FILES = env_int("BIYS_PUBLIC_MAX_FILES", 3)
BIYS_PUBLIC_UPLOAD_MAX_BYTES = env_int("BIYS_PUBLIC_UPLOAD_MAX_MB", 10) * 1024 * 1024

# The map of base-station sites (Leaflet, served by the installation): the municipality's map
# server, either a tile URL template ({z}/{x}/{y}) or a WMS URL with its comma-separated layers.
# Neither set: the markers on a blank map. The server's origin joins the CSP's img-src.
BIYS_MAP_TILE_URL = env_str("BIYS_MAP_TILE_URL", "")
BIYS_MAP_WMS_URL = env_str("BIYS_MAP_WMS_URL", "")
BIYS_MAP_WMS_LAYERS = env_str("BIYS_MAP_WMS_LAYERS", "")
BIYS_MAP_ATTRIBUTION = env_str("BIYS_MAP_ATTRIBUTION", "")
# Where the map opens with no site to show: latitude,longitude and the zoom level.
BIYS_MAP_CENTER = env_list("BIYS_MAP_CENTER", ["39.0", "35.0"])
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

try:
    BIYS_MAP_CENTER = [float(value) for value in BIYS_MAP_CENTER]
except ValueError as error:
    raise ImproperlyConfigured("BIYS_MAP_CENTER must be latitude,longitude") from error
if len(BIYS_MAP_CENTER) != 2:
    raise ImproperlyConfigured("BIYS_MAP_CENTER must be latitude,longitude")
BIYS_MAP_ZOOM = env_int("BIYS_MAP_ZOOM", 6)
if BIYS_MAP_WMS_URL and not BIYS_MAP_WMS_LAYERS:
    raise ImproperlyConfigured("BIYS_MAP_WMS_URL needs BIYS_MAP_WMS_LAYERS (the layers to show)")

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend"]
LDAP_SERVER_URI = env_str("BIYS_LDAP_SERVER_URI")
if LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS.append("biys.accounts.ldap.BiysLDAPBackend")
# LDAP / Active Directory: biys.accounts.ldap turns these into django-auth-ldap's settings.
BIYS_LDAP = {
    "SERVER_URI": LDAP_SERVER_URI,
    "BIND_DN": env_str("BIYS_LDAP_BIND_DN"),
    "BIND_PASSWORD": env_str("BIYS_LDAP_BIND_PASSWORD"),
    "START_TLS": env_bool("BIYS_LDAP_START_TLS", False),
    "USER_SEARCH_BASE": env_str("BIYS_LDAP_USER_SEARCH_BASE"),
    # Active Directory by default; OpenLDAP: (uid=%(user)s)
    "USER_FILTER": env_str("BIYS_LDAP_USER_FILTER", "(sAMAccountName=%(user)s)"),
    "ATTR_FIRST_NAME": env_str("BIYS_LDAP_ATTR_FIRST_NAME", "givenName"),
    "ATTR_LAST_NAME": env_str("BIYS_LDAP_ATTR_LAST_NAME", "sn"),
    "ATTR_EMAIL": env_str("BIYS_LDAP_ATTR_EMAIL", "mail"),
    "ATTR_SICIL": env_str("BIYS_LDAP_ATTR_SICIL", "employeeNumber"),
    "GROUP_SEARCH_BASE": env_str("BIYS_LDAP_GROUP_SEARCH_BASE"),
    # activeDirectory (nested groups), groupOfNames, groupOfUniqueNames or posixGroup
    "GROUP_TYPE": env_str("BIYS_LDAP_GROUP_TYPE", "activeDirectory"),
    # "cn=bt-teknisyen,ou=groups,dc=belediye,dc=local=technician@Unit name; ..."
    "ROLE_MAP": env_str("BIYS_LDAP_ROLE_MAP"),
}
# Django's ModelBackend, reading the user's person in the same query (biys.accounts.backends).
# Sessions signed in through "django.contrib.auth.backends.ModelBackend" (before 2026-12)
# end: their users sign in once more.
AUTHENTICATION_BACKENDS.append("biys.accounts.backends.ModelBackend")
# Who may see and change what: the module core asks (biys.core.access, docs/architecture.md).
BIYS_ACCESS_POLICY = "biys.accounts.scope"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("BIYS_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "biys.accounts.validators.CharacterClassValidator"},
]

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("BIYS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("BIYS_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The real client behind the configured proxies, so a lock is per user name AND address: a
# stranger's failures elsewhere do not lock the owner out.
AXES_CLIENT_IP_CALLABLE = "biys.core.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("BIYS_LOGIN_THROTTLING", True)

LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Turkish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "biys" / "locale"]
TIME_ZONE = "Europe/Istanbul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_path("BIYS_STATIC_ROOT", DATA_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "biys" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("BIYS_MEDIA_ROOT", DATA_DIR / "media")
# Serve straight from the apps' static folders too, so a fresh checkout works before collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start otherwise
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {
        "BACKEND": env_str("BIYS_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ATTACHMENT_MAX_BYTES = env_int("BIYS_ATTACHMENT_MAX_MB", 20) * 1024 * 1024

EMAIL_BACKEND = env_str("BIYS_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("BIYS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("BIYS_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("BIYS_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("BIYS_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("BIYS_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("BIYS_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("BIYS_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("BIYS_EMAIL_FROM", "BİYS <biys@localhost>")

# The regulation review form has a few fields per item, and a long regulation 300 items or more.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SESSION_COOKIE_SECURE = env_bool("BIYS_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("BIYS_SESSION_HOURS", 10) * 3600
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BIYS_BEHIND_TLS_PROXY") else None
)
# Addresses or networks of the reverse proxies whose X-Forwarded-For is believed, e.g. 127.0.0.1
BIYS_TRUSTED_PROXIES = env_list("BIYS_TRUSTED_PROXIES")
SECURE_SSL_REDIRECT = env_bool("BIYS_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the monitoring probe may call over plain HTTP
SECURE_HSTS_SECONDS = env_int("BIYS_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BIYS_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("BIYS_HSTS_PRELOAD", False)
# "i18n" names two libraries on purpose: Django's, and ours that replaces it (TEMPLATES above).
# biys/core/tests/test_kept_translate.py checks that no other library name is taken twice.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]
if not SECURE_HSTS_PRELOAD:
    # Preloading is a decision about the municipality's whole domain, not this application's.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "biys.accounts.tokens.HashedTokenAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "biys.core.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["biys.core.api.permissions.ScopedObjectPermission"],
    "DEFAULT_PAGINATION_CLASS": "biys.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "biys.core.api.schema.BiysAutoSchema",
    "EXCEPTION_HANDLER": "biys.core.api.problems.problem_details_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BİYS API",
    "DESCRIPTION": "Bilgi İşlem Yönetim Sistemi REST API. Errors are RFC 9457 problem details.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TicketKindEnum": "biys.servicedesk.choices.TicketKind",
        "LevelEnum": "biys.servicedesk.choices.Level",
        "SignerLevelEnum": "biys.evrak.choices.SignerLevel",
        "HoldReasonEnum": "biys.servicedesk.choices.HoldReason",
        "ChannelEnum": "biys.servicedesk.choices.Channel",
        "ApplicationChannelEnum": "biys.applications.choices.Channel",
        "GisSaleStateEnum": "biys.applications.gis.choices.SaleState",
        "GisDataFormatEnum": "biys.applications.gis.choices.DataFormat",
        "GisChargeUnitEnum": "biys.applications.gis.choices.ChargeUnit",
        "GisDeliveryMethodEnum": "biys.applications.gis.choices.DeliveryMethod",
        "StreetKindEnum": "biys.applications.numarataj.choices.StreetKind",
        "BaseStationSiteKindEnum": "biys.applications.basestation.choices.SiteKind",
        "ScannerFormatEnum": "biys.secops.choices.Format",
        "FindingSeverityEnum": "biys.secops.choices.Severity",
        "IndicatorKindEnum": "biys.secops.choices.IndicatorKind",
        "ImplementationStateEnum": "biys.bgys.models.ImplementationState",
        "BgysRatingEnum": "biys.bgys.models.RATING_CHOICES",
        "BgysAssetKindEnum": "biys.bgys.models.AssetKind",
        "BgysTreatmentEnum": "biys.bgys.models.Treatment",
        "BgysRiskStatusEnum": "biys.bgys.models.RiskStatus",
        "EvrakRoutingKindEnum": "biys.evrak.choices.RoutingKind",
        "EvrakRoutingStateEnum": "biys.evrak.choices.RoutingState",
        "EvrakRecognitionStatusEnum": "biys.evrak.choices.RecognitionStatus",
        "EvrakMailStateEnum": "biys.evrak.choices.MailState",
        "EvrakMailboxKindEnum": "biys.evrak.choices.MailboxKind",
        "EvrakOutgoingStateEnum": "biys.evrak.choices.OutgoingState",
        "EvrakSignatureStateEnum": "biys.evrak.choices.SignatureState",
        "EvrakConfidentialityEnum": "biys.evrak.choices.Confidentiality",
        "EvrakUrgencyEnum": "biys.evrak.choices.Urgency",
        "EvrakDistributionKindEnum": "biys.evrak.choices.DistributionKind",
        "EvrakDispatchChannelEnum": "biys.evrak.choices.DispatchChannel",
        "EvrakConfidentialViewKindEnum": "biys.evrak.choices.ConfidentialViewKind",
        "EvrakArchiveStateEnum": "biys.evrak.choices.ArchiveState",
        "EvrakDisposalKindEnum": "biys.evrak.choices.DisposalKind",
        "EvrakFinalDispositionEnum": "biys.evrak.choices.FinalDisposition",
        "KvkkRequestStateEnum": "biys.kvkk.choices.RequestState",
        "KvkkListKindEnum": "biys.kvkk.choices.ListKind",
        "KvkkOutcomeEnum": "biys.kvkk.choices.Outcome",
        "KvkkRightEnum": "biys.kvkk.choices.Right",
        "KvkkChannelEnum": "biys.kvkk.choices.Channel",
        "SoftwareStatusEnum": "biys.inventory.models.SoftwareStatus",
        "SoftwareCategoryEnum": "biys.inventory.models.SoftwareCategory",
        "InstallationSourceEnum": "biys.inventory.models.InstallationSource",
        "UsomListSourceEnum": "biys.secops.choices.UsomListSource",
        "IncidentDetectionSourceEnum": "biys.secops.choices.DetectionSource",
        "ScanImportStatusEnum": "biys.secops.choices.ImportStatus",
    },
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-vcenter card-table table-striped"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BIYS_LOG_LEVEL", "INFO")},
    # WeasyPrint (the outgoing letter's PDF/A) logs each rendering step at INFO: warnings only.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
