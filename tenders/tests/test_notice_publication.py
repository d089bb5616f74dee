"""Publication here only after TED published the contract notice, or 48 hours after the confirmation of its receipt
(Directive 2014/24/EU art. 52(1): the notices "shall not be published at national level before" their publication
under art. 51, unless the authority "has not been notified of the publication within 48 hours after confirmation of
the receipt of the notice"). The portal's publication, and with it the OCDS release and every public page of the
procedure, is the publication at national level. The minimum periods still count from the dispatch (art. 27, 28).

The clock is frozen with time-machine: the services run without an explicit `now`, as they do for a request."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from core.testing import login
from publication.models import Release
from tenders import regime, rules, services
from tenders.models import Deadline, Phase

from .factories import GENERAL_CPV, complete, cpv, dispatch_notice, draft

pytestmark = pytest.mark.django_db
K = Deadline.Kind
AMS = ZoneInfo("Europe/Amsterdam")
DISPATCH = datetime(2027, 3, 1, 9, 0, tzinfo=AMS)  # a Monday; the thresholds of 2026–2027 are known
RECEIPT = DISPATCH + timedelta(minutes=30)  # the Publications Office confirms the receipt
SECOND = timedelta(seconds=1)
# `m` (Leiden) and `user` (its procurement officer) come from tenders/tests/conftest.py.


def light(m, user, *, receipt=True, ted_published=False):
    """A complete light-regime draft (social services, 9 years of € 1,000,000) whose notice was dispatched at
    DISPATCH, with its receipt confirmed at RECEIPT unless `receipt` is False, and not (yet) published on TED."""
    with time_machine.travel(DISPATCH, tick=False):
        c = complete(draft(m, user), user, now=DISPATCH)  # deadlines 10 and 20 days after DISPATCH
    with time_machine.travel(RECEIPT, tick=False):
        services.record_notice(
            c,
            user,
            tenderned_id="412345",
            dispatched_at=DISPATCH,
            receipt_confirmed_at=RECEIPT if receipt else None,
            ted_published_at=RECEIPT if ted_published else None,
        )
    c.refresh_from_db()
    return c


def publish_at(c, user, moment):
    with time_machine.travel(moment, tick=False):
        services.publish(c, user)
    c.refresh_from_db()
    return c


def refused_at(c, user, moment, language="en") -> str:
    """The messages of a refused publication at `moment` (in `language`); nothing was published."""
    with translation.override(language), time_machine.travel(moment, tick=False), pytest.raises(ValidationError) as exc:
        services.publish(c, user)
    c.refresh_from_db()
    assert c.phase == Phase.DRAFT and c.published_at is None and not Release.objects.filter(commissioning=c).exists()
    return " ".join(exc.value.messages)


# --- Publishing: after TED, or 48 hours after the confirmation of receipt -----------------------------------------
def test_publishing_before_ted_published_the_notice_is_refused_directive_art_52_1(m, user):
    """Dispatched and received, not published by TED, an hour after the receipt: refused, and the message says what
    is missing (TED's publication) and from when publishing is possible anyway (48 hours after the receipt)."""
    c = light(m, user)
    message = refused_at(c, user, RECEIPT + timedelta(hours=1), language="nl")
    assert "TED heeft de aankondiging nog niet gepubliceerd" in message
    assert "3 maart 2027, 09:30" in message and "48 uur" in message and "art. 52(1)" in message


def test_publishing_without_receipt_or_ted_publication_is_refused_directive_art_52_1(m, user):
    """Only the dispatch recorded, even days later: refused, asking for TED's publication or the receipt."""
    c = light(m, user, receipt=False)
    message = refused_at(c, user, DISPATCH + timedelta(days=4), language="nl")
    assert "Leg vast wanneer TED de aankondiging heeft gepubliceerd" in message
    assert "ontvangstbevestiging" in message and "art. 52(1)" in message


def test_publishing_48_hours_after_receipt_confirmation_is_allowed_directive_art_52_1(m, user):
    """No publication on TED recorded: refused at the last second before 48 hours after the receipt, allowed at the
    first second of it (the 48 hours are hours, not calendar days)."""
    c = light(m, user)
    last_second = RECEIPT + timedelta(hours=48) - SECOND
    assert "art. 52(1)" in refused_at(c, user, last_second)
    c = publish_at(c, user, RECEIPT + timedelta(hours=48))
    assert c.phase == Phase.TENDERING and c.published_at == RECEIPT + timedelta(hours=48)
    assert Release.objects.filter(commissioning=c).exists()  # the OCDS release follows the publication here


def test_publishing_once_ted_published_the_notice_is_allowed_directive_art_52_1(m, user):
    """TED published the notice six hours after the receipt: refused a second before that moment (the record is read
    at the moment of publishing), allowed at it, long before 48 hours have passed."""
    c = light(m, user)
    published_on_ted = RECEIPT + timedelta(hours=6)
    with time_machine.travel(published_on_ted + timedelta(minutes=5), tick=False):
        services.record_notice(
            c,
            user,
            tenderned_id="412345",
            ted_id="123456-2027",
            dispatched_at=DISPATCH,
            receipt_confirmed_at=RECEIPT,
            ted_published_at=published_on_ted,
        )
    c.refresh_from_db()
    assert regime.national_publication_from(c) == published_on_ted
    check = rules.check_threshold(c, regime.regime_date(c))
    assert regime.notice_errors(c, check, published_on_ted - SECOND)
    assert regime.notice_errors(c, check, published_on_ted) == []
    assert publish_at(c, user, published_on_ted + timedelta(minutes=5)).phase == Phase.TENDERING


def test_a_ted_publication_without_a_recorded_receipt_is_enough_directive_art_52_1(m, user):
    c = light(m, user, receipt=False)
    with time_machine.travel(DISPATCH + timedelta(days=1), tick=False):
        services.record_notice(
            c, user, tenderned_id="412345", dispatched_at=DISPATCH, ted_published_at=DISPATCH + timedelta(days=1)
        )
    assert publish_at(c, user, DISPATCH + timedelta(days=1)).phase == Phase.TENDERING


def test_the_european_regime_waits_for_ted_too_directive_art_52_1(m, user):
    """General services of € 500,000 in one year: the European regime, the same rule."""
    c = draft(m, user, term_years=1, option_count=0, main_cpv=cpv(GENERAL_CPV))
    with time_machine.travel(DISPATCH, tick=False):
        complete(c, user, budget=Decimal("500000"), now=DISPATCH)
        services.record_notice(c, user, tenderned_id="412345", dispatched_at=DISPATCH)
    c.refresh_from_db()
    assert rules.check_threshold(c, regime.regime_date(c)).regime == rules.REGIME_EUROPEAN
    assert "Record when TED published the contract notice" in refused_at(c, user, DISPATCH + timedelta(days=3))


def test_the_national_regime_needs_no_ted_publication_directive_art_52_1(m, user):
    c = draft(m, user, term_years=1, option_count=0)
    with time_machine.travel(DISPATCH, tick=False):
        complete(c, user, budget=Decimal("100000"), now=DISPATCH)
    c.refresh_from_db()
    assert rules.check_threshold(c, regime.regime_date(c)).regime == rules.REGIME_NATIONAL
    assert c.notice_published_at is None and c.notice_receipt_confirmed_at is None
    assert publish_at(c, user, DISPATCH + timedelta(minutes=1)).is_published


def test_minimum_periods_still_count_from_the_dispatch_directive_art_27_1(m, user):
    """TED published the notice three days after it was sent: the periods still count from the dispatch, so the bid
    deadline 20 days after the dispatch (the light regime's policy minimum of 20 days) but 17 after TED's publication
    is accepted."""
    c = light(m, user)
    ted = DISPATCH + timedelta(days=3)
    with time_machine.travel(ted, tick=False):
        services.record_notice(
            c, user, tenderned_id="412345", dispatched_at=DISPATCH, receipt_confirmed_at=RECEIPT, ted_published_at=ted
        )
    c.refresh_from_db()
    assert regime.dispatch_moment(c) == DISPATCH
    assert c.deadlines.get(kind=K.BIDS).at == DISPATCH + timedelta(days=20)
    assert publish_at(c, user, ted).phase == Phase.TENDERING


# --- Recording the receipt and TED's publication -------------------------------------------------------------------
def test_receipt_and_ted_publication_are_facts_in_their_order_directive_art_52_1(m, user):
    c = light(m, user, receipt=False)
    events = AuditEvent.objects.filter(action="tenders.notice").count()
    now = DISPATCH + timedelta(days=1)
    cases = {
        "receipt_confirmed_at": [
            {"receipt_confirmed_at": now + SECOND},  # in the future
            {"receipt_confirmed_at": DISPATCH - SECOND},  # before the dispatch
        ],
        "ted_published_at": [
            {"ted_published_at": now + SECOND},
            {"ted_published_at": DISPATCH - SECOND},
            {"receipt_confirmed_at": RECEIPT, "ted_published_at": RECEIPT - SECOND},  # before the receipt
        ],
    }
    with translation.override("en"), time_machine.travel(now, tick=False):
        for field, attempts in cases.items():
            for moments in attempts:
                with pytest.raises(ValidationError) as exc:
                    services.record_notice(c, user, tenderned_id="412345", dispatched_at=DISPATCH, **moments)
                assert set(exc.value.message_dict) == {field}, moments
    c.refresh_from_db()
    assert c.notice_receipt_confirmed_at is None and c.notice_published_at is None
    assert AuditEvent.objects.filter(action="tenders.notice").count() == events


def test_the_record_is_audited_with_receipt_and_publication_directive_art_52_1(m, user):
    c = light(m, user)
    event = AuditEvent.objects.filter(action="tenders.notice").last()
    before, after = event.summary["before"], event.summary["after"]  # the factory recorded both at the dispatch
    moment = datetime.fromisoformat
    assert moment(before["receipt_confirmed_at"]) == moment(before["ted_published_at"]) == DISPATCH
    assert moment(after["receipt_confirmed_at"]) == RECEIPT and after["ted_published_at"] is None
    assert c.notice_receipt_confirmed_at == RECEIPT


def test_a_correction_may_not_show_the_publication_here_came_before_ted_directive_art_52_1(m, user):
    """Published here 48 hours after the receipt. A correction saying the receipt came an hour later (so the
    publication here came too early) is refused; adding TED's publication, which came after it, is accepted."""
    c = publish_at(light(m, user), user, RECEIPT + timedelta(hours=48))
    later = RECEIPT + timedelta(days=3)
    with time_machine.travel(later, tick=False), pytest.raises(ValidationError) as exc:
        services.record_notice(
            c, user, tenderned_id="412345", dispatched_at=DISPATCH, receipt_confirmed_at=RECEIPT + timedelta(hours=1)
        )
    assert set(exc.value.message_dict) == {"ted_published_at"}
    assert "published here on 3 March 2027, 09:30" in " ".join(exc.value.messages)
    with time_machine.travel(later, tick=False):
        services.record_notice(
            c,
            user,
            tenderned_id="412345",
            dispatched_at=DISPATCH,
            receipt_confirmed_at=RECEIPT,
            ted_published_at=RECEIPT + timedelta(days=2, hours=1),
        )
    c.refresh_from_db()
    assert c.notice_published_at == RECEIPT + timedelta(days=2, hours=1)


# --- The manage page ---------------------------------------------------------------------------------------------
def test_the_officer_records_receipt_and_ted_publication_on_the_manage_page_directive_art_52_1(client, m, user):
    with time_machine.travel(DISPATCH, tick=False):
        c = complete(draft(m, user), user, now=DISPATCH)
    url = reverse("tenders:notice_record", args=[m.cbs_code, c.pk])
    manage = reverse("tenders:manage", args=[m.cbs_code, c.pk])
    fields = {"notice-tenderned_id": "412345", "notice-dispatched_at": "2027-03-01T09:00"}
    with time_machine.travel(DISPATCH + timedelta(days=1), tick=False):
        login(client, user)
        response = client.post(  # TED's publication before the receipt: a 400 with the message at the field
            url,
            fields | {"notice-receipt_confirmed_at": "2027-03-01T10:00", "notice-ted_published_at": "2027-03-01T09:45"},
        )
        page = response.content.decode()
        assert response.status_code == 400 and "notice-ted_published_at" in page
        assert "voordat het Publicatiebureau de ontvangst bevestigde" in page
        response = client.post(url, fields | {"notice-receipt_confirmed_at": "2027-03-01T09:30"})
        assert response.status_code == 302
        page = client.get(manage).content.decode()
        assert "Ontvangst bevestigd door het Publicatiebureau op 1 maart 2027, 09:30" in page
        assert "3 maart 2027, 09:30" in page  # the publish check names the moment publishing becomes possible
        response = client.post(
            url,
            fields | {"notice-receipt_confirmed_at": "2027-03-01T09:30", "notice-ted_published_at": "2027-03-02T08:00"},
        )
        assert response.status_code == 302
        page = client.get(manage).content.decode()
        assert "Gepubliceerd op TED op 2 maart 2027, 08:00" in page and 'id="publish-errors"' not in page
    c.refresh_from_db()
    assert c.notice_published_at == datetime(2027, 3, 2, 8, 0, tzinfo=AMS)


def test_the_factory_can_leave_out_receipt_and_ted_publication(m, user):
    c = draft(m, user)
    services.save_lot(c, user, title="Perceel 1", annual_budget=Decimal("1000000"))
    dispatch_notice(c, user, now=DISPATCH, receipt=False, ted_published=False)
    assert c.notice_dispatched_at == DISPATCH and c.notice_receipt_confirmed_at is None
    assert c.notice_published_at is None
