"""At a bid deadline hundreds of uploads and submits arrive together (bench_deadline_burst): their database round
trips are counted here, so that an added query per request shows up in a test rather than in the next burst. The
counts include the session, the user and the roles (3 per request) and the audit event (3: the chain head, the
event, the head's update); a draft's writes do not bump the public page cache (core.page_cache)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing import login

from .factories_b1 import pdf_bytes

pytestmark = pytest.mark.django_db

UPLOAD_QUERIES = 19
SUBMIT_QUERIES = 25


def _count(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data or {})
    assert response.status_code == 302
    # savepoints only exist inside the test's own transaction; in a request the service's atomic block is the
    # transaction itself
    return len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_an_upload_and_a_submit_take_a_fixed_number_of_queries(client, draft, lead):
    login(client, lead[1])
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes() + b"x" * 300_000, content_type="application/pdf")
    assert _count(client, reverse("bids:upload", args=[draft.pk]), {"file": upload}) == UPLOAD_QUERIES
    assert _count(client, reverse("bids:submit", args=[draft.pk])) == SUBMIT_QUERIES
