import os

import pytest

os.environ.setdefault("JOBS_MODE", "sync")


@pytest.fixture(autouse=True)
def _sync_jobs(settings):
    settings.JOBS_MODE = "sync"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
