"""The minimum periods count from the dispatch of the contract notice (Directive 2014/24/EU art. 27(1), 28(1): "from
the date on which the contract notice was sent"; Aw 2.71 ff.), not from the publication here, and the thresholds of
the dispatch date decide the regime for every rule (tenders.regime.dispatch_moment). The clock is frozen with
time-machine: the services run without an explicit `now`, as they do for a request."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tenders import regime, rules, selectors, services, time_limits
from tenders.models import Deadline, Phase, Route

from .factories import ANNOUNCED, GENERAL_CPV, anchors, cpv

pytestmark = pytest.mark.django_db
K = Deadline.Kind
AMS = ZoneInfo("Europe/Amsterdam")
DISPATCH = datetime(2027, 3, 1, 12, 0, tzinfo=AMS)  # Monday; the thresholds of 2026–2027 are known
PUBLISH = DISPATCH + timedelta(days=3)  # the portal publishes three days after the notice was sent


def after_dispatch(n: int, hour=12, minute=0) -> datetime:
    """The moment `n` calendar days after DISPATCH at the given Amsterdam clock time."""
    day = (DISPATCH + timedelta(days=n)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def eu_draft(m, user, deadlines: dict, *, dispatched=DISPATCH, route=Route.OPEN, **fields):
    """A complete draft for general services of € 1 million a year (the European regime) whose notice was sent at
    `dispatched`. Documents not freely available electronically: the open bid period is 45 days (Aw 2.71, 2.72,
    2.74a)."""
    budget = fields.pop("budget", Decimal("1000000"))
    defaults = {"title": "Wijkbeheer", "goals": "Schone wijken.", "route": route, "term_years": 4, **ANNOUNCED}
    defaults |= {"main_cpv": cpv(GENERAL_CPV), "documents_electronically_available": False}
    if route == Route.PRESELECTION:
        defaults |= {"selection_criteria": "Ervaring.", "max_candidates": 5, "selection_scoring": "0 tot 100."}
    with time_machine.travel(dispatched, tick=False):
        c = services.create_commissioning(user, municipality=m, **(defaults | fields))
        services.save_lot(c, user, title="Perceel 1", annual_budget=budget)
        services.add_criterion(c, user, title="Plan", weight=100, anchors=anchors(c.scale))
        for kind, at in deadlines.items():
            services.set_deadline(c, user, kind, at)
        services.record_notice(
            c, user, tenderned_id="412345", dispatched_at=dispatched, receipt_confirmed_at=dispatched
        )
    with time_machine.travel(dispatched + timedelta(days=2), tick=False):  # TED published it two days later
        services.record_notice(
            c,
            user,
            tenderned_id="412345",
            dispatched_at=dispatched,
            receipt_confirmed_at=dispatched,
            ted_published_at=dispatched + timedelta(days=2),
        )
    c.refresh_from_db()
    return c


def publish_at(c, user, moment=PUBLISH):
    with time_machine.travel(moment, tick=False):
        services.publish(c, user)
    c.refresh_from_db()
    return c


def test_dispatch_moment_is_the_recorded_dispatch_else_the_publication_else_now_directive_art_27_1(m, user):
    c = eu_draft(m, user, {K.QUESTIONS: after_dispatch(20), K.BIDS: after_dispatch(45)})
    assert regime.dispatch_moment(c, now=PUBLISH) == DISPATCH
    assert regime.regime_date(c, now=PUBLISH) == DISPATCH.date()
    c.notice_dispatched_at = None
    assert regime.dispatch_moment(c, now=PUBLISH) == PUBLISH
    c.published_at = PUBLISH + timedelta(days=1)
    assert regime.dispatch_moment(c, now=PUBLISH) == PUBLISH + timedelta(days=1)
    with time_machine.travel(DISPATCH, tick=False):
        c.published_at = None
        assert regime.dispatch_moment(c) == DISPATCH


def test_open_bid_period_counts_from_the_dispatch_not_the_publication_aw_2_71(m, user):
    """45 days after the dispatch (42 after the publication three days later) is accepted; 44 is refused."""
    c = eu_draft(m, user, {K.QUESTIONS: after_dispatch(20), K.BIDS: after_dispatch(44)})
    assert rules.check_threshold(c, regime.regime_date(c)).regime == rules.REGIME_EUROPEAN
    with pytest.raises(ValidationError, match="at least 45 calendar days after the dispatch of the notice"):
        publish_at(c, user)
    assert c.phase == Phase.DRAFT and c.published_at is None  # nothing written
    with time_machine.travel(PUBLISH, tick=False):
        services.set_deadline(c, user, K.BIDS, after_dispatch(45))
    c = publish_at(c, user)
    assert c.phase == Phase.TENDERING
    assert time_limits.calendar_days_between(c.published_at, c.deadlines.get(kind=K.BIDS).at) == 42


def test_the_45th_calendar_day_after_the_dispatch_is_the_boundary_whatever_the_hour_aw_2_71(m, user):
    """A period of 45 days ends on the 45th calendar day after the day of dispatch: one minute past midnight on
    that day is enough (fewer than 45 × 24 hours after the dispatch at noon), a minute before midnight on the 44th
    day is not."""
    c = eu_draft(m, user, {K.QUESTIONS: after_dispatch(20), K.BIDS: after_dispatch(44, 23, 59)})
    with pytest.raises(ValidationError, match="at least 45 calendar days"):
        publish_at(c, user)
    with time_machine.travel(PUBLISH, tick=False):
        services.set_deadline(c, user, K.BIDS, after_dispatch(45, 0, 1))
    assert after_dispatch(45, 0, 1) - DISPATCH < timedelta(days=45)
    assert publish_at(c, user).phase == Phase.TENDERING


def test_requests_period_across_the_switch_to_summer_time_counts_calendar_days_directive_art_28_1(m, user):
    """Dispatched on 10 March 2027 at noon; summer time starts on Sunday 28 March. The 30th calendar day is 9 April:
    at 11:30 that day fewer than 30 × 24 hours have passed (an hour is skipped), and it is accepted; 8 April 23:59
    is refused."""
    dispatched = datetime(2027, 3, 10, 12, 0, tzinfo=AMS)
    deadlines = {
        K.QUESTIONS: datetime(2027, 3, 25, 12, 0, tzinfo=AMS),
        K.REQUESTS: datetime(2027, 4, 8, 23, 59, tzinfo=AMS),
        K.BIDS: datetime(2027, 5, 31, 12, 0, tzinfo=AMS),
    }
    c = eu_draft(m, user, deadlines, dispatched=dispatched, route=Route.PRESELECTION)
    publish = dispatched + timedelta(days=2)
    with pytest.raises(ValidationError, match="requests to participate must lie at least 30 calendar days"):
        publish_at(c, user, publish)
    requests = datetime(2027, 4, 9, 11, 30, tzinfo=AMS)
    assert requests - dispatched < timedelta(days=30)  # 718.5 hours across the switch to summer time
    with time_machine.travel(publish, tick=False):
        services.set_deadline(c, user, K.REQUESTS, requests)
    assert publish_at(c, user, publish).phase == Phase.SELECTION


def test_a_rectification_counts_the_periods_from_the_dispatch_aw_2_71(m, user):
    """A bid deadline 42 days after the publication (45 after the dispatch) stays valid when a rectification moves
    the questions deadline: the periods are checked again from the dispatch, not from the publication."""
    c = eu_draft(m, user, {K.QUESTIONS: after_dispatch(20), K.BIDS: after_dispatch(45)})
    c = publish_at(c, user)
    with time_machine.travel(after_dispatch(10), tick=False):
        services.rectify(c, user, explanation="Meer tijd voor vragen.", deadlines={K.QUESTIONS: after_dispatch(25)})
    assert c.deadlines.get(kind=K.QUESTIONS).at == after_dispatch(25)


def test_the_dashboard_counts_from_the_dispatch_with_the_regime_of_its_date_directive_art_5_4(m, user):
    c = eu_draft(m, user, {K.QUESTIONS: after_dispatch(20), K.BIDS: after_dispatch(45)})
    with time_machine.travel(PUBLISH, tick=False):
        notes = selectors.time_limit_notes(c)
    assert any("at least 45 calendar days after the dispatch of the notice" in note for note in notes)


def test_thresholds_of_the_dispatch_date_decide_every_rule_at_publication_directive_art_5_4(m, user):
    """€ 219,000 in all: below the threshold of 2024–2025 (€ 221,000) on the day the notice was sent, above that of
    2026–2027 (€ 216,000) on the day of publication. The dispatch date decides: national regime, so a framework
    agreement of 5 years (refused under the European regime, Directive art. 33(1)) may be published."""
    dispatched = datetime(2025, 12, 30, 12, 0, tzinfo=AMS)
    publish = datetime(2026, 1, 5, 12, 0, tzinfo=AMS)
    deadlines = {K.QUESTIONS: datetime(2026, 1, 20, 12, tzinfo=AMS), K.BIDS: datetime(2026, 2, 20, 12, tzinfo=AMS)}
    c = eu_draft(
        m,
        user,
        deadlines,
        dispatched=dispatched,
        budget=Decimal("43800"),
        term_years=5,
        option_count=0,
        framework_agreement=True,
        short_period_reasons="Kleine opdracht, bekende markt.",
    )
    assert rules.estimated_value(c) == Decimal("219000")
    assert rules.check_threshold(c, publish.date()).regime == rules.REGIME_EUROPEAN
    with time_machine.travel(publish, tick=False):
        assert rules.check_threshold(c, regime.regime_date(c)).regime == rules.REGIME_NATIONAL
        assert rules.publish_errors(c) == []
    assert publish_at(c, user, publish).phase == Phase.TENDERING


def test_the_public_timeline_shows_the_dispatch_the_periods_count_from_directive_art_27_1(client, m, user):
    c = publish_at(eu_draft(m, user, {K.QUESTIONS: after_dispatch(20), K.BIDS: after_dispatch(45)}), user)
    with time_machine.travel(PUBLISH, tick=False):
        items = selectors.timeline(c)
        page = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    # the dispatch, then TED's publication of the notice, then the publication here (Directive art. 52(1))
    assert [item["kind"] for item in items][:3] == ["notice", "notice", "phase"]
    assert items[0]["at"] == DISPATCH and items[0]["past"]
    assert items[1]["at"] == DISPATCH + timedelta(days=2)
    assert "Aankondiging verzonden naar TenderNed/TED" in page and "Aankondiging gepubliceerd op TED" in page


def test_a_corrected_dispatch_may_not_leave_a_deadline_ahead_too_short_aw_2_71(m, user):
    """Bids 45 days after the recorded dispatch, 42 after the publication: correcting the dispatch to the day of
    publication would leave 42 days, and is refused until the bid deadline is extended by a rectification."""
    c = publish_at(eu_draft(m, user, {K.QUESTIONS: after_dispatch(20), K.BIDS: after_dispatch(45)}), user)
    later = PUBLISH + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        with pytest.raises(ValidationError, match="extend it by a rectification first") as exc:
            services.record_notice(c, user, tenderned_id="412345", dispatched_at=PUBLISH)
        assert any("at least 45 calendar days" in message for message in exc.value.messages)
        c.refresh_from_db()
        assert c.notice_dispatched_at == DISPATCH  # nothing written
        services.rectify(c, user, explanation="Meer tijd.", deadlines={K.BIDS: after_dispatch(48)})
        # a notice sent at the moment of publication was published on TED at that moment at the earliest (art. 52(1))
        same = {"receipt_confirmed_at": PUBLISH, "ted_published_at": PUBLISH}
        services.record_notice(c, user, tenderned_id="412345", dispatched_at=PUBLISH, **same)
    c.refresh_from_db()
    assert c.notice_dispatched_at == PUBLISH
