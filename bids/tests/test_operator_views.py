"""The operator pages: who may use them, Dutch errors, nothing half-written; the optional second factor."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bids.models import EconomicOperator, OperatorMatch, OperatorMember
from core import otp
from core.models import Role
from core.testing import PASSWORD, MunicipalityFactory, UserFactory, login, user_with_role
from landscape.models import Organisation

from .factories_b2 import last_link_token, operator_values, register

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "een lang wachtwoord 2026"


def _form(**overrides):
    values = operator_values("Buurtkracht") | {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    return values | overrides


def test_registration_page_makes_the_operator_and_logs_in(client, mailoutbox, django_capture_on_commit_callbacks):
    assert client.get(reverse("bids:register")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bids:register"), _form())
    operator = EconomicOperator.objects.get()
    assert response.status_code == 302 and response.url == reverse("bids:operator", args=[operator.pk])
    assert client.get(response.url).status_code == 200  # logged in as its registrant
    assert "/inschrijven/bevestigen/" in mailoutbox[-1].body


def test_registration_errors_in_dutch_and_nothing_written(client):
    register("Bestaand", kvk_number="12345678")
    response = client.post(
        reverse("bids:register"), _form(kvk_number="12345678", vat_number="NL004495446B01", postcode="XYZ")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "al geregistreerd" in page and "geen geldig btw-nummer" in page
    assert EconomicOperator.objects.count() == 1 and OperatorMember.objects.count() == 1


def test_confirmation_link_confirms_only_on_post(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        operator, _user = register("Buurtkracht", confirmed=False)
    url = reverse("bids:operator_confirm", args=[last_link_token(mailoutbox)])
    assert client.get(url).status_code == 200
    operator.refresh_from_db()
    assert operator.email_confirmed_at is None  # a mail scanner following the link confirms nothing
    assert client.post(url).status_code == 302
    operator.refresh_from_db()
    assert operator.email_confirmed_at is not None
    assert client.post(url).status_code == 400


def test_operator_page_only_for_its_members(client):
    operator, user = register("Buurtkracht")
    url = reverse("bids:operator", args=[operator.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login
    login(client, UserFactory())
    assert client.get(url).status_code == 404
    login(client, user)
    assert client.get(url).status_code == 200


def test_only_a_manager_invites_through_the_page(client, mailoutbox, django_capture_on_commit_callbacks):
    operator, manager = register("Buurtkracht")
    colleague = UserFactory()
    OperatorMember.objects.create(operator=operator, user=colleague, joined_at=operator.created_at)
    login(client, colleague)
    url = reverse("bids:operator_invite", args=[operator.pk])
    assert client.post(url, {"email": "x@example.org"}).status_code == 404
    login(client, manager)
    assert client.post(url, {"email": "geen-adres"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"email": "nieuw@example.org"}).status_code == 302
    client.logout()
    accept = reverse("bids:invitation_accept", args=[last_link_token(mailoutbox)])
    assert client.post(accept, {"password": "kort", "password_again": "kort"}).status_code == 400
    response = client.post(accept, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert operator.members.filter(user__username="nieuw@example.org", is_manager=False).exists()


def test_member_without_totp_uses_the_bids_pages(client):
    operator, user = register("Buurtkracht")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.post(reverse("core:login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    for name, args in (("mine", []), ("invitations", []), ("operator", [operator.pk]), ("second_factor", [])):
        assert client.get(reverse(f"bids:{name}", args=args)).status_code == 200, name


def test_provider_may_enable_totp_and_then_logs_in_with_its_code(client):
    operator, user = register("Buurtkracht")
    login(client, user)
    url = reverse("bids:second_factor")
    assert b"<svg" in client.get(url).content
    device = otp.enrolment_device(client.session, user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time  # one reading of the clock for both codes
    assert client.post(url, {"token": f"{(totp.token() + 500000) % 1000000:06d}"}).status_code == 400
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.post(url, {"token": f"{totp.token():06d}"}).status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    client.logout()
    response = client.post(reverse("core:login"), {"username": user.username, "password": PASSWORD})
    assert response.url == reverse("core:login_token")  # the linked app's code is asked from now on


def test_municipality_confirms_matches_of_its_own_organisations(client):
    leiden, delft = MunicipalityFactory(), MunicipalityFactory()
    values = operator_values("Buurtkracht")
    Organisation.objects.create(municipality=leiden, name="BK", kvk_number=values["kvk_number"], kind="volunteer_only")
    operator, _user = register(**values | {"name": values["name"]})
    match = OperatorMatch.objects.get(operator=operator)
    url = reverse("bids:matches", args=[leiden.cbs_code])
    assert client.get(url).status_code == 302
    login(client, user_with_role(Role.EVALUATOR, leiden))
    assert client.get(url).status_code == 403
    login(client, user_with_role(Role.POLICY_ADVISOR, delft))
    assert client.get(url).status_code == 403
    delft_url = reverse("bids:matches", args=[delft.cbs_code])
    assert client.post(delft_url, {"match": match.pk, "decision": "confirm"}).status_code == 404
    login(client, user_with_role(Role.POLICY_ADVISOR, leiden))
    assert "BK" in client.get(url).content.decode()
    assert client.post(url, {"match": match.pk, "decision": "confirm"}).status_code == 302
    match.refresh_from_db()
    assert match.status == OperatorMatch.Status.CONFIRMED


def test_members_look_for_landscape_matches_again(client):
    operator, user = register("Buurtkracht")
    url = reverse("bids:operator_rematch", args=[operator.pk])
    login(client, UserFactory())
    assert client.post(url).status_code == 404
    Organisation.objects.create(municipality=MunicipalityFactory(), name=operator.name, kind="volunteer_only")
    login(client, user)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert OperatorMatch.objects.filter(operator=operator, status=OperatorMatch.Status.PROPOSED).count() == 1


def test_a_manager_asks_for_a_new_confirmation_link(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        operator, user = register("Buurtkracht", confirmed=False)
    first = last_link_token(mailoutbox)
    login(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("bids:operator_resend", args=[operator.pk])).status_code == 302
    second = last_link_token(mailoutbox)
    assert first != second
    assert client.post(reverse("bids:operator_confirm", args=[first])).status_code == 400  # the old link is void
    assert client.post(reverse("bids:operator_confirm", args=[second])).status_code == 302
