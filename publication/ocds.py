"""Mapping of a commissioning to OCDS 1.1.5 (docs/adr/0005-ocds-lots-and-extensions.md).

One ocid per commissioning; buyer = the municipality (or each municipality a purchasing organisation acts for),
procuringEntity = the purchasing organisation when there is one; lots via the OCDS lots extension (declared in
every package's `extensions`); `awardCriteria` = `qualityOnly` because the budgets are fixed.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from bids import ocds as bids_ocds
from tenders import rules
from tenders.models import Commissioning, Deadline, Phase, Route

from . import ocds_award, ocds_tender

OCDS_VERSION = "1.1"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
)
EXTENSIONS = [LOTS_EXTENSION, bids_ocds.BIDS_EXTENSION]

PROCUREMENT_METHOD = {
    Route.OPEN: "open",
    Route.PRESELECTION: "selective",
    Route.COMPETITIVE_DIALOGUE: "selective",
    Route.GRANT_ROUND: "open",
}


def ocid(commissioning: Commissioning) -> str:
    owner = (
        commissioning.municipality.cbs_code
        if commissioning.municipality_id
        else (f"IO{commissioning.purchasing_organisation_id}")
    )
    return f"{settings.OCDS_OCID_PREFIX}-{owner}-{commissioning.pk}"


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _iso(dt) -> str:
    return timezone.localtime(dt).isoformat(timespec="seconds")


def _money(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": "EUR"}


def _party_municipality(m, roles) -> dict:
    return {
        "id": m.cbs_code,
        "name": f"Gemeente {m.name}",
        "identifier": {"scheme": "NL-CBS", "id": m.cbs_code, "legalName": f"Gemeente {m.name}"},
        **ocds_tender.address_and_contact(m),
        "roles": roles,
    }


def _tender_status(c: Commissioning) -> str:
    return {Phase.AWARDED: "complete", Phase.CANCELLED: "cancelled"}.get(c.phase, "active")


def _documents(c: Commissioning, home: str) -> list[dict]:
    code = c.municipalities()[0].cbs_code
    docs = [
        {
            "id": "tender-document",
            "documentType": "biddingDocuments",
            "title": f"Aanbestedingsdocument {c.title}",
            "url": absolute(reverse("publication:document_pdf", args=[code, c.pk])),
            "format": "application/pdf",
            "language": "nl",
        },
        {"id": "notice", "documentType": "tenderNotice", "title": c.title, "url": home, "format": "text/html"},
    ]
    if c.phase == Phase.CANCELLED:
        cancelled = c.phase_changes.filter(to_phase=Phase.CANCELLED).last()
        docs.append(
            {
                "id": "cancellation",
                "documentType": "cancellationDetails",
                "title": f"Intrekking {c.title}",
                "description": c.cancellation_reason,
                "url": home,
                "format": "text/html",
                "language": "nl",
                **({"datePublished": _iso(cancelled.at)} if cancelled else {}),
            }
        )
    for cl in c.clarifications.all():
        docs.append(
            {
                "id": f"clarifications-{cl.number}",
                "documentType": "clarifications",
                "title": f"Nota van inlichtingen {cl.number}",
                "url": absolute(reverse("publication:clarification_pdf", args=[code, c.pk, cl.number])),
                "datePublished": _iso(cl.published_at),
                "format": "application/pdf",
                "language": "nl",
            }
        )
    return docs


def build_release(c: Commissioning, *, release_id: str, date, tags: list[str]) -> dict:
    """A full snapshot of the planning and tender sections of a published commissioning, in the language of the
    data (`language: nl`) whatever the language of the request that caused it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build_release(c, release_id=release_id, date=date, tags=tags)


