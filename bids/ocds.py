"""What the open data tells about the submissions of a commissioning (OCDS 1.1.5 with the bids extension).

Nothing before the opening: not who submitted, not how many. Once the bids (or requests) are opened, the release
carries every operator of every counting submission in `parties` — the lead and the consortium members with role
`tenderer`, subcontractors with role `subcontractor` (partyRole is an open codelist), each with its place in the
consortium in `details` — the tenderers in `tender.tenderers`, and the bid statistics and details in the `bids`
section of the bids extension. Called by publication when it builds a release; reads models only.
"""

from django.utils import timezone

from .models import Opening, Participation, SealedVersion, Submission

BIDS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"
)

CONSORTIUM_ROLE = {
    Participation.Ring.LEAD: "lead",
    Participation.Ring.MEMBER: "member",
    Participation.Ring.SUBCONTRACTOR: "subcontractor",
    Participation.Ring.SUB_SUBCONTRACTOR: "subcontractor",
}
TENDERER_RINGS = (Participation.Ring.LEAD, Participation.Ring.MEMBER)


def party_id(operator) -> str:
    if operator.kvk_number:
        return f"NL-KVK-{operator.kvk_number}"
    return f"{operator.country}-REG-{operator.foreign_registration}"


def _party(operator, roles: list[str], places: list[dict]) -> dict:
    identifier = (
        {"scheme": "NL-KVK", "id": operator.kvk_number, "legalName": operator.name}
        if operator.kvk_number
        else {"id": operator.foreign_registration, "legalName": operator.name}
    )
    return {
        "id": party_id(operator),
        "name": operator.name,
        "identifier": identifier,
        "address": {
            "streetAddress": operator.street,
            "postalCode": operator.postcode,
            "locality": operator.city,
            "countryName": operator.country,
        },
        "roles": roles,
        "details": {"consortia": places},
    }


def opened_kinds(commissioning) -> set[str]:
    return set(
        Opening.objects.filter(commissioning=commissioning, opened_at__isnull=False).values_list("kind", flat=True)
    )


def counting_versions(commissioning, kinds) -> list[SealedVersion]:
    """The version that counts of every submitted submission of these kinds (the last one, not withdrawn)."""
    return list(
        SealedVersion.objects.filter(
            submission__commissioning=commissioning,
            submission__kind__in=kinds,
            submission__status=Submission.Status.SUBMITTED,
            withdrawn_at__isnull=True,
            superseded_at__isnull=True,
        )
        .select_related("submission__lot", "submission__lead")
        .order_by("submission__lot__number", "received_at", "pk")
    )


def release_section(commissioning, iso) -> dict | None:
    """{"parties": [...], "tenderers": [...], "numberOfTenderers": n, "bids": {...}} once something is opened;
    None before. `iso` formats a datetime like the rest of the release."""
    kinds = opened_kinds(commissioning)
    if not kinds:
        return None
    versions = counting_versions(commissioning, kinds)
    submissions = [v.submission for v in versions]
    participations = list(
        Participation.objects.filter(submission__in=submissions, status=Participation.Status.CONFIRMED)
        .select_related("operator")
        .order_by("submission_id", "ring", "pk")
    )
    submission_by_id = {s.pk: s for s in submissions}
    by_submission: dict[int, list[Participation]] = {}
    for p in participations:
        by_submission.setdefault(p.submission_id, []).append(p)

    parties: dict[str, dict] = {}
    for p in participations:
        role = "tenderer" if p.ring in TENDERER_RINGS else "subcontractor"
        party = parties.setdefault(party_id(p.operator), _party(p.operator, [], []))
        if role not in party["roles"]:
            party["roles"].append(role)
        submission = submission_by_id[p.submission_id]
        party["details"]["consortia"].append(
            {
                "bid": _bid_id(submission),
                "consortiumRole": CONSORTIUM_ROLE[p.ring],
                "ring": p.ring,
                **({"role": p.role} if p.role else {}),
            }
        )

    def ref(operator) -> dict:
        return {"id": party_id(operator), "name": operator.name}

    tenderers = {}
    details, per_lot, requests = [], {}, 0
    for version in versions:
        submission = version.submission
        members = [p for p in by_submission.get(submission.pk, []) if p.ring in TENDERER_RINGS]
        for p in members:
            tenderers.setdefault(party_id(p.operator), ref(p.operator))
        if submission.kind == Submission.Kind.REQUEST:
            requests += 1
            continue
        per_lot[submission.lot.number] = per_lot.get(submission.lot.number, 0) + 1
        details.append(
            {
                "id": _bid_id(submission),
                "date": iso(version.received_at),
                "status": "pending",
                "tenderers": [ref(p.operator) for p in members],
                "relatedLots": [str(submission.lot.number)],
            }
        )
    statistics = [
        {"id": f"bids-lot-{number}", "measure": "bids", "value": count, "relatedLot": str(number)}
        for number, count in sorted(per_lot.items())
    ]
    statistics += [
        {"id": f"electronic-bids-lot-{number}", "measure": "electronicBids", "value": count, "relatedLot": str(number)}
        for number, count in sorted(per_lot.items())
    ]
    if Submission.Kind.REQUEST in kinds:
        statistics.append({"id": "requests", "measure": "requests", "value": requests})
    date = iso(timezone.now())
    for s in statistics:
        s["date"] = date
    return {
        "parties": list(parties.values()),
        "tenderers": list(tenderers.values()),
        "numberOfTenderers": len(tenderers),
        "bids": {"statistics": statistics, "details": details},
    }


def _bid_id(submission) -> str:
    return f"{submission.kind}-{submission.pk}"
