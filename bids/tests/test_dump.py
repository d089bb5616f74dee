"""Sealed at rest (issue 11, ADR 0008): a dump of the database and the media folder taken before the opening, the
audit log and the application log hold no byte of any bidder's answers, file names or file content."""

import base64
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import connection

from audit.models import AuditEvent
from bids import services

from .factories_b1 import leaf_criteria, make_operator, office_bytes, pdf_bytes
from .factories_b2 import no_exclusion_grounds

MARKERS = [
    "Zwanenhals-antwoord-91827",  # answer text
    "Pelikaan-bestandsinhoud-55301",  # bytes inside a PDF
    "Kraanvogel-docx-inhoud-66412",  # text inside a DOCX part (stored compressed in the ZIP, checked raw too)
    "Reigernest-bestandsnaam-44120",  # file name
    "Ooievaar-vertrouwelijk-30019",  # reason for confidentiality
]


def _encodings(marker: str) -> list[bytes]:
    """The marker as bytes, hex, and base64 at each of the three alignments it can have inside a longer text."""
    raw = marker.encode()
    forms = [raw, raw.hex().encode(), raw.hex().upper().encode()]
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * shift + raw)
            skip = (shift * 4 + 2) // 3  # the characters mixing in the padding bytes
            forms.append(encoded[skip + 1 : skip + 1 + len(raw)])
    return forms


def _database_bytes() -> bytes:
    chunks = []
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        if hasattr(connection.connection, "serialize"):  # the whole database image, as a file would hold it
            chunks.append(connection.connection.serialize())
        name = str(connection.settings_dict["NAME"])
        if Path(name).is_file():
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            chunks.append(Path(name).read_bytes())
    for model in apps.get_models():
        chunks.append(serializers.serialize("json", model._base_manager.all()).encode())
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  (names from the catalog)
            for row in cursor.fetchall():
                for value in row:
                    chunks.append(bytes(value) if isinstance(value, memoryview | bytes) else str(value).encode())
    return b"\n".join(chunks)


def _media_bytes() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    return b"\n".join(p.read_bytes() + str(p).encode() for p in sorted(root.rglob("*")) if p.is_file())


@pytest.mark.django_db
def test_dump_before_opening_holds_no_bid_content(commissioning, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django sets its own loggers to INFO
    connection.force_debug_cursor = True  # every SQL statement with its parameters goes to the log too
    try:
        for i in range(2):
            operator, user = make_operator(f"Inschrijver {i}")
            lot = commissioning.lots.first()
            draft = services.create_submission(user, operator, commissioning, kind="bid", lot=lot)
            services.declare(draft.participations.get(ring=0), user, no_exclusion_grounds())
            criteria = leaf_criteria(commissioning)
            services.save_answer(draft, user, criteria[0], f"Ons plan: {MARKERS[0]} in de wijk.")
            services.save_answer(
                draft, user, criteria[1], "Samen.", confidential=True, confidential_reason=f"{MARKERS[4]} geheim"
            )
            services.add_file(draft, user, name=f"{MARKERS[3]}.pdf", content=pdf_bytes(MARKERS[1]))
            services.add_file(draft, user, name="plan.docx", content=office_bytes("word", MARKERS[2]))
            if i == 0:  # one submitted (twice: a replaced version too), one left as a draft
                services.submit(draft, user)
                services.submit(draft, user)
    finally:
        connection.force_debug_cursor = False
    assert commissioning.submissions.filter(versions__isnull=False).exists()

    audit = "\n".join(f"{e.action} {e.summary}" for e in AuditEvent.objects.all()).encode()
    places = {
        "database": _database_bytes(),
        "media": _media_bytes(),
        "audit log": audit,
        "application log": caplog.text.encode(),
    }
    assert b"bids_draftitem" in places["application log"]  # the SQL log was captured
    for place, data in places.items():
        for marker in MARKERS:
            for form in _encodings(marker):
                assert form not in data, f"{marker!r} found in the {place} as {form!r}"
