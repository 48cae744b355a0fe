"""Django settings for the Weblate that `make e2e-weblate` starts: CI only.

Weblate's own example settings, with what a throw-away server on 127.0.0.1
needs instead (../shared/NOTES-weblate.md has how each was found): the
private PostgreSQL cluster e2e.py starts, no Redis (a local-memory cache and
Celery running every task inside the request, so clone, parse, commit and
push are done when the API call returns), `file://` repositories, no
machine translation.  e2e.py passes the folder and the ports in the
environment.  Not a production setup: docs/weblate.md points to Weblate's own.
"""
import os

from weblate.settings_example import *  # noqa: F403  (Weblate's documented way to start settings)
from weblate.settings_example import CACHES, DATABASES, LOGGING

DATA_DIR = os.environ["WEBLATE_E2E_DATA"]
MEDIA_ROOT = os.path.join(DATA_DIR, "media")
STATIC_ROOT = os.path.join(DATA_DIR, "static")
CACHE_DIR = os.path.join(DATA_DIR, "cache")

DEBUG = False
SECRET_KEY = "weblate-e2e-" + "x" * 40   # a throw-away server: nothing to keep secret
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_DOMAIN = f"127.0.0.1:{os.environ['WEBLATE_E2E_PORT']}"
SITE_URL = f"http://{SITE_DOMAIN}"
ENABLE_HTTPS = False

DATABASES["default"].update({
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "weblate",
    "USER": "postgres",
    "PASSWORD": "",
    "HOST": "127.0.0.1",
    "PORT": os.environ["WEBLATE_E2E_PG_PORT"],
})

# no Redis: one process, its memory the cache
CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "weblate-e2e"}
CACHES["avatar"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "weblate-e2e-avatar"}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None

# system checks otp_webauthn.E010/E031 fail without them
OTP_WEBAUTHN_RP_ID = "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://localhost"]

# the bare repository the test pushes to and pulls from is a file:// URL;
# the automatic glossary component uses the local backend
VCS_FILE_PROTOCOL = True
VCS_BACKENDS = ("weblate.vcs.git.GitRepository", "weblate.vcs.git.LocalRepository")
WEBLATE_MACHINERY = ()

# everything to the console, which e2e.py keeps in a log and prints on failure
LOGGING["handlers"]["console"]["level"] = "INFO"
for _logger in LOGGING["loggers"].values():
    _logger["handlers"] = ["console"]
LOGGING["root"] = {"handlers": ["console"], "level": "WARNING"}