def _build_release(c: Commissioning, *, release_id: str, date, tags: list[str]) -> dict:
    deadlines = {d.kind: d for d in c.deadlines.all()}
    lots = list(c.lots.all())
    value = rules.estimated_value(c)
    municipalities = c.municipalities()
    parties = [
        _party_municipality(m, ["buyer"] if c.purchasing_organisation_id else ["buyer", "procuringEntity"])
        for m in municipalities
    ]
    if c.purchasing_organisation_id:
        po = c.purchasing_organisation
        procuring = {"id": f"IO{po.pk}", "name": po.name}
        parties.append({**procuring, **ocds_tender.address_and_contact(po), "roles": ["procuringEntity"]})
    else:
        procuring = {"id": parties[0]["id"], "name": parties[0]["name"]}
    home = absolute(reverse("publication:detail", args=[municipalities[0].cbs_code, c.pk]))
    criteria = [
        f"{cr.title} ({cr.weight.normalize():f}%"
        + (f", minimumscore {cr.minimum_score})" if cr.minimum_score is not None else ")")
        for cr in c.criteria.all()
        if cr.parent_id is None
    ]
    tender = {
        "id": f"{ocid(c)}-tender",
        "title": c.title,
        "description": c.goals,
        "status": _tender_status(c),
        "procuringEntity": procuring,
        "value": _money(value),
        "procurementMethod": PROCUREMENT_METHOD[c.route],
        "procurementMethodDetails": str(c.get_route_display()),
        "mainProcurementCategory": "services",
        "awardCriteria": "qualityOnly",
        "awardCriteriaDetails": "Vast budget per perceel; beoordeling alleen op kwaliteit (absolute schaal): "
        + "; ".join(criteria),
        "submissionMethod": ["electronicSubmission"],
        "hasEnquiries": c.questions.filter(clarification__isnull=False).exists(),
        "documents": _documents(c, home),
        "lots": [
            {
                "id": str(lot.number),
                "title": lot.title,
                "description": lot.description or lot.title,
                "value": _money(lot.annual_budget * c.total_years),
                "status": _tender_status(c),
            }
            for lot in lots
        ],
        "milestones": [
            {
                "id": d.kind,
                "title": str(d.get_kind_display()),
                "type": "engagement",
                "dueDate": _iso(d.at),
                "status": "met" if d.at <= date else "scheduled",
            }
            for d in deadlines.values()
        ],
    }
    if c.published_at:
        end = deadlines.get(rules.SUBMISSION_DEADLINE[c.route])
        tender["tenderPeriod"] = {"startDate": _iso(c.published_at), **({"endDate": _iso(end.at)} if end else {})}
        questions = deadlines.get(Deadline.Kind.QUESTIONS)
        if questions:
            tender["enquiryPeriod"] = {"startDate": _iso(c.published_at), "endDate": _iso(questions.at)}
    if c.contract_start:
        end_of_term = _add_years(c.contract_start, c.term_years)
        tender["contractPeriod"] = {
            "startDate": _iso_date(c.contract_start),
            "endDate": _iso_date(end_of_term),
            "maxExtentDate": _iso_date(_add_years(c.contract_start, c.total_years)),
            "durationInDays": (end_of_term - c.contract_start).days,
        }
    amendments = _amendments(c, release_id, tags)
    if amendments:
        tender["amendments"] = amendments
    ocds_tender.extend_tender(c, tender, lots, deadlines, _iso)
    reserved = list(c.reserved_lines.all())
    planning = {
        "rationale": c.goals,
        "budget": {
            "id": f"{ocid(c)}-budget",
            "description": _budget_description(c, lots, reserved),
            "amount": _money(value + sum((r.total for r in reserved), Decimal("0"))),
        },
    }
    release = {
        "ocid": ocid(c),
        "id": release_id,
        "date": _iso(date),
        "tag": tags,
        "initiationType": "tender",
        "language": "nl",
        "parties": parties,
        "buyer": {"id": parties[0]["id"], "name": parties[0]["name"]},
        "planning": planning,
        "tender": tender,
    }
    submissions = bids_ocds.release_section(c, _iso)
    if submissions:
        release["parties"] += submissions["parties"]
        tender["tenderers"] = submissions["tenderers"]
        tender["numberOfTenderers"] = submissions["numberOfTenderers"]
        release["bids"] = submissions["bids"]
    outcome = ocds_award.release_section(c, iso=_iso, iso_date=_iso_date, add_years=_add_years, date=date)
    if outcome:
        for party in release["parties"]:
            if party["id"] in outcome["suppliers"] and "supplier" not in party["roles"]:
                party["roles"].append("supplier")
        release["awards"] = outcome["awards"]
        if outcome["contracts"]:
            release["contracts"] = outcome["contracts"]
    return release


def _amendments(c: Commissioning, release_id: str, tags: list[str]) -> list[dict]:
    """Rectification N is published as the N-th `tenderAmendment` release (possibly the one being built now), which
    amends the release before it."""
    from .models import Release

    sequence = list(Release.objects.filter(commissioning=c).order_by("date", "id").values_list("release_id", "tags"))
    sequence.append((release_id, tags))
    pairs = [(sequence[i - 1][0] if i else None, rid) for i, (rid, t) in enumerate(sequence) if "tenderAmendment" in t]
    amendments = []
    for r, (amends, rid) in zip(c.rectifications.all(), pairs, strict=False):
        amendment = {
            "id": str(r.number),
            "date": _iso(r.published_at),
            "rationale": r.explanation,
            "description": "; ".join(f"{ch['label']}: {ch['before']} → {ch['after']}" for ch in r.changes)
            or r.explanation,
            "releaseID": rid,
        }
        if amends:
            amendment["amendsReleaseID"] = amends
        amendments.append(amendment)
    return amendments


def _budget_description(c, lots, reserved) -> str:
    years = f"{c.term_years} jaar" + (f" + {c.option_count} × {c.option_years} jaar optie" if c.option_count else "")
    parts = [f"Perceel {lot.number} {lot.title}: € {lot.annual_budget:.2f} per jaar" for lot in lots]
    parts += [f"{r.get_kind_display()}: € {r.annual_amount:.2f} per jaar, {r.years} jaar" for r in reserved]
    return f"Looptijd {years}. " + "; ".join(parts)


def _add_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _iso_date(d) -> str:
    return timezone.make_aware(datetime(d.year, d.month, d.day)).isoformat(timespec="seconds")


def package_meta(uri: str) -> dict:
    return {
        "uri": absolute(uri),
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": _iso(timezone.now()),
        "publisher": {"name": "wijkwaarde", "uri": absolute("/")},
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "publicationPolicy": absolute(reverse("publication:ocds_policy")),
    }


def release_package(releases, uri: str) -> dict:
    return {**package_meta(uri), "releases": [r.data for r in releases]}


def record(releases) -> dict:
    """A record: every release of one ocid, and the compiled release (the newest full snapshot)."""
    releases = list(releases)
    compiled = dict(releases[-1].data)
    compiled["id"] = f"{compiled['ocid']}-compiled"
    compiled["tag"] = ["compiled"]
    return {"ocid": releases[0].ocid, "releases": [r.data for r in releases], "compiledRelease": compiled}


def record_package(records: list[dict], uri: str) -> dict:
    return {**package_meta(uri), "records": records}
