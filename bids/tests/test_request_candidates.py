"""ADR 0011: the two-person opening of the requests to participate creates one tenders.Candidate per counting
request, with the consortium of the sealed request (lead, members, subcontractors); nothing before the opening,
nothing for a withdrawn, late or never submitted request; the selection decisions then work on these candidates."""

import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from audit.models import AuditEvent
from bids import opening_record, services
from bids.models import LateAttempt, OperatorMatch, Participation, Submission
from bids.tests import factories_opening as f
from landscape.models import Organisation
from tenders import selectors, time_limits
from tenders import services as tender_services
from tenders.models import Candidate, Phase, Route

pytestmark = pytest.mark.django_db
REQUEST = Submission.Kind.REQUEST
R = Participation.Ring


@pytest.fixture
def c():
    return f.commissioning_with_key(route=Route.PRESELECTION)


def _matched(c, operator):
    """The municipality confirmed that `operator` is this landscape organisation."""
    org = Organisation.objects.create(municipality=c.municipality, name=operator.name, kind="large_welfare")
    OperatorMatch.objects.create(operator=operator, organisation=org, status="confirmed", proposed_at=timezone.now())
    return org


def _two_requests(c):
    lead, member, sub = f.operator("Wijkkracht"), f.operator("Buurthuis De Linde"), f.operator("Klein Samen")
    consortium = f.seal(
        c,
        lead,
        kind=REQUEST,
        consortium_name="Samen Sterk",
        partners=[(member, R.MEMBER, "activiteiten"), (sub, R.SUBCONTRACTOR, "vervoer")],
    )
    alone = f.seal(c, f.operator("Buurtwerk Noord"), kind=REQUEST)
    return consortium, alone


def test_opening_two_requests_creates_two_candidates_with_their_consortium_members(c):
    consortium, alone = _two_requests(c)
    org = _matched(c, consortium.submission.lead)
    opening = f.open_submissions(c, f.opener(c), f.opener(c), kind=REQUEST)
    assert c.candidates.count() == 2
    consortium.submission.refresh_from_db()
    alone.submission.refresh_from_db()
    samen, noord = consortium.submission.candidate, alone.submission.candidate
    assert (samen.name, samen.organisation, samen.status) == ("Samen Sterk", org, Candidate.Status.APPLIED)
    assert [(m["name"], m["ring"], m["role"]) for m in samen.members] == [
        ("Wijkkracht", 0, "penvoerder"),
        ("Buurthuis De Linde", 1, "activiteiten"),
        ("Klein Samen", 2, "vervoer"),
    ]
    assert samen.members[1]["registration"] == consortium.submission.participations.get(ring=1).operator.kvk_number
    assert samen.applied_at == consortium.received_at and samen.is_consortium
    assert (noord.name, noord.organisation, noord.is_consortium) == ("Buurtwerk Noord", None, False)
    assert AuditEvent.objects.filter(action="tenders.candidate_register").count() == 2
    assert AuditEvent.objects.get(action="bids.opening", object_id=str(opening.pk)).summary["candidates"] == 2
    # The opening record lists the candidates it registered, with the lead and how many others take part.
    with translation.override("nl"):
        rows = opening_record.record_context(opening)["candidates"]
    assert sorted((r["name"], r["lead"], r["others"]) for r in rows) == [
        ("Buurtwerk Noord", "Buurtwerk Noord", 0),
        ("Samen Sterk", "Wijkkracht", 2),
    ]
    with opening.record_pdf.open("rb") as pdf:
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.read(), check=True, capture_output=True).stdout
    text = " ".join(text.decode().split())
    assert "Gegadigden die deze opening heeft geregistreerd" in text
    assert "Samen Sterk" in text and "Buurtwerk Noord" in text


def test_a_withdrawn_late_or_unsent_request_creates_no_candidate(c):
    deadline = f.deadline(c, f.K.REQUESTS)
    counted = f.seal(c, f.operator("Telt"), kind=REQUEST)
    withdrawn = f.seal(c, f.operator("Teruggetrokken"), kind=REQUEST, withdrawn_at=deadline - timedelta(minutes=30))
    late_lead = f.operator("Te Laat")
    late = Submission.objects.create(commissioning=c, kind=REQUEST, lead=late_lead, created_at=deadline)
    LateAttempt.objects.create(commissioning=c, submission=late, operator=late_lead, attempted_at=deadline)
    Submission.objects.create(commissioning=c, kind=REQUEST, lead=f.operator("Concept"), created_at=deadline)
    f.open_submissions(c, f.opener(c), f.opener(c), kind=REQUEST)
    assert [k.name for k in c.candidates.all()] == ["Telt"]
    withdrawn.submission.refresh_from_db()
    assert withdrawn.submission.candidate is None and Submission.objects.filter(candidate__isnull=False).get() == (
        counted.submission
    )


def test_no_candidate_exists_before_the_opening_art_22_3(c):
    _two_requests(c)
    first = f.opener(c)
    with pytest.raises(ValidationError, match="only be opened after the deadline"):
        services.confirm_opening(c, first, REQUEST, f.token(first), now=f.deadline(c, f.K.REQUESTS) - timedelta(1))
    services.confirm_opening(c, first, REQUEST, f.token(first), now=f.deadline(c, f.K.REQUESTS) + timedelta(minutes=1))
    assert not c.candidates.exists()  # one opener confirmed: still sealed
    assert not AuditEvent.objects.filter(action="tenders.candidate_register").exists()


