"""The two-person opening (Directive 2014/24/EU Annex IV; ADR 0008): openers, confirmations with a second factor in
a time window, decrypting and checking every counting version, and the guard that keeps evaluation waiting."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from bids import access, opening_record, services
from bids.models import Opener, Opening, SealedVersion, Submission
from bids.tests import factories_opening as f
from core.models import Role
from core.testing import user_with_role
from tenders import services as tender_services
from tenders.models import Phase, Route
from tenders.tests.factories import candidate

pytestmark = pytest.mark.django_db
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    c = f.commissioning_with_key()
    a, b = f.operator("Wijkkracht"), f.operator("Buurtwerk Samen")
    va = f.seal(c, a)
    vb = f.seal(c, b)
    return c, va, vb


def test_opening_needs_two_different_openers(world):
    c, va, vb = world
    first, second = f.opener(c), f.opener(c)
    now = f.deadline(c) + MINUTE
    opening = services.confirm_opening(c, first, "bid", f.token(first), now=now)
    assert opening.opened_at is None
    with pytest.raises(ValidationError, match="second, different opener"):
        _same_opener_again(c, first, now)
    va.refresh_from_db()
    assert va.opened_data_key is None
    opening = services.confirm_opening(c, second, "bid", f.token(second), now=now + MINUTE)
    assert opening.opened_at == now + MINUTE
    assert {cf.opener for cf in opening.confirmations.all()} == {first, second}
    for v in (va, vb):
        v.refresh_from_db()
        assert v.opened_data_key
        manifest, files = access.opened_bundle(v)
        assert manifest["version"] == v.number and len(files) == 1
    assert sorted(opening.integrity, key=lambda r: r["version"]) == [
        {"version": va.pk, "ok": True, "problem": ""},
        {"version": vb.pk, "ok": True, "problem": ""},
    ]
    assert opening.record_pdf.name.endswith(".pdf")
    assert AuditEvent.objects.filter(action="bids.opening").count() == 1


def _same_opener_again(c, user, now):
    """The same opener confirms again with a later (fresh) code: refused, a second person is needed."""
    device = TOTPDevice.objects.get(user=user)
    device.last_t = -1  # a fresh code in a later time step
    device.save(update_fields=["last_t"])
    return services.confirm_opening(c, user, "bid", f.token(user), now=now + MINUTE)


def test_opening_refused_before_the_deadline(world):
    c, va, _vb = world
    first = f.opener(c)
    with pytest.raises(ValidationError, match="only be opened after the deadline"):
        services.confirm_opening(c, first, "bid", f.token(first), now=f.deadline(c) - timedelta(seconds=1))
    assert not Opening.objects.exists()
    va.refresh_from_db()
    assert va.opened_data_key is None


def test_second_confirmation_outside_the_window_starts_over(world):
    c, va, _vb = world
    first, second, third = f.opener(c), f.opener(c), f.opener(c)
    start = f.deadline(c) + MINUTE
    services.confirm_opening(c, first, "bid", f.token(first), now=start)
    late = start + timedelta(minutes=30, seconds=1)
    opening = services.confirm_opening(c, second, "bid", f.token(second), now=late)
    assert opening.opened_at is None, "the first confirmation lapsed: the second one starts over"
    assert [cf.opener for cf in opening.confirmations.all()] == [second]
    assert opening.started_at == late
    opening = services.confirm_opening(c, third, "bid", f.token(third), now=late + timedelta(minutes=29))
    assert opening.opened_at == late + timedelta(minutes=29)
    assert {cf.opener for cf in opening.confirmations.all()} == {second, third}


def test_opening_without_second_factor_refused(world):
    c, va, _vb = world
    first, second = f.opener(c), f.opener(c)
    now = f.deadline(c) + MINUTE
    services.confirm_opening(c, first, "bid", f.token(first), now=now)
    wrong = f"{(int(f.token(second)) + 1) % 1000000:06d}"
    for bad in (wrong, "", "abcdef"):
        with pytest.raises(ValidationError, match="code of your authenticator"):
            services.confirm_opening(c, second, "bid", bad, now=now + MINUTE)
    assert Opening.objects.get().opened_at is None
    va.refresh_from_db()
    assert va.opened_data_key is None
    assert AuditEvent.objects.filter(action="bids.opening_second_factor_failed").count() == 3


def test_opener_without_authenticator_cannot_be_appointed():
    c = f.commissioning_with_key()
    no_device = f.municipal_user(c)
    TOTPDevice.objects.filter(user=no_device).delete()
    with pytest.raises(ValidationError, match="confirmed authenticator"):
        services.appoint_opener(c, f.the_officer(c), no_device)
    other_municipality = user_with_role(Role.POLICY_ADVISOR, f.commissioning_with_key().municipality)
    with pytest.raises(ValidationError, match="municipal user"):
        services.appoint_opener(c, f.the_officer(c), other_municipality)
    advisor = f.municipal_user(c)
    with pytest.raises(ValidationError, match="Only the procurement officer"):
        services.appoint_opener(c, advisor, f.municipal_user(c))
    assert not Opener.objects.exists()


def test_removed_opener_confirmation_lapses(world):
    c, _va, _vb = world
    first, second = f.opener(c), f.opener(c)
    now = f.deadline(c) + MINUTE
    services.confirm_opening(c, first, "bid", f.token(first), now=now)
    services.remove_opener(Opener.objects.get(user=first), f.the_officer(c))
    opening = services.confirm_opening(c, second, "bid", f.token(second), now=now + MINUTE)
    assert opening.opened_at is None
    with pytest.raises(ValidationError, match="appointed opener"):
        services.confirm_opening(c, first, "bid", f.token(first), now=now + MINUTE)


def test_only_counting_versions_are_opened(world):
    c, va, vb = world
    va2 = f.seal(c, va.submission.lead)  # replaces va
    withdrawn = f.seal(c, f.operator("Teruggetrokken"), withdrawn_at=f.deadline(c) - timedelta(minutes=30))
    f.open_submissions(c, f.opener(c), f.opener(c))
    opened = set(SealedVersion.objects.filter(opened_data_key__isnull=False).values_list("pk", flat=True))
    assert opened == {va2.pk, vb.pk}
    assert withdrawn.pk not in opened and va.pk not in opened


def test_tampered_version_is_recorded_as_integrity_failure(world):
    c, va, vb = world
    blob = va.sealed_blob.open("rb").read()
    va.sealed_blob.storage.delete(va.sealed_blob.name)
    from django.core.files.base import ContentFile

    va.sealed_blob.storage.save(va.sealed_blob.name, ContentFile(blob[:-1] + bytes([blob[-1] ^ 1])))
    vb.receipt_sha256 = "0" * 64
    vb.save(update_fields=["receipt_sha256"])
    opening = f.open_submissions(c, f.opener(c), f.opener(c))
    results = {r["version"]: r for r in opening.integrity}
    assert results[va.pk] == {"version": va.pk, "ok": False, "problem": "undecryptable"}
    assert results[vb.pk]["problem"] == "receipt_mismatch"
    assert AuditEvent.objects.get(action="bids.opening").summary["integrity_failures"] == 2


def test_record_lists_everything(world):
    c, va, vb = world
    va2 = f.seal(c, va.submission.lead)
    from bids.models import LateAttempt

    late_at = f.deadline(c) + timedelta(seconds=3)
    LateAttempt.objects.create(commissioning=c, operator=vb.submission.lead, attempted_at=late_at)
    first, second = (
        f.opener(c, first_name="Anna", last_name="Opener"),
        f.opener(c, first_name="Bram", last_name="Tweede"),
    )
    opening = f.open_submissions(c, first, second)
    context = opening_record.record_context(opening)
    (section,) = context["sections"]
    assert [v.pk for v in section.counting] == [vb.pk, va2.pk]
    assert [v.pk for v in section.superseded] == [va.pk]
    assert [a.attempted_at for a in context["late_attempts"]] == [late_at]
    assert [cf.opener for cf in context["confirmations"]] == [first, second]
    assert opening.record_pdf.open("rb").read().startswith(b"%PDF")


def test_evaluation_needs_opened_bids(world):
    c, _va, _vb = world
    officer = f.the_officer(c)
    after = f.deadline(c) + MINUTE
    with pytest.raises(ValidationError, match="Open the bids first"):
        tender_services.transition(c, officer, Phase.EVALUATION, now=after)
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING
    f.open_submissions(c, f.opener(c), f.opener(c))
    tender_services.transition(c, officer, Phase.EVALUATION, now=after + timedelta(minutes=10))
    c.refresh_from_db()
    assert c.phase == Phase.EVALUATION


def test_evaluation_without_any_bid_needs_no_opening():
    c = f.commissioning_with_key()
    tender_services.transition(c, f.the_officer(c), Phase.EVALUATION, now=f.deadline(c) + MINUTE)
    c.refresh_from_db()
    assert c.phase == Phase.EVALUATION


def test_requests_are_opened_before_the_selection_ends():
    c = f.commissioning_with_key(route=Route.PRESELECTION)
    officer = f.the_officer(c)
    request = f.seal(c, f.operator("Verzoeker"), kind=Submission.Kind.REQUEST)
    candidate(c, "A", admit=True, user=officer)
    after = f.deadline(c, f.K.REQUESTS) + timedelta(minutes=2)
    with pytest.raises(ValidationError, match="Open the requests to participate first"):
        tender_services.transition(c, officer, Phase.INVITATION, now=after)
    opening = f.open_submissions(c, f.opener(c), f.opener(c), kind=Submission.Kind.REQUEST)
    request.refresh_from_db()
    assert opening.kind == "request" and request.opened_data_key
    # The opened request became a candidate (ADR 0011): the stage ends when it is decided too.
    verzoeker = request.submission.candidate
    tender_services.decide_candidate(verzoeker, officer, admit=False, reasons="Onvolledig.", now=after)
    tender_services.transition(c, officer, Phase.INVITATION, now=after + timedelta(minutes=10))


def test_opening_sends_submissions_opened_for_the_open_data(world):
    """The opening tells the procedure's receivers (ADR 0007): publication stores a release naming the tenderers."""
    from publication.models import Release
    from tenders import events

    c, _va, _vb = world
    received = []

    def receiver(sender, kind, commissioning, actor, payload, **kwargs):
        received.append((kind, commissioning.pk, payload["opening"].opened_at is not None, payload["message"]))

    events.procedure_changed.connect(receiver, dispatch_uid="test.opening")
    try:
        first = f.opener(c)
        services.confirm_opening(c, first, "bid", f.token(first), now=f.deadline(c) + MINUTE)
        assert received == []
        second = f.opener(c)
        services.confirm_opening(c, second, "bid", f.token(second), now=f.deadline(c) + 2 * MINUTE)
    finally:
        events.procedure_changed.disconnect(dispatch_uid="test.opening")
    assert received == [(events.SUBMISSIONS_OPENED, c.pk, True, "The bids were opened.")]
    release = Release.objects.filter(commissioning=c).order_by("date", "id").last()
    assert release.data["tender"]["numberOfTenderers"] == 2
