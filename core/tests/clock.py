"""The whole demo and the main flows at a fixed instant (see test_clock_*.py).

CI runs at whatever hour a session stops, so everything that depends on "now" must hold at every instant: just after
midnight UTC, just before noon UTC (the demo's deadlines are at noon), late in the evening in Amsterdam (another
date in UTC), both nights of the switch to and from summer time, 29 February and the last minutes of a year.
`run_at(instant)` travels there with time-machine (the clock keeps ticking), loads the demo and runs the flows."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import verify_chain
from core import otp
from core.demo import DEMO_PASSWORD
from core.models import Municipality, User
from tenders import rules as tender_rules
from tenders import services as tenders
from tenders.models import Candidate, Commissioning, Deadline, Phase, Route
from tenders.tests import factories

AMS = ZoneInfo("Europe/Amsterdam")
K = Deadline.Kind


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args, fold=0) -> datetime:
    return datetime(*args, tzinfo=AMS, fold=fold)


def run_at(instant: datetime) -> None:
    with time_machine.travel(instant, tick=True), translation.override("nl"):
        assert abs(timezone.now() - instant) < timedelta(minutes=5)
        _load_demo()
        _public_pages_answer()
        _municipal_login_with_totp()
        _open_procedure_follows_the_server_clock()
        _selection_stage_follows_the_server_clock()


def _load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo data loaded." in out.getvalue()
    haarlem = Commissioning.objects.get(municipality__cbs_code="GM0392")
    assert haarlem.phase == Phase.DIALOGUE_2
    assert haarlem.candidates.filter(status=Candidate.Status.ADMITTED).count() == 3
    leiden = Commissioning.objects.get(municipality__cbs_code="GM0546")
    assert leiden.phase == Phase.TENDERING
    for deadline in Deadline.objects.filter(commissioning__in=[haarlem, leiden]):
        # The demo's deadlines are at noon, local time, on whatever side of the clock change they fall.
        assert timezone.localtime(deadline.at, AMS).hour == 12, deadline
    assert verify_chain() is None


def _public_pages_answer():
    client = Client()
    for code in ("GM0546", "GM0392"):
        m = Municipality.objects.get(cbs_code=code)
        urls = [
            reverse("landscape:overview", args=[code]),
            reverse("landscape:organisation_list", args=[code]),
            reverse("landscape:district_table", args=[code]),
            reverse("publication:list", args=[code]),
            reverse("continuity:list", args=[code]),
        ]
        for c in Commissioning.objects.filter(municipality=m):
            urls.append(reverse("publication:detail", args=[code, c.pk]))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    assert client.get("/api/v1/organisations").status_code == 200


def _municipal_login_with_totp():
    """The demo's policy advisor logs in with the password and the code of this instant (TOTP is time-based)."""
    client = Client()
    user = User.objects.get(username="leiden.beleid")
    response = client.post(reverse("core:login"), {"username": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:500]
    token = otp.current_token(TOTPDevice.objects.get(user=user, confirmed=True))
    response = client.post(reverse("core:login_token"), {"token": token})
    assert response.status_code == 302


def _open_procedure_follows_the_server_clock():
    """Publish an open procedure now, ask and answer a question, publish the clarifications, and move on to the
    evaluation exactly when the bid deadline has passed — not a second before."""
    m = Municipality.objects.get(cbs_code="GM0546")
    officer = factories.officer(m)
    c = factories.published(m, user=officer, title="Klok: open procedure")
    assert c.phase == Phase.TENDERING
    asker, _org = factories.provider(m, "Klokwerk")
    q = tenders.ask_question(c, asker, "Tot wanneer kunnen vragen worden gesteld?")
    tenders.answer_question(q, officer, answer="Tot de termijn voor vragen.", topic="Termijnen")
    tenders.publish_clarification(c, officer, introduction="Antwoorden.")
    bids = c.deadlines.get(kind=K.BIDS).at
    assert tender_rules.transition_errors(c, Phase.EVALUATION, now=bids - timedelta(seconds=1))
    tenders.transition(c, officer, Phase.EVALUATION, now=bids)
    c.refresh_from_db()
    assert c.phase == Phase.EVALUATION


def _selection_stage_follows_the_server_clock():
    """Requests to participate are accepted until the deadline and decided after it, at this instant's clock."""
    m = Municipality.objects.get(cbs_code="GM0546")
    officer = factories.officer(m)
    c = factories.published(m, route=Route.PRESELECTION, user=officer, title="Klok: niet-openbare procedure")
    candidate = factories.candidate(c, "Klokslag")
    requests = c.deadlines.get(kind=K.REQUESTS).at
    tenders.decide_candidate(candidate, officer, admit=True, score=80, reasons="Voldoet.", now=requests)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ADMITTED
