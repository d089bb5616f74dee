"""Receipts (ontvangstbevestigingen) of sealed versions and the bidder's check of a kept manifest or file against
them. Reads only: a bidder sees the receipts of submissions its organisation takes part in (confirmed), never
others'."""

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from core.pdf import render_pdf

from . import envelope, sealing, submission_rules
from .models import Participation, SealedVersion


def visible_versions(user):
    """Sealed versions of the submissions in which one of the user's organisations has a confirmed participation."""
    operators = submission_rules.member_operator_ids(user)
    return (
        SealedVersion.objects.filter(
            Q(submission__participations__operator_id__in=operators)
            & Q(submission__participations__status=Participation.Status.CONFIRMED)
        )
        .select_related("submission__commissioning", "submission__lot", "submission__lead")
        .distinct()
        .order_by("submission_id", "number")
    )


def receipt_context(version: SealedVersion) -> dict:
    s = version.submission
    return {
        "version": version,
        "submission": s,
        "commissioning": s.commissioning,
        "lot": s.lot,
        "lead": s.lead,
        "received_local": timezone.localtime(version.received_at),
        "received_utc": version.received_at.astimezone(timezone.get_fixed_timezone(0)).isoformat(),
    }


def receipt_pdf(version: SealedVersion) -> bytes:
    """The Dutch receipt as a PDF (core.pdf: WeasyPrint, nothing fetched from outside)."""
    return render_pdf("bids/submission_receipt_pdf.html", receipt_context(version))


@dataclass
class Verification:
    kind: str  # "manifest" or "file"
    sha256: str
    matches: list = field(default_factory=list)  # [(version, file entry or None)]

    @property
    def is_manifest(self) -> bool:
        return self.kind == "manifest"


def _as_manifest(data: bytes):
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and "version" in manifest else None


def verify(user, data: bytes) -> Verification:
    """A kept manifest (JSON) is hashed canonically and compared with the user's receipts; any other file is
    hashed and looked up among the files listed in the user's own manifest copies."""
    versions = list(visible_versions(user))
    manifest = _as_manifest(data)
    if manifest is not None:
        digest = sealing.receipt_hash(manifest)
        return Verification("manifest", digest, [(v, None) for v in versions if v.receipt_sha256 == digest])
    digest = hashlib.sha256(data).hexdigest()
    result = Verification("file", digest)
    for version in versions:
        for entry in envelope.bidder_manifest(version)["files"]:
            if entry["sha256"] == digest:
                result.matches.append((version, entry))
    return result
