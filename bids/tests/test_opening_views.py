"""The opening pages: who may manage openers, confirm, download the record and read opened submissions."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from bids.models import Opener, Opening
from bids.tests import factories_opening as f
from core.models import Role
from core.testing import login, user_with_role
from tenders.tests.factories import provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    c = f.commissioning_with_key()
    version = f.seal(c, f.operator("Wijkkracht"), files=[("plan <van> aanpak.pdf", b"%PDF-1.4 geheim plan")])
    return c, version


def url(name, c, *args):
    return reverse(f"bids:{name}", args=[c.municipality.cbs_code, c.pk, *args])


def test_officer_appoints_and_removes_an_opener(client, world):
    c, _v = world
    advisor = f.municipal_user(c)
    login(client, f.the_officer(c))
    assert client.get(url("opening", c)).status_code == 200
    response = client.post(url("opener_appoint", c), {"user": advisor.pk})
    assert response.status_code == 302
    appointment = Opener.objects.get(commissioning=c, user=advisor)
    assert AuditEvent.objects.filter(action="bids.opener_appoint").exists()
    assert client.post(url("opener_remove", c, appointment.pk)).status_code == 302
    assert not Opener.objects.exists()


def test_appointing_someone_outside_the_municipality_is_refused(client, world):
    c, _v = world
    stranger = user_with_role(Role.POLICY_ADVISOR, f.commissioning_with_key().municipality)
    login(client, f.the_officer(c))
    response = client.post(url("opener_appoint", c), {"user": stranger.pk})
    assert response.status_code == 400
    assert not Opener.objects.exists()


@pytest.mark.parametrize("role", [Role.POLICY_ADVISOR, Role.EVALUATOR, Role.PROVIDER_REPRESENTATIVE])
def test_only_the_officer_manages_openers(client, world, role):
    c, _v = world
    user = provider(c.municipality)[0] if role == Role.PROVIDER_REPRESENTATIVE else user_with_role(role, c.municipality)
    login(client, user)
    response = client.post(url("opener_appoint", c), {"user": f.municipal_user(c).pk})
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/login" in response["Location"]
    assert not Opener.objects.exists()


def test_two_openers_open_through_the_page(client, world):
    c, version = world
    first, second = f.opener(c), f.opener(c)
    with time_machine.travel(f.deadline(c) + timedelta(minutes=1), tick=True):
        login(client, first)
        assert client.post(url("opening_confirm", c, "inschrijvingen"), {"token": f.token(first)}).status_code == 302
        login(client, second)
        page = client.get(url("opening", c)).content.decode()
        assert "Bevestig de opening" in page
        assert client.post(url("opening_confirm", c, "inschrijvingen"), {"token": f.token(second)}).status_code == 302
    assert Opening.objects.get().opened_at is not None
    version.refresh_from_db()
    assert version.opened_data_key


def test_confirmation_before_the_deadline_is_refused_on_the_page(client, world):
    c, _v = world
    first = f.opener(c)
    with time_machine.travel(f.deadline(c) - timedelta(minutes=1), tick=False):
        login(client, first)
        response = client.post(url("opening_confirm", c, "inschrijvingen"), {"token": f.token(first)})
    assert response.status_code == 400
    assert "pas na de termijn worden geopend" in response.content.decode()
    assert not Opening.objects.exists()


def test_a_non_opener_cannot_confirm(client, world):
    c, _v = world
    evaluator = user_with_role(Role.EVALUATOR, c.municipality)
    with time_machine.travel(f.deadline(c) + timedelta(minutes=1), tick=False):
        login(client, evaluator)
        response = client.post(url("opening_confirm", c, "inschrijvingen"), {"token": f.token(evaluator)})
    assert response.status_code == 403


def test_opened_submission_is_read_by_officer_and_evaluator_with_audit(client, world):
    c, version = world
    f.open_submissions(c, f.opener(c), f.opener(c))
    for reader in (f.the_officer(c), f.seated_evaluator(c)):
        login(client, reader)
        page = client.get(url("opened_submission", c, version.submission.pk))
        assert page.status_code == 200
        assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
        assert "Ons plan voor criterium" in page.content.decode()
        download = client.get(url("opened_file", c, version.submission.pk, 0))
        assert download.status_code == 200
        assert download.content == b"%PDF-1.4 geheim plan"
        assert download["Content-Disposition"].startswith("attachment")
        assert "no-store" in download["Cache-Control"]
        reads = AuditEvent.objects.filter(action="bids.read", actor=reader)
        assert [e.summary["part"] for e in reads.order_by("seq")] == ["answers", "file"]
        assert all(e.object_id == str(version.submission.pk) for e in reads)
    assert client.get(url("opened_file", c, version.submission.pk, 1)).status_code == 404


def test_opening_record_is_downloaded_by_officer_openers_and_evaluators(client, world):
    c, _v = world
    first, second = f.opener(c), f.opener(c)
    f.open_submissions(c, first, second)
    for user in (f.the_officer(c), first, user_with_role(Role.EVALUATOR, c.municipality)):
        login(client, user)
        response = client.get(url("opening_record", c, "inschrijvingen"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("attachment")
    for user in (
        user_with_role(Role.POLICY_ADVISOR, c.municipality),
        user_with_role(Role.CONTRACT_MANAGER, c.municipality),
    ):
        login(client, user)
        assert client.get(url("opening_record", c, "inschrijvingen")).status_code == 403
    assert client.get(url("opening_record", c, "onbekend")).status_code == 404


def test_opening_page_is_for_officer_openers_and_evaluators(client, world):
    c, _v = world
    opener = f.opener(c, role=Role.CONTRACT_MANAGER)
    for user in (f.the_officer(c), opener, user_with_role(Role.EVALUATOR, c.municipality)):
        login(client, user)
        assert client.get(url("opening", c)).status_code == 200
    for user in (
        user_with_role(Role.CONTRACT_MANAGER, c.municipality),
        user_with_role(Role.PROCUREMENT_OFFICER, f.commissioning_with_key().municipality),
        provider(c.municipality, "Inschrijver")[0],
    ):
        login(client, user)
        assert client.get(url("opening", c)).status_code == 403
    client.logout()
    assert client.get(url("opening", c)).status_code == 302


def test_opened_submissions_are_listed_for_readers_only(client, world):
    c, version = world
    opener = f.opener(c)
    f.open_submissions(c, opener, f.opener(c))
    link = url("opened_submission", c, version.submission.pk)
    login(client, f.the_officer(c))
    assert link in client.get(url("opening", c)).content.decode()
    login(client, opener)  # an opener who is no evaluator opens, but does not read
    page = client.get(url("opening", c)).content.decode()
    assert link not in page
    assert client.get(link).status_code == 403


def test_a_superuser_without_a_reader_role_reads_no_opened_submission(client, world):
    c, version = world
    f.open_submissions(c, f.opener(c), f.opener(c))
    admin = user_with_role(Role.ADMINISTRATOR, c.municipality, is_superuser=True, is_staff=True)
    login(client, admin)
    assert client.get(url("opened_submission", c, version.submission.pk)).status_code == 403
    assert client.get(url("opened_file", c, version.submission.pk, 0)).status_code == 403
    assert not AuditEvent.objects.filter(action="bids.read").exists()
