"""The candidates of opened requests to participate (ADR 0011): when two openers have opened the requests, every
counting version becomes one `tenders.Candidate` through the tenders service, with the participation structure of
the sealed manifest, and its submission is linked to it. Runs inside the opening's transaction (called by
bids.services.opening); a withdrawn request, a draft or a late attempt has no counting version and no candidate."""

from tenders import services as tender_services

from ..models import OperatorMatch, Participation, Submission


def _registration(operator: dict) -> str:
    return operator.get("kvk_number") or operator.get("foreign_registration") or ""


def _members_from_manifest(manifest: dict) -> list[dict]:
    """The confirmed participants of a sealed request, lead first (ring 0, then 1–3), as tenders stores them."""
    rows = [
        {
            "name": p["operator"]["name"],
            "ring": p["ring"],
            "role": p.get("role", ""),
            "registration": _registration(p["operator"]),
        }
        for p in manifest.get("participations", [])
        if p.get("status") == Participation.Status.CONFIRMED
    ]
    if not any(r["ring"] == Participation.Ring.LEAD for r in rows):
        lead = manifest["lead"]
        rows.insert(0, {"name": lead["name"], "ring": 0, "role": "", "registration": _registration(lead)})
    return sorted(rows, key=lambda r: r["ring"])


def _members_from_rows(submission) -> list[dict]:
    """The same from the database, for a version whose sealed bundle could not be read (the opening record lists it)."""
    participations = submission.participations.filter(status=Participation.Status.CONFIRMED).select_related("operator")
    rows = [
        {
            "name": p.operator.name,
            "ring": p.ring,
            "role": p.role,
            "registration": p.operator.kvk_number or p.operator.foreign_registration or "",
        }
        for p in participations.order_by("ring", "id")
    ]
    if not any(r["ring"] == 0 for r in rows):
        lead = submission.lead
        rows.insert(0, {"name": lead.name, "ring": 0, "role": "", "registration": lead.kvk_number or ""})
    return rows


def _organisation(commissioning, operator_id):
    """The landscape organisation of one of the commissioning's municipalities the operator is confirmed to be."""
    match = (
        OperatorMatch.objects.filter(
            operator_id=operator_id,
            status=OperatorMatch.Status.CONFIRMED,
            organisation__municipality__in=commissioning.municipalities(),
        )
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return match.organisation if match else None


def _create_candidates(commissioning, user, versions_and_manifests, now) -> list:
    """`versions_and_manifests`: the counting versions of the opened requests with their opened manifest (None when
    the bundle could not be read). Returns the created candidates."""
    created = []
    for version, manifest in versions_and_manifests:
        submission = Submission.objects.select_for_update().select_related("lead").get(pk=version.submission_id)
        if submission.kind != Submission.Kind.REQUEST or submission.candidate_id is not None:
            continue
        if manifest is not None:
            name, members = manifest.get("consortium_name", ""), _members_from_manifest(manifest)
        else:
            name, members = submission.consortium_name, _members_from_rows(submission)
        candidate = tender_services.register_candidate(
            commissioning,
            user,
            display_name=name or submission.lead.name,
            members=members,
            organisation=_organisation(commissioning, submission.lead_id),
            applied_by=version.submitted_by or submission.created_by,
            applied_at=version.received_at,
            now=now,
        )
        submission.candidate = candidate
        submission.save(update_fields=["candidate"])
        created.append(candidate)
    return created
