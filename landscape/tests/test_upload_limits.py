"""Uploads above the limit are refused while the body is read, before they are stored; checked uploads that are never
confirmed expire (manage.py expire_uploads) and leave no empty folders."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import Job, Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape.management.commands.expire_uploads import expire_uploads

from .import_files import csv_bytes
from .test_grant_layouts import OMSCHRIJVING, SOORT

RECEIVED: list[int] = []


class RecordingHandler(FileUploadHandler):
    """Stands for the handlers that store an upload (memory, temporary file): records what reaches them."""

    def receive_data_chunk(self, raw_data, start):
        RECEIVED.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def leiden(db):
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.fixture
def advisor(client, leiden):
    return login(client, user_with_role(Role.POLICY_ADVISOR, leiden))


@pytest.fixture
def recording(settings):
    RECEIVED.clear()
    settings.FILE_UPLOAD_HANDLERS = [
        "core.uploads.LimitedUploadHandler",
        f"{__name__}.RecordingHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
    ]
    settings.IMPORT_MAX_BYTES = 10_000
    return RECEIVED


def stored_files():
    return [f for _d, _dirs, files in os.walk(default_storage.location) for f in files]


def post(client, size: int):
    content = SimpleUploadedFile("groot.csv", b"Naam;Bedrag\r\n" + b"x" * size, content_type="text/csv")
    return client.post(reverse("landscape:import_upload", args=["GM0546"]), {"format": "grants", "files": content})


@pytest.mark.parametrize(
    ("size", "request_limit"),
    [(30_000, None), (300_000, None), (30_000, 1_000_000)],
    ids=["file-above-limit", "request-above-limit", "file-above-limit-in-a-small-request"],
)
def test_an_upload_above_the_limit_is_refused_before_it_is_stored(advisor, recording, settings, size, request_limit):
    settings.UPLOAD_MAX_REQUEST_BYTES = request_limit
    response = post(advisor, size)
    assert response.status_code == 400
    assert "groot.csv is groter dan" in response.content.decode()
    assert sum(recording) == 0, "no byte of the file reached a handler that stores it"
    assert not stored_files() and not Job.objects.exists()


def test_an_upload_within_the_limit_passes(advisor, recording):
    content = SimpleUploadedFile("register.csv", csv_bytes(SOORT), content_type="text/csv")
    response = advisor.post(reverse("landscape:import_upload", args=["GM0546"]), {"format": "grants", "files": content})
    assert response.status_code == 302 and sum(recording) > 0


def upload_and_check(client, rows) -> Job:
    content = SimpleUploadedFile("register.csv", csv_bytes(rows), content_type="text/csv")
    client.post(reverse("landscape:import_upload", args=["GM0546"]), {"format": "grants", "files": content})
    return Job.objects.filter(kind="landscape.import_check").latest("created_at")


def test_checked_uploads_never_confirmed_expire_and_leave_no_empty_folders(advisor, leiden):
    waiting = upload_and_check(advisor, SOORT)  # checked, waits for its confirmation
    unmapped = upload_and_check(advisor, OMSCHRIJVING)  # refused; kept to map its columns
    assert waiting.result["ok"] and not unmapped.result["ok"]
    assert len(stored_files()) == 2
    assert expire_uploads() == (0, 0), "younger than IMPORT_UPLOAD_EXPIRY_HOURS: kept"

    later = timezone.now() + timedelta(hours=25)
    out = io.StringIO()
    call_command("expire_uploads", "--hours", "0", stdout=out)  # as cron calls it (0 hours: everything is old)
    assert "Verlopen uploads verwijderd: 2 bestanden, 2 lege mappen." in out.getvalue()
    assert stored_files() == []
    assert os.listdir(default_storage.path("imports/pending")) == []
    assert expire_uploads(now=later) == (0, 0)
    response = advisor.post(reverse("landscape:import_confirm", args=["GM0546", waiting.pk]))
    assert response.status_code == 400 and "upload het bestand opnieuw" in response.content.decode()


def test_files_of_a_queued_or_running_job_are_kept(advisor, leiden):
    check = upload_and_check(advisor, SOORT)
    Job.objects.create(
        kind="landscape.import", municipality=leiden, status=Job.Status.QUEUED, params={"files": check.params["files"]}
    )
    assert expire_uploads(hours=0) == (0, 0)
    assert len(stored_files()) == 1
