"""Test settings: only what makes the suite faster."""

import os

os.environ.setdefault("LGNET_ENV", "test")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 - speed only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Parallel work on one machine: each worktree or helper may pick its own test database name.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("LGNET_TEST_DB", "test_lgnet")}  # noqa: F405
