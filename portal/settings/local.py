"""Local run: embedded defaults (SQLite, filesystem broker), debug on."""

import os

os.environ.setdefault("SECRET_KEY", "local-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403

STATIC_ROOT = None  # runserver serves from the app folders; production collects to STATIC_ROOT
