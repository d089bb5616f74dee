"""The public timeline: every deadline in Europe/Amsterdam time with the time zone stated, passed deadlines marked,
and correct around the change from summer to winter time (last Sunday of October)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import MunicipalityFactory, login
from tenders import rules, services
from tenders.models import Deadline, Phase, Route
from tenders.tests.factories import complete, draft, officer

pytestmark = pytest.mark.django_db
K = Deadline.Kind
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def m():
    return MunicipalityFactory(cbs_code="GM0392", name="Haarlem")


@pytest.fixture
def user(m):
    return officer(m)


def _page(client, m, c) -> str:
    return client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()


def _timeline(page: str) -> str:
    return page[page.index('<ol class="ww-timeline">') : page.index("</ol>", page.index('<ol class="ww-timeline">'))]


def test_every_deadline_is_shown_in_amsterdam_time_with_the_zone_and_passed_ones_marked(client, m, user):
    past = timezone.now() - timedelta(days=15)  # questions (past + 10 days) have passed; the others not yet
    c = complete(draft(m, user, route=Route.COMPETITIVE_DIALOGUE), user, now=past)
    services.set_deadline(c, user, K.AWARD_PLANNED, past + timedelta(days=60))
    services.publish(c, user, now=past)
    timeline = _timeline(_page(client, m, c))
    for d in c.deadlines.all():
        local = timezone.localtime(d.at, AMSTERDAM)
        label = {"questions": "Termijn voor vragen", "award_planned": "Geplande gunningsbeslissing"}.get(d.kind)
        assert f"{local:%H:%M} {local.tzname()}</time>" in timeline
        if label:
            assert label in timeline
    questions_line = next(line for line in timeline.splitlines() if "Termijn voor vragen" in line)
    assert "(verstreken)" in questions_line
    assert timeline.count("(verstreken)") == 1
    assert "Nederlandse tijd (Europe/Amsterdam)" in _page(client, m, c)


def test_deadlines_around_the_end_of_summer_time_show_cest_and_cet(client, m, user):
    """31 October 2027 is the last Sunday of October: at 03:00 CEST the clocks go back to 02:00 CET."""
    c = draft(m, user)
    saturday_noon = datetime(2027, 10, 30, 12, 0, tzinfo=AMSTERDAM)  # CEST, UTC+2
    sunday_noon = datetime(2027, 10, 31, 12, 0, tzinfo=AMSTERDAM)  # CET, UTC+1
    assert saturday_noon.astimezone(UTC).hour == 10 and sunday_noon.astimezone(UTC).hour == 11
    complete(c, user)
    # The questions close two weeks earlier (room for the clarifications, Aw 2.54), still in summer time.
    services.set_deadline(c, user, K.QUESTIONS, saturday_noon - timedelta(days=14))
    services.set_deadline(c, user, K.BIDS, sunday_noon)
    services.publish(c, user)
    timeline = _timeline(_page(client, m, c))
    assert "zaterdag 16 oktober 2027, 12:00 CEST</time> — Termijn voor vragen" in timeline
    assert "zondag 31 oktober 2027, 12:00 CET</time> — Termijn voor inschrijvingen" in timeline
    # 24 hours of wall-clock difference are 25 real hours: the server clock counts the real ones.
    assert sunday_noon - saturday_noon == timedelta(hours=24)
    assert sunday_noon.astimezone(UTC) - saturday_noon.astimezone(UTC) == timedelta(hours=25)


def test_a_deadline_in_the_repeated_hour_closes_by_the_server_clock_in_utc(m, user):
    """02:30 on 31 October 2027 happens twice; the deadline set with fold=1 (CET) is 01:30 UTC."""
    c = draft(m, user)
    complete(c, user)
    bids = datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=AMSTERDAM)
    services.set_deadline(c, user, K.BIDS, bids)
    services.publish(c, user)
    c.refresh_from_db()
    assert c.deadlines.get(kind=K.BIDS).at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    with pytest.raises(Exception, match="has not come yet"):
        services.transition(c, user, Phase.EVALUATION, now=datetime(2027, 10, 31, 1, 29, 59, tzinfo=UTC))
    services.transition(c, user, Phase.EVALUATION, now=datetime(2027, 10, 31, 1, 30, tzinfo=UTC))


def test_an_ambiguous_or_non_existent_local_time_is_refused_with_a_message(client, m, user):
    c = draft(m, user)
    login(client, user)
    url = reverse("tenders:deadline_set", args=[m.cbs_code, c.pk])
    for at in ("2027-10-31T02:30", "2027-03-28T02:30"):  # twice on the last Sunday of October; never in March
        response = client.post(url, {"deadline-kind": K.BIDS, "deadline-at": at})
        assert response.status_code == 400, at
        assert "Europe/Amsterdam" in response.content.decode()
    assert not c.deadlines.exists()
    ok = client.post(url, {"deadline-kind": K.BIDS, "deadline-at": "2027-10-31T12:00"})
    assert ok.status_code == 302
    assert c.deadlines.get().at == datetime(2027, 10, 31, 11, 0, tzinfo=UTC)


def test_timeline_phases_follow_the_route(m, user):
    assert rules.phases_of(Route.PRESELECTION)[1:3] == [Phase.SELECTION, Phase.INVITATION]
