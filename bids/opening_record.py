"""The opening record ("proces-verbaal van opening", Directive 2014/24/EU Annex IV): a Dutch PDF made when the second
opener confirms, stored in Opening.record_pdf. It lists the commissioning, each lot, the deadline (Europe/Amsterdam),
who opened when, every counting submission with its time of receipt and SHA-256, the withdrawn and the superseded
versions, the late attempts that were refused, the result of the integrity check of every opened version and, for
requests to participate, the candidates the opening registered.

It names the bidders and the hashes, never the content of a submission.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.pdf import render_pdf

from . import opening_rules
from .models import LateAttempt, Opening, SealedVersion, Submission

PROBLEMS = {
    "": "",
    "undecryptable": gettext_noop("The version could not be decrypted: it was changed or damaged after receipt."),
    "receipt_mismatch": gettext_noop("The decrypted submission does not match its receipt (SHA-256)."),
    "file_mismatch": gettext_noop("An attachment does not match the SHA-256 in the submission."),
}


@dataclass
class LotSection:
    title: str
    counting: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)
    superseded: list = field(default_factory=list)


def problem_text(code: str) -> str:
    return _(PROBLEMS[code]) if code else ""


def _sections(opening: Opening) -> list[LotSection]:
    c = opening.commissioning
    results = {r["version"]: r for r in opening.integrity}
    versions = (
        SealedVersion.objects.filter(submission__commissioning=c, submission__kind=opening.kind)
        .select_related("submission__lead", "submission__lot", "submission__candidate")
        .order_by("submission__lot__number", "received_at", "pk")
    )
    if opening.kind == Submission.Kind.BID:
        sections = {lot.pk: LotSection(str(lot)) for lot in c.lots.all()}
    else:
        sections = {None: LotSection(_("Requests to participate"))}
    for v in versions:
        section = sections.setdefault(v.submission.lot_id, LotSection(str(v.submission.lot)))
        if v.withdrawn_at:
            section.withdrawn.append(v)
        elif v.superseded_at:
            section.superseded.append(v)
        else:
            result = results.get(v.pk, {"ok": False, "problem": "undecryptable"})
            v.integrity_ok, v.integrity_problem = result["ok"], problem_text(result["problem"])
            section.counting.append(v)
    return list(sections.values())


def record_context(opening: Opening) -> dict:
    c = opening.commissioning
    late = (
        LateAttempt.objects.filter(commissioning=c)
        .filter(Q(submission__kind=opening.kind) | Q(submission__isnull=True))
        .select_related("operator")
        .order_by("attempted_at")
    )
    sections = _sections(opening)
    counting = [v for s in sections for v in s.counting]
    return {
        "commissioning": c,
        "opening": opening,
        "kind_label": _("Bids") if opening.kind == Submission.Kind.BID else _("Requests to participate"),
        "deadline": opening_rules.opening_moment(c, opening.kind),
        "confirmations": list(opening.confirmations.select_related("opener")),
        "sections": sections,
        "late_attempts": list(late),
        "failures": [v for v in counting if not v.integrity_ok],
        # Requests: the candidates (gegadigden) the opening registered (ADR 0011), with how many organisations take
        # part besides the lead.
        "is_requests": opening.kind == Submission.Kind.REQUEST,
        "candidates": [
            {"name": k.name, "lead": k.lead_name, "others": max(len(k.members) - 1, 0)}
            for k in (v.submission.candidate for v in counting if v.submission.candidate_id)
        ],
        "counting_total": len(counting),
    }


def render_record(opening: Opening) -> bytes:
    """The PDF, always in Dutch."""
    with translation.override("nl"):
        return render_pdf("bids/opening_record_pdf.html", record_context(opening))
