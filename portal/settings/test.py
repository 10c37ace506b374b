"""Test settings: fast hashing, in-memory mail, Celery tasks run in-process."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_ENABLED = os.environ.get("AXES_ENABLED", "false") == "true"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing collected in tests; files come from the finders
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")  # uploads of a test run never land in var/
