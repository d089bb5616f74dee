"""Issue #10: logins, failed logins, wrong second-factor codes and lockouts are audit events, without secrets."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import verify_chain
from core import otp, throttle
from core.models import Role
from core.testing import PASSWORD, MunicipalityFactory, user_with_role

pytestmark = pytest.mark.django_db
LOGIN = reverse("core:login")
TOKEN = reverse("core:login_token")


@pytest.fixture(autouse=True)
def _no_device_backoff(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def officer(db):
    return user_with_role(Role.PROCUREMENT_OFFICER, MunicipalityFactory(cbs_code="GM0546"), username="inkoper")


def _actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_a_complete_login_is_an_event_of_the_users_municipality(client, officer):
    client.post(LOGIN, {"username": "inkoper", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=officer)
    client.post(TOKEN, {"token": otp.current_token(device)})
    event = AuditEvent.objects.get(action="core.login")
    assert (event.actor, event.role, event.municipality_code) == (officer, "procurement_officer", "GM0546")


def test_a_failed_login_is_an_event_without_the_password(client, officer):
    client.post(LOGIN, {"username": "inkoper", "password": "geheim-fout-123"})
    event = AuditEvent.objects.get(action="core.login_failed")
    assert event.actor_name == "inkoper" and event.municipality_code == "GM0546"
    assert "geheim-fout-123" not in str(event.summary) + event.actor_name
    assert event.summary == {"username": "inkoper", "known_user": True}


def test_a_failed_login_for_an_unknown_name_is_an_event_without_municipality(client, db):
    client.post(LOGIN, {"username": "niemand", "password": "x"})
    event = AuditEvent.objects.get(action="core.login_failed")
    assert event.municipality_code == "" and event.summary["known_user"] is False


def test_a_wrong_second_factor_code_is_an_event_without_the_code(client, officer):
    client.post(LOGIN, {"username": "inkoper", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(otp.current_token(device)) + 1) % 1_000_000:06d}"
    client.post(TOKEN, {"token": wrong})
    event = AuditEvent.objects.get(action="core.second_factor_failed")
    assert event.actor_name == "inkoper" and event.municipality_code == "GM0546"
    assert wrong not in str(event.summary)


def test_a_lockout_is_an_event(client, officer):
    for _ in range(throttle.MAX_FAILURES):
        client.post(LOGIN, {"username": "inkoper", "password": "fout"})
    assert _actions().count("core.login_failed") == throttle.MAX_FAILURES
    event = AuditEvent.objects.get(action="core.lockout")
    assert event.actor_name == "inkoper" and event.municipality_code == "GM0546"
    assert verify_chain() is None
