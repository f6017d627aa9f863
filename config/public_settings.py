"""The public entry point: the application form citizens fill in without an account and its
tracking page, served alone so that it can run on a host in the DMZ while the rest of BİYS
stays on the closed network (``biys serve --public``; README, "Public application form").

The same database and file storage as the installation (the filed application, its files and
its notice are written there), the same cache for the rate limits (Redis, so that every worker
counts together), but no session, login, admin, API or any other page."""

from config.settings import *  # noqa: F403
from config.settings import BIYS_PUBLIC_MAX_FILES, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "config.public_urls"

_PUBLIC_MIDDLEWARE = {
    "biys.core.client_address.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "biys.core.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
}
MIDDLEWARE = [name for name in MIDDLEWARE if name in _PUBLIC_MIDDLEWARE]
TEMPLATES = [
    {
        **TEMPLATES[0],
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
            ],
        },
    }
]

# Each request's fields besides the files, and the number of files Django will parse at all.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = BIYS_PUBLIC_MAX_FILES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
