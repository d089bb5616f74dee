"""Drafts: who may start and edit them, answers within the limit, attachments checked by content, confidential
marks, and encryption of everything a bidder writes (issue 11)."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from bids import demo, envelope, services
from bids.models import CommissioningKey, DraftItem, OperatorMatch, Participation, Submission, SubmissionRules
from tenders.models import Deadline, Route
from tenders.tests.factories import advance_to, candidate, published

from .factories_b1 import leaf_criteria, make_operator, office_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def test_publishing_creates_the_commissioning_key_once(commissioning, officer):
    key = CommissioningKey.objects.get(commissioning=commissioning)
    assert len(bytes(key.public_key)) == 32
    assert services.ensure_commissioning_key(commissioning, officer) == key
    assert CommissioningKey.objects.filter(commissioning=commissioning).count() == 1


def test_lead_participation_is_created_confirmed_with_the_draft(draft, lead):
    participation = draft.participations.get()
    assert participation.operator == lead[0]
    assert participation.ring == Participation.Ring.LEAD
    assert participation.status == Participation.Status.CONFIRMED
    assert draft.draft_key.kek_id


def test_only_a_member_of_the_lead_may_start_a_submission(commissioning, lead):
    operator, _user = lead
    _other, stranger = make_operator("Ander")
    with pytest.raises(ValidationError, match="do not act for this organisation"):
        services.create_submission(stranger, operator, commissioning, kind="bid", lot=commissioning.lots.first())


def test_operator_without_confirmed_email_may_not_bid(commissioning):
    operator, user = make_operator("Onbevestigd", confirmed=False)
    with pytest.raises(ValidationError, match="Confirm your organisation"):
        services.create_submission(user, operator, commissioning, kind="bid", lot=commissioning.lots.first())


def test_after_preselection_only_invited_candidates_may_bid(municipality, officer):
    c = published(municipality, route=Route.PRESELECTION, user=officer)
    admitted = candidate(c, "Toegelaten", admit=True, user=officer)
    candidate(c, "Afgewezen", admit=False, user=officer)
    advance_to(c, officer, "invitation")
    invited, user = make_operator("Toegelaten BV")
    OperatorMatch.objects.create(
        operator=invited, organisation=admitted.organisation, status="confirmed", proposed_at=c.published_at
    )
    outsider, outsider_user = make_operator("Buitenstaander")
    lot = c.lots.first()
    with pytest.raises(ValidationError, match="Only invited candidates"):
        services.create_submission(outsider_user, outsider, c, kind="bid", lot=lot)
    assert services.create_submission(user, invited, c, kind="bid", lot=lot).kind == Submission.Kind.BID


def test_request_to_participate_only_in_the_selection_stage_until_its_deadline(municipality, officer):
    c = published(municipality, route=Route.PRESELECTION, user=officer)
    operator, user = make_operator("Aanvrager")
    deadline = c.deadlines.get(kind=Deadline.Kind.REQUESTS).at
    with time_machine.travel(deadline, tick=False), pytest.raises(ValidationError, match="deadline has passed"):
        services.create_submission(user, operator, c, kind="request")
    with time_machine.travel(deadline - timedelta(seconds=1), tick=False):
        request = services.create_submission(user, operator, c, kind="request", lot=c.lots.first())
    assert request.lot is None


def test_answer_is_stored_encrypted_and_readable_by_the_bidder(draft, lead):
    criterion = leaf_criteria(draft.commissioning)[0]
    item = services.save_answer(draft, lead[1], criterion, "Ons plan voor de Stevenshof.")
    assert b"Stevenshof" not in bytes(item.ciphertext)
    assert envelope.read_draft(draft)["answers"][criterion.pk]["text"] == "Ons plan voor de Stevenshof."


def test_answer_longer_than_the_commissioning_allows_is_refused(draft, lead):
    SubmissionRules.objects.create(commissioning=draft.commissioning, answer_max_chars=10)
    with pytest.raises(ValidationError, match="at most 10 characters"):
        services.save_answer(draft, lead[1], leaf_criteria(draft.commissioning)[0], "x" * 11)
    assert not draft.draft_items.exists()


def test_answer_only_to_a_leaf_criterion_of_this_commissioning(draft, lead, municipality, officer):
    other = published(municipality, user=officer)
    with pytest.raises(ValidationError, match="award criterion of this commissioning"):
        services.save_answer(draft, lead[1], other.criteria.first(), "tekst")


def test_file_type_checked_by_content(draft, lead):
    user = lead[1]
    with pytest.raises(ValidationError, match="Only PDF, Word"):
        services.add_file(draft, user, name="plan.pdf", content=b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError, match="Only PDF, Word"):
        services.add_file(draft, user, name="plan.docx", content=office_bytes("ppt"))
    files = [
        services.add_file(draft, user, name="begroting.exe", content=pdf_bytes("x")),
        services.add_file(draft, user, name="plan", content=office_bytes("word")),
        services.add_file(draft, user, name="cijfers", content=office_bytes("xl")),
    ]
    types = [f["media_type"] for f in envelope.read_draft(draft)["files"]]
    assert types == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
    assert len(files) == 3


def test_file_and_submission_size_limits(draft, lead):
    SubmissionRules.objects.create(commissioning=draft.commissioning, file_max_bytes=100, submission_max_bytes=150)
    user = lead[1]
    with pytest.raises(ValidationError, match="A file may be at most"):
        services.add_file(draft, user, name="groot.pdf", content=pdf_bytes("x" * 200))
    services.add_file(draft, user, name="a.pdf", content=pdf_bytes("x" * 70))
    with pytest.raises(ValidationError, match="All files together"):
        services.add_file(draft, user, name="b.pdf", content=pdf_bytes("y" * 70))
    assert draft.draft_items.count() == 1


def test_file_is_encrypted_on_disk_with_its_name(draft, lead):
    content = pdf_bytes("geheime-begroting")
    item = services.add_file(draft, lead[1], name="begroting-2027.pdf", content=content)
    with item.blob.open("rb") as handle:
        on_disk = handle.read()
    assert b"geheime-begroting" not in on_disk and "begroting-2027" not in item.blob.name
    assert envelope.read_draft(draft, with_content=True)["files"][0]["content"] == content


def test_confidential_mark_needs_a_reason_aw_2_57(draft, lead):
    criterion = leaf_criteria(draft.commissioning)[0]
    with pytest.raises(ValidationError, match="confidential"):
        services.save_answer(draft, lead[1], criterion, "tekst", confidential=True)
    item = services.save_answer(
        draft, lead[1], criterion, "tekst", confidential=True, confidential_reason="Bedrijfsgeheim"
    )
    assert item.confidential and item.confidential_reason == ""  # the reason is stored encrypted
    assert envelope.read_draft(draft)["answers"][criterion.pk]["confidential_reason"] == "Bedrijfsgeheim"
    item = services.mark_confidential(item, lead[1], confidential=False)
    assert not item.confidential


def test_confirmed_participants_edit_the_draft_pending_and_strangers_do_not(draft, lead):
    member, member_user = make_operator("Lid")
    participation = Participation.objects.create(
        submission=draft, operator=member, ring=1, status="pending", invited_at=draft.created_at
    )
    criterion = leaf_criteria(draft.commissioning)[0]
    with pytest.raises(PermissionDenied):
        services.save_answer(draft, member_user, criterion, "tekst van het lid")
    participation.status = "confirmed"
    participation.save()
    services.save_answer(draft, member_user, criterion, "tekst van het lid")
    assert DraftItem.objects.filter(submission=draft).count() == 1


def test_removing_a_file(draft, lead):
    item = services.add_file(draft, lead[1], name="a.pdf", content=pdf_bytes())
    services.remove_file(item, lead[1])
    assert not draft.draft_items.exists()


def test_commissionings_published_before_bids_get_their_key_once(commissioning):
    CommissioningKey.objects.filter(commissioning=commissioning).delete()
    assert demo.ensure_keys(io.StringIO()) == 1
    assert demo.ensure_keys(io.StringIO()) == 0
    assert CommissioningKey.objects.filter(commissioning=commissioning).count() == 1
