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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so the fault tests' real Celery worker can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
# The calendar checks judge a deployment's data (is this year's arrangement loaded?), not the code; the
# test command's `check` must not fail on a developer's demo database in December. Tests call them directly.
SILENCED_SYSTEM_CHECKS = ["portal.W001", "portal.W002"]
