"""Directive 2014/24/EU Annex IV, "Requirements relating to tools and devices for the electronic receipt of tenders,
requests for participation as well as plans and projects in contests": one test per requirement (a)–(g).

The tools must at least guarantee, through technical means and appropriate procedures, that
(a) the exact time and date of the receipt of tenders, requests to participate and plans and projects can be
    determined precisely;
(b) it can be reasonably ensured that, before the time limits laid down, no-one can have access to data transmitted;
(c) only authorised persons may set or change the dates for opening data received;
(d) during the different stages of the procedure, access to all data submitted, or to part thereof, must be possible
    only for authorised persons;
(e) only authorised persons may give access to data transmitted and only after the prescribed date;
(f) data received and opened in accordance with these requirements must remain accessible only to persons
    authorised to acquaint themselves therewith;
(g) where the access prohibitions or conditions referred to in points (b) to (f) are infringed or there is an attempt
    to do so, it may be reasonably ensured that the infringements or attempts are clearly detectable.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from bids import access, opening_record, opening_rules, services
from bids.models import Opening, SealedVersion
from bids.tests import factories_opening as f
from core.models import Role
from core.testing import login, user_with_role
from tenders import services as tender_services
from tenders.tests.factories import provider

pytestmark = pytest.mark.django_db
SECRET = "Ons geheime plan voor de wijk"
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    """Domain messages are matched in English; pages are requested in Dutch as users see them."""
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    c = f.commissioning_with_key()
    lead = f.operator("Wijkkracht")
    received = f.deadline(c) - timedelta(seconds=1, microseconds=250)
    version = f.seal(c, lead, received_at=received, answers=[(c.criteria.first().pk, SECRET)])
    return c, version


def opened_url(c, version, *rest):
    name = "bids:opened_file" if rest else "bids:opened_submission"
    return reverse(name, args=[c.municipality.cbs_code, c.pk, version.submission_id, *rest])


def test_annex_iv_a_exact_time_of_receipt(world):
    """The time of receipt is kept to the microsecond and the opening record states it to the second, next to the
    receipt hash; a submission one second before the deadline is listed as on time."""
    c, version = world
    version.refresh_from_db()
    assert version.received_at == f.deadline(c) - timedelta(seconds=1, microseconds=250)
    opening = f.open_submissions(c, f.opener(c), f.opener(c))
    context = opening_record.record_context(opening)
    (listed,) = context["sections"][0].counting
    assert listed.received_at == version.received_at and listed.receipt_sha256 == version.receipt_sha256
    with translation.override("nl"):
        html = render_to_string("bids/opening_record_pdf.html", context)
    local = version.received_at.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert local.strftime("%H:%M:%S") in html
    assert version.receipt_sha256 in html


def test_annex_iv_b_no_access_before_the_deadline(client, world, settings):
    """Before the deadline nobody opens: the opening is refused, nothing holds a key to read with, the officer's
    page refuses, and storage holds ciphertext only."""
    c, version = world
    first, second = f.opener(c), f.opener(c)
    before = f.deadline(c) - timedelta(seconds=1)
    for user in (first, second):
        with pytest.raises(ValidationError):
            services.confirm_opening(c, user, "bid", f.token(user), now=before)
    assert not Opening.objects.exists()
    version.refresh_from_db()
    assert version.opened_data_key is None
    with pytest.raises(access.NotOpened):
        access.opened_bundle(version)
    login(client, f.the_officer(c))
    assert client.get(opened_url(c, version)).status_code == 403
    assert SECRET.encode() not in version.sealed_blob.open("rb").read()


def test_annex_iv_c_only_authorised_persons_set_opening_dates(client, world):
    """The opening moment is the deadline: an opener or a bidder cannot change it through the tenders pages; only
    the procurement officer can, by a published rectification."""
    c, _version = world
    old = f.deadline(c)
    new = old + timedelta(days=14)
    opener = f.opener(c)  # a policy advisor appointed as opener
    bidder, _org = provider(c.municipality)
    base = [c.municipality.cbs_code, c.pk]
    rectify = reverse("tenders:rectify", args=base)
    set_deadline = reverse("tenders:deadline_set", args=base)
    payload = {"kind": "bids", "at": new.strftime("%Y-%m-%dT%H:%M"), "explanation": "Later openen."}
    codes = {}
    for who, user in (("opener", opener), ("bidder", bidder)):
        login(client, user)
        codes[who] = (client.post(rectify, payload).status_code, client.post(set_deadline, payload).status_code)
        assert f.deadline(c) == old
    # The opener (a policy advisor) may not rectify, and the design page refuses a published deadline; the bidder
    # has no municipal role at all.
    assert codes == {"opener": (403, 400), "bidder": (403, 403)}
    with pytest.raises(ValidationError):
        services.appoint_opener(c, opener, bidder)  # nor can an opener appoint openers
    tender_services.rectify(c, f.the_officer(c), explanation="Later openen.", deadlines={"bids": new}, now=old - DAY)
    assert f.deadline(c) == new
    assert opening_rules.opening_moment(c, "bid") == new


def test_annex_iv_d_access_only_for_authorised_persons_during_the_stages(client, world):
    """During the procedure only the procurement officer and the evaluators of the municipality read an opened
    submission: not a bidder (another one's or its own through these pages), not another municipal role, not
    another municipality's officer, not an anonymous visitor."""
    c, version = world
    other = f.seal(c, f.operator("Concurrent"))
    f.open_submissions(c, f.opener(c), f.opener(c))
    other_bidder, _org = provider(c.municipality, "Concurrent")
    refused = [
        other_bidder,
        user_with_role(Role.POLICY_ADVISOR, c.municipality),
        user_with_role(Role.CONTRACT_MANAGER, c.municipality),
        user_with_role(Role.PROCUREMENT_OFFICER, f.commissioning_with_key().municipality),
    ]
    for user in refused:
        login(client, user)
        for v in (version, other):
            assert client.get(opened_url(c, v)).status_code in (302, 403)
            assert client.get(opened_url(c, v, 0)).status_code in (302, 403)
    client.logout()
    assert client.get(opened_url(c, version)).status_code == 302
    for user in (f.the_officer(c), f.seated_evaluator(c)):
        login(client, user)
        assert client.get(opened_url(c, version)).status_code == 200
    login(client, user_with_role(Role.EVALUATOR, c.municipality))  # not on the lot's committee (issue 12)
    assert client.get(opened_url(c, version)).status_code == 403


def test_annex_iv_e_access_given_by_authorised_persons_after_the_date(world):
    """Access is given only by the opening, only after the deadline, only by two different appointed openers with
    their second factor: not by the officer alone, not by a non-opener, not by one opener."""
    c, version = world
    after = f.deadline(c) + timedelta(minutes=1)
    officer = f.the_officer(c)
    for outsider in (officer, user_with_role(Role.EVALUATOR, c.municipality)):
        with pytest.raises(ValidationError, match="appointed opener"):
            services.confirm_opening(c, outsider, "bid", f.token(outsider), now=after)
    first = f.opener(c)
    services.confirm_opening(c, first, "bid", f.token(first), now=after)
    version.refresh_from_db()
    assert version.opened_data_key is None
    second = f.opener(c, role=Role.EVALUATOR)
    services.confirm_opening(c, second, "bid", f.token(second), now=after + timedelta(minutes=1))
    version.refresh_from_db()
    assert version.opened_data_key
    manifest, _files = access.opened_bundle(version)
    assert manifest["answers"][0]["text"] == SECRET


def test_annex_iv_f_opened_data_stays_with_authorised_persons(client, world):
    """After the opening the content is still ciphertext at rest (the data key is wrapped by the key-encryption key
    outside the database), and what authorised readers receive is private and never cached."""
    c, version = world
    f.open_submissions(c, f.opener(c), f.opener(c))
    version.refresh_from_db()
    assert SECRET.encode() not in version.sealed_blob.open("rb").read()
    data_key_wrapped = bytes(version.opened_data_key)
    assert len(data_key_wrapped) == 12 + 32 + 16  # nonce + AES-256 key + GCM tag: wrapped, never the bare key
    login(client, f.the_officer(c))
    response = client.get(opened_url(c, version))
    assert SECRET in response.content.decode()
    assert response["Cache-Control"] == "private, no-store, max-age=0"
    bidder, _org = provider(c.municipality, "Wijkkracht")
    login(client, bidder)
    assert SECRET not in client.get(opened_url(c, version)).content.decode()


def test_annex_iv_g_infringement_detectable(client, world):
    """A sealed submission changed at rest is reported as not intact in the opening record; a wrong second-factor
    code is in the audit trail; every read of opened content names who read which submission."""
    c, version = world
    intact = f.seal(c, f.operator("Intact"))
    storage, name = version.sealed_blob.storage, version.sealed_blob.name
    blob = storage.open(name).read()
    storage.delete(name)
    storage.save(name, ContentFile(blob[:40] + bytes([blob[40] ^ 0xFF]) + blob[41:]))
    first, second, intruder = f.opener(c), f.opener(c), f.opener(c)
    after = f.deadline(c) + timedelta(minutes=1)
    wrong = "000000" if f.token(intruder) != "000000" else "111111"
    with pytest.raises(ValidationError):
        services.confirm_opening(c, intruder, "bid", wrong, now=after)
    assert AuditEvent.objects.filter(action="bids.opening_second_factor_failed", actor=intruder).count() == 1
    opening = f.open_submissions(c, first, second, now=after + timedelta(seconds=2))
    results = {r["version"]: r for r in opening.integrity}
    assert results[version.pk]["ok"] is False and results[intact.pk]["ok"] is True
    assert SealedVersion.objects.get(pk=version.pk).opened_data_key is None
    context = opening_record.record_context(opening)
    assert [v.pk for v in context["failures"]] == [version.pk]
    evaluator = f.seated_evaluator(c)
    login(client, evaluator)
    assert client.get(opened_url(c, intact)).status_code == 200
    event = AuditEvent.objects.get(action="bids.read", actor=evaluator)
    assert event.object_id == str(intact.submission_id) and event.summary["version"] == intact.pk
    assert SECRET not in str(event.summary)
