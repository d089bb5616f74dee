"""The two-step login: password for everyone, then TOTP for municipal staff; the lock after repeated failures."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import otp, throttle
from core.models import Role
from core.testing import PASSWORD, MunicipalityFactory, UserFactory, login, user_with_role
from landscape import services as landscape_services
from landscape.models import Organisation

pytestmark = pytest.mark.django_db

LOGIN = reverse("core:login")
TOKEN = reverse("core:login_token")
ENROL = reverse("core:login_enrol")
AUDIT = reverse("audit:log")


@pytest.fixture(autouse=True)
def _no_device_backoff(settings):
    # django-otp's own per-device backoff would refuse a right code right after a wrong one; our lock is tested here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _password_step(client, user, password=PASSWORD, next_url=None):
    data = {"username": user.get_username(), "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def _code(user):
    return otp.current_token(TOTPDevice.objects.get(user=user))


def _logged_in(client):
    return SESSION_KEY in client.session


def _verified(client):
    return DEVICE_ID_SESSION_KEY in client.session


def _organisation(municipality):
    return landscape_services.upsert_organisation(
        municipality, name="Buurthuis De Linde", kind=Organisation.Kind.VOLUNTEER_ONLY
    )


# --- password only: provider representatives and social workers --------------------------------------------------


def test_social_worker_logs_in_with_password_only(client):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    response = _password_step(client, user, next_url="/toegankelijkheid")
    assert response.status_code == 302
    assert response["Location"] == "/toegankelijkheid"
    assert _logged_in(client)


def test_provider_representative_logs_in_with_password_only(client):
    m = MunicipalityFactory()
    user = user_with_role(Role.PROVIDER_REPRESENTATIVE, m, organisation=_organisation(m))
    response = _password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in(client)


def test_wrong_password_shows_a_dutch_error_and_does_not_log_in(client):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    response = _password_step(client, user, password="not the password")
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord is niet juist." in response.content.decode()
    assert not _logged_in(client)


def test_unknown_user_gets_the_same_error_as_a_wrong_password(client):
    response = client.post(LOGIN, {"username": "nobody", "password": "whatever"})
    assert "Gebruikersnaam of wachtwoord is niet juist." in response.content.decode()


def test_inactive_user_cannot_log_in(client):
    user = UserFactory(is_active=False)
    response = _password_step(client, user)
    assert response.status_code == 200
    assert not _logged_in(client)


def test_empty_form_names_the_missing_fields_in_dutch(client):
    response = client.post(LOGIN, {})
    assert response.status_code == 200
    assert response.content.decode().count("Dit veld is vereist.") == 2


def test_next_to_another_site_is_ignored(client):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    response = _password_step(client, user, next_url="https://evil.example/steal")
    assert response["Location"] == "/"


# --- municipal staff: TOTP -----------------------------------------------------------------------------------------


def test_municipal_user_with_device_is_not_logged_in_after_the_password(client):
    user = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    response = _password_step(client, user)
    assert response["Location"] == TOKEN
    assert not _logged_in(client)


def test_municipal_user_logs_in_with_password_and_code(client):
    user = user_with_role(Role.AUDITOR, MunicipalityFactory())
    _password_step(client, user, next_url=AUDIT)
    response = client.post(TOKEN, {"token": _code(user)})
    assert response["Location"] == AUDIT
    assert _logged_in(client) and _verified(client)
    assert client.get(AUDIT).status_code == 200


def test_wrong_code_shows_a_dutch_error_then_the_right_code_works(client):
    user = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    _password_step(client, user)
    right = _code(user)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(TOKEN, {"token": wrong})
    assert response.status_code == 200
    assert "Deze code is niet juist of verlopen." in response.content.decode()
    assert not _logged_in(client)
    assert client.post(TOKEN, {"token": right}).status_code == 302
    assert _verified(client)


def test_malformed_code_asks_for_six_digits(client):
    user = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    _password_step(client, user)
    response = client.post(TOKEN, {"token": "12ab"})
    assert "Vul de code van 6 cijfers in." in response.content.decode()


def test_code_page_without_the_password_step_goes_back_to_login(client):
    user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    assert client.get(TOKEN)["Location"] == LOGIN
    assert client.post(TOKEN, {"token": "123456"})["Location"] == LOGIN
    assert client.get(ENROL)["Location"] == LOGIN


def _enrol_code(client, user, offset=0):
    device = TOTPDevice(user=user, key=client.session[otp.ENROL_KEY])
    return f"{(int(otp.current_token(device)) + offset) % 1_000_000:06d}"


def test_first_login_enrols_a_device_with_qr_code_and_key(client):
    user = UserFactory()
    from core.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.PROCUREMENT_OFFICER, municipality=MunicipalityFactory())
    assert _password_step(client, user)["Location"] == ENROL
    page = client.get(ENROL)
    html = page.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()  # showing the page (a GET) writes nothing
    assert "<svg" in html
    assert otp.secret_base32(TOTPDevice(key=client.session[otp.ENROL_KEY])) in html
    assert client.get(ENROL).content.decode().count(otp.secret_base32(TOTPDevice(key=client.session[otp.ENROL_KEY])))
    assert client.get(TOKEN)["Location"] == LOGIN  # no confirmed device yet: no code step
    response = client.post(ENROL, {"token": _enrol_code(client, user)})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert _verified(client)


def test_confirming_an_authenticator_is_audited_without_the_key(client):
    from audit.models import AuditEvent

    municipality = MunicipalityFactory()
    user = UserFactory()
    from core.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.PROCUREMENT_OFFICER, municipality=municipality)
    _password_step(client, user)
    client.get(ENROL)
    key = client.session[otp.ENROL_KEY]
    client.post(ENROL, {"token": _enrol_code(client, user)})
    event = AuditEvent.objects.get(action="core.totp.confirm")
    assert event.actor == user and event.municipality_code == municipality.cbs_code
    assert key not in str(event.summary)


def test_enrolment_with_a_wrong_code_confirms_nothing(client):
    user = UserFactory(is_staff=True)
    _password_step(client, user)
    client.get(ENROL)
    response = client.post(ENROL, {"token": _enrol_code(client, user, offset=1)})
    assert "Deze code is niet juist of verlopen." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not _logged_in(client)


def test_enrolment_page_is_skipped_once_a_device_is_confirmed(client):
    user = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    _password_step(client, user)
    assert client.get(ENROL)["Location"] == TOKEN


def test_demo_code_hint_is_shown_only_when_demo_show_totp_is_set(client, settings):
    user = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    user.totpdevice_set.update(name=otp.DEMO_DEVICE_NAME)
    settings.DEBUG = True
    _password_step(client, user)
    settings.DEMO_SHOW_TOTP = False
    assert "Demo-omgeving" not in client.get(TOKEN).content.decode()
    settings.DEMO_SHOW_TOTP = True
    html = client.get(TOKEN).content.decode()
    assert f"Demo-omgeving: de code is nu {_code(user)}." in html


# --- a municipal role never works without a verified device --------------------------------------------------------


def test_municipal_user_never_reaches_a_role_view_without_a_verified_device(client):
    user = user_with_role(Role.AUDITOR, MunicipalityFactory())
    _password_step(client, user)  # password right, code not yet given
    assert client.get(AUDIT).status_code == 302
    client.force_login(user)  # a session with the password but no device
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_unconfirmed_device_does_not_count_as_second_factor(client):
    user = UserFactory()
    from core.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.AUDITOR, municipality=MunicipalityFactory())
    device = TOTPDevice.objects.create(user=user, name="half", confirmed=False)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(AUDIT).status_code == 302


def test_admin_requires_a_verified_device(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=admin, name="admin", confirmed=True)
    client.force_login(admin)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "Inloggen" in response.content.decode()
    login(client, admin)
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_sends_to_our_two_step_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- lock after repeated failures ----------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_for_15_minutes(client, monkeypatch):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    for _ in range(throttle.MAX_FAILURES - 1):
        assert "niet juist" in _password_step(client, user, password="wrong").content.decode()
    locked = _password_step(client, user, password="wrong").content.decode()
    assert "Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw." in locked
    # While locked, even the right password is refused.
    response = _password_step(client, user)
    assert response.status_code == 200
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert not _logged_in(client)
    # After 15 minutes the right password works again.
    later = throttle._now() + throttle.LOCK_SECONDS + 1
    monkeypatch.setattr(throttle, "_now", lambda: later)
    assert _password_step(client, user).status_code == 302
    assert _logged_in(client)


def test_lock_is_per_username(client):
    victim = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    other = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    for _ in range(throttle.MAX_FAILURES):
        _password_step(client, victim, password="wrong")
    assert _password_step(client, other).status_code == 302


def test_lock_ignores_case_and_spacing_of_the_username(client):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    for _ in range(throttle.MAX_FAILURES):
        client.post(LOGIN, {"username": f" {user.username.upper()} ", "password": "wrong"})
    assert throttle.seconds_locked(user.username) > 0


def test_successful_login_resets_the_failure_count(client):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    for _ in range(throttle.MAX_FAILURES - 1):
        _password_step(client, user, password="wrong")
    _password_step(client, user)
    client.logout()
    for _ in range(throttle.MAX_FAILURES - 1):
        _password_step(client, user, password="wrong")
    assert _password_step(client, user).status_code == 302


def test_wrong_codes_count_towards_the_lock_and_end_the_login_attempt(client):
    user = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    _password_step(client, user)
    wrong = f"{(int(_code(user)) + 1) % 1_000_000:06d}"
    for _ in range(throttle.MAX_FAILURES - 1):
        assert client.post(TOKEN, {"token": wrong}).status_code == 200
    response = client.post(TOKEN, {"token": wrong}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Te veel mislukte pogingen" in response.content.decode()
    # The pending password step is gone and the right code no longer helps.
    assert client.post(TOKEN, {"token": _code(user)})["Location"] == LOGIN
    assert not _logged_in(client)


# --- logout --------------------------------------------------------------------------------------------------------


def test_logout_ends_the_session(client):
    login(client, user_with_role(Role.AUDITOR, MunicipalityFactory()))
    response = client.post(reverse("core:logout"), follow=True)
    assert "U bent uitgelogd." in response.content.decode()
    assert not _logged_in(client)
    assert client.get(AUDIT).status_code == 302


def test_logout_needs_post(client):
    login(client, user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory()))
    assert client.get(reverse("core:logout")).status_code == 405
    assert _logged_in(client)


def test_demo_code_hint_only_for_accounts_the_demo_created_and_only_with_debug_on(client, settings):
    settings.DEMO_SHOW_TOTP = True
    real = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())  # an account made by an administrator
    demo_account = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    demo_account.totpdevice_set.update(name=otp.DEMO_DEVICE_NAME)
    settings.DEBUG = True
    _password_step(client, real)
    assert "Demo-omgeving" not in client.get(TOKEN).content.decode()
    client.logout()
    _password_step(client, demo_account)
    assert "Demo-omgeving" in client.get(TOKEN).content.decode()
    settings.DEBUG = False
    assert "Demo-omgeving" not in client.get(TOKEN).content.decode()