def test_a_request_whose_bundle_cannot_be_read_still_becomes_a_candidate_from_its_participations(c):
    consortium, _alone = _two_requests(c)
    blob = consortium.sealed_blob.open("rb").read()
    consortium.sealed_blob.storage.delete(consortium.sealed_blob.name)
    consortium.sealed_blob.storage.save(consortium.sealed_blob.name, ContentFile(blob[:-1] + bytes([blob[-1] ^ 1])))
    opening = f.open_submissions(c, f.opener(c), f.opener(c), kind=REQUEST)
    assert {r["problem"] for r in opening.integrity} == {"undecryptable", ""}
    consortium.submission.refresh_from_db()
    samen = consortium.submission.candidate
    assert samen.name == "Samen Sterk" and [m["ring"] for m in samen.members] == [0, 1, 2]


def test_the_selection_decides_on_the_candidates_of_the_opened_requests(c):
    consortium, alone = _two_requests(c)
    org = _matched(c, consortium.submission.lead)
    officer = f.the_officer(c)
    now = f.deadline(c, f.K.REQUESTS) + timedelta(minutes=20)
    f.open_submissions(c, f.opener(c), f.opener(c), kind=REQUEST)
    samen, noord = c.candidates.order_by("applied_at", "id")
    with pytest.raises(ValidationError, match="undecided"):
        tender_services.transition(c, officer, Phase.INVITATION, now=now)
    tender_services.decide_candidate(samen, officer, admit=True, score=75, now=now)
    tender_services.decide_candidate(noord, officer, admit=False, reasons="Geen ervaring met dagopvang.", now=now)
    tender_services.transition(c, officer, Phase.INVITATION, now=now)
    c.refresh_from_db()
    assert c.phase == Phase.INVITATION and selectors.invited(c, org.pk)


def test_an_admitted_candidate_without_a_landscape_match_is_invited_to_bid_through_its_request(c):
    from bids.tests.factories_b1 import make_operator
    from tenders.tests.factories import advance_to

    (admitted, admitted_user), (rejected, rejected_user) = make_operator("Nieuw Initiatief"), make_operator("Afgewezen")
    f.seal(c, admitted, kind=REQUEST)
    f.seal(c, rejected, kind=REQUEST)
    officer = f.the_officer(c)
    f.open_submissions(c, f.opener(c), f.opener(c), kind=REQUEST)
    now = f.deadline(c, f.K.REQUESTS) + timedelta(minutes=20)
    nieuw, afgewezen = (Submission.objects.get(lead=op, kind=REQUEST).candidate for op in (admitted, rejected))
    assert nieuw.organisation is None
    tender_services.decide_candidate(nieuw, officer, admit=True, score=70, now=now)
    tender_services.decide_candidate(afgewezen, officer, admit=False, reasons="Geen ervaring.", now=now)
    advance_to(c, officer, Phase.INVITATION)
    lot = c.lots.first()
    with pytest.raises(ValidationError, match="Only invited candidates"):
        services.create_submission(rejected_user, rejected, c, kind="bid", lot=lot)
    assert services.create_submission(admitted_user, admitted, c, kind="bid", lot=lot).kind == Submission.Kind.BID


def test_the_lead_operator_of_an_unmatched_request_sees_its_candidate_and_its_dialogue(client):
    from django.urls import reverse

    from bids.tests.factories_b1 import make_operator
    from core.testing import login
    from tenders.tests.factories import advance_to

    c = f.commissioning_with_key(route=Route.COMPETITIVE_DIALOGUE)
    (lead, lead_user), (other, _other_user) = make_operator("Nieuw Initiatief"), make_operator("Ander Initiatief")
    f.seal(c, lead, kind=REQUEST, consortium_name="Samen Nieuw")
    f.seal(c, other, kind=REQUEST)
    f.open_submissions(c, f.opener(c), f.opener(c), kind=REQUEST)
    officer = f.the_officer(c)
    now = f.deadline(c, f.K.REQUESTS) + timedelta(minutes=20)
    mine, theirs = (Submission.objects.get(lead=op, kind=REQUEST).candidate for op in (lead, other))
    tender_services.decide_candidate(mine, officer, admit=True, score=80, now=now)
    tender_services.decide_candidate(theirs, officer, admit=True, score=70, now=now)
    login(client, lead_user)
    page = client.get(reverse("tenders:apply", args=[c.municipality.cbs_code, c.pk])).content.decode()
    assert "Samen Nieuw" in page and "Ander Initiatief" not in page
    advance_to(c, officer, Phase.DIALOGUE_1)
    tender_services.record_dialogue_session(mine, officer, held_at=timezone.now(), minutes="Ons verslag.")
    tender_services.record_dialogue_session(theirs, officer, held_at=timezone.now(), minutes="Hun verslag.")
    dialogue = client.get(reverse("tenders:dialogue", args=[c.municipality.cbs_code, c.pk])).content.decode()
    assert "Ons verslag." in dialogue and "Hun verslag." not in dialogue
    outsider = make_operator("Buitenstaander")[1]
    assert time_limits.may_ask_in_round(lead_user, c) and not time_limits.may_ask_in_round(outsider, c)
    client.logout()
    login(client, outsider)
    assert client.get(reverse("tenders:dialogue", args=[c.municipality.cbs_code, c.pk])).status_code == 403
