"""Operators register themselves, confirm their address, invite colleagues and are matched to the landscape (B2)."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bids import rules, services
from bids.models import EconomicOperator, OperatorMatch, OperatorMember, OperatorToken
from core.models import Role
from core.testing import MunicipalityFactory, UserFactory, user_with_role
from landscape.models import Organisation

from .factories_b2 import (
    VALID_NL_VAT,
    english_messages,  # noqa: F401  (a fixture)
    last_link_token,
    operator_values,
    register,
    submission,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]
PASSWORD = "een lang wachtwoord 2026"


def test_registration_makes_account_manager_and_mails_link_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        operator = services.register_operator(password=PASSWORD, **operator_values("Buurtkracht"))
    assert not mailoutbox  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    member = OperatorMember.objects.get(operator=operator)
    assert member.is_manager and member.user.username == operator.contact_email
    assert member.user.check_password(PASSWORD)
    assert operator.email_confirmed_at is None and not rules.operator_may_take_part(operator)
    raw = last_link_token(mailoutbox)
    token = OperatorToken.objects.get(operator=operator)
    assert token.token_sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(OperatorToken.objects.values_list().get())  # only the hash is stored
    assert token.expires_at - token.created_at == timedelta(days=3)


def test_confirmation_link_works_once_and_expires_after_three_days(mailoutbox, django_capture_on_commit_callbacks):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        operator, _user = register("Buurtkracht", confirmed=False, now=start)
    raw = last_link_token(mailoutbox)
    with pytest.raises(ValidationError):
        services.confirm_operator_email(raw, now=start + timedelta(days=3, seconds=1))
    services.confirm_operator_email(raw, now=start + timedelta(days=2))
    operator.refresh_from_db()
    assert rules.operator_may_take_part(operator)
    with pytest.raises(ValidationError):
        services.confirm_operator_email(raw, now=start + timedelta(days=2))
    with pytest.raises(ValidationError):
        services.confirm_operator_email("not-a-token")


def test_vat_number_validated_with_stdnum():
    assert rules.vat_number_error(VALID_NL_VAT, "NL") is None
    assert rules.vat_number_error("NL 0044.95.445.B01", "NL") is None
    assert rules.vat_number_error("NL004495446B01", "NL")  # wrong check digit (stdnum.nl.btw)
    assert rules.vat_number_error("DE136695976", "DE") is None  # stdnum.eu.vat
    assert rules.vat_number_error("DE136695978", "DE")
    assert rules.vat_number_error("DE136695976", "NL")  # another country's number
    with pytest.raises(ValidationError) as e:
        services.register_operator(password=PASSWORD, **operator_values(vat_number="NL004495446B01"))
    assert "vat_number" in e.value.message_dict
    operator = services.register_operator(password=PASSWORD, **operator_values(vat_number="nl004495445b01"))
    assert operator.vat_number == VALID_NL_VAT


def test_dutch_postcode_checked_only_for_dutch_addresses():
    with pytest.raises(ValidationError) as e:
        services.register_operator(password=PASSWORD, **operator_values(postcode="ABCD 12"))
    assert "postcode" in e.value.message_dict
    assert services.register_operator(password=PASSWORD, **operator_values(postcode="2311ez")).postcode == "2311 EZ"
    foreign = services.register_operator(
        password=PASSWORD,
        **operator_values("Buurtwerk Gent", kvk_number="", foreign_registration="0123.456.789", country="BE")
        | {"postcode": "9000"},
    )
    assert foreign.country == "BE" and foreign.kvk_number == ""


def test_kvk_number_or_foreign_registration_required_and_registered_once():
    values = operator_values("Eerste")
    services.register_operator(password=PASSWORD, **values)
    with pytest.raises(ValidationError) as e:
        services.register_operator(password=PASSWORD, **(values | {"contact_email": "ander@example.org"}))
    assert "already registered" in e.value.message_dict["kvk_number"][0]
    with pytest.raises(ValidationError) as e:
        services.register_operator(password=PASSWORD, **operator_values(kvk_number="1234"))
    assert "kvk_number" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.register_operator(password=PASSWORD, **operator_values(kvk_number="", country="DE"))
    assert "foreign_registration" in e.value.message_dict
    assert EconomicOperator.objects.count() == 1


def test_password_checked_with_django_validators_and_nothing_half_written():
    with pytest.raises(ValidationError) as e:
        services.register_operator(password="12345678", **operator_values())
    assert "password" in e.value.message_dict
    assert not EconomicOperator.objects.exists() and not OperatorMember.objects.exists()


def test_manager_invites_a_colleague_who_accepts_with_a_new_account(mailoutbox, django_capture_on_commit_callbacks):
    operator, manager = register("Buurtkracht")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_colleague(operator, manager, "Collega@Example.org")
    assert mailoutbox[-1].to == ["collega@example.org"]
    raw = last_link_token(mailoutbox)
    member = services.accept_invitation(raw, password=PASSWORD)
    assert member.user.username == "collega@example.org" and not member.is_manager
    with pytest.raises(ValidationError):
        services.accept_invitation(raw, user=UserFactory())  # used once


def test_logged_in_user_accepts_an_invitation(mailoutbox, django_capture_on_commit_callbacks):
    operator, manager = register("Buurtkracht")
    existing = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_colleague(operator, manager, "iemand@example.org")
    services.accept_invitation(last_link_token(mailoutbox), user=existing)
    assert rules.is_member(existing, operator) and not rules.is_manager(existing, operator)


def test_only_a_manager_of_a_confirmed_operator_invites():
    operator, manager = register("Buurtkracht")
    colleague = UserFactory()
    OperatorMember.objects.create(operator=operator, user=colleague, joined_at=timezone.now())
    with pytest.raises(ValidationError):
        services.invite_colleague(operator, colleague, "x@example.org")
    unconfirmed, its_manager = register("Nieuw", confirmed=False)
    with pytest.raises(ValidationError):
        services.invite_colleague(unconfirmed, its_manager, "x@example.org")


def test_unconfirmed_operator_cannot_be_invited_into_a_consortium():
    s, lead_user = submission()
    unconfirmed, _user = register("Nieuw", confirmed=False)
    with pytest.raises(ValidationError) as e:
        services.add_participation(s, lead_user, operator=unconfirmed, ring=2)
    assert "confirmed its e-mail address" in str(e.value)


def test_matches_proposed_by_kvk_in_any_municipality_else_by_name():
    leiden, delft, gouda = MunicipalityFactory(), MunicipalityFactory(), MunicipalityFactory()
    values = operator_values("Buurtkracht")
    by_kvk_1 = Organisation.objects.create(municipality=leiden, name="BK", kvk_number=values["kvk_number"], kind="x")
    by_kvk_2 = Organisation.objects.create(municipality=delft, name="Iets", kvk_number=values["kvk_number"], kind="x")
    same_name_elsewhere = Organisation.objects.create(municipality=gouda, name="stichting  BUURTKRACHT", kind="x")
    Organisation.objects.create(municipality=leiden, name="Stichting Buurtkracht", kind="x")  # KvK match wins here
    Organisation.objects.create(municipality=gouda, name="Stichting Buurtkracht Noord", kind="x")
    operator = services.register_operator(password=PASSWORD, **values)
    proposed = set(OperatorMatch.objects.filter(operator=operator).values_list("organisation", flat=True))
    assert proposed == {by_kvk_1.pk, by_kvk_2.pk, same_name_elsewhere.pk}
    assert services.propose_matches(operator) == []  # on demand: nothing twice


def test_match_confirmed_only_by_the_organisations_municipality():
    leiden, delft = MunicipalityFactory(), MunicipalityFactory()
    values = operator_values("Buurtkracht")
    org = Organisation.objects.create(municipality=leiden, name="BK", kvk_number=values["kvk_number"], kind="x")
    operator = services.register_operator(password=PASSWORD, **values)
    match = OperatorMatch.objects.get(operator=operator, organisation=org)
    for outsider in (
        user_with_role(Role.POLICY_ADVISOR, delft),
        user_with_role(Role.EVALUATOR, leiden),
        operator.members.get().user,
    ):
        with pytest.raises(ValidationError):
            services.decide_match(match, outsider, confirm=True)
    decided = services.decide_match(match, user_with_role(Role.PROCUREMENT_OFFICER, leiden), confirm=True)
    assert decided.status == OperatorMatch.Status.CONFIRMED
    with pytest.raises(ValidationError):
        services.decide_match(match, user_with_role(Role.POLICY_ADVISOR, leiden), confirm=False)


def test_one_confirmed_match_per_operator_and_municipality():
    leiden = MunicipalityFactory()
    values = operator_values("Buurtkracht")
    Organisation.objects.create(municipality=leiden, name="BK", kvk_number=values["kvk_number"], kind="x")
    other = Organisation.objects.create(municipality=leiden, name="Buurtkracht Noord", kind="x")
    operator = services.register_operator(password=PASSWORD, **values)
    officer = user_with_role(Role.PROCUREMENT_OFFICER, leiden)
    first = OperatorMatch.objects.get(operator=operator)
    second = OperatorMatch.objects.create(operator=operator, organisation=other, proposed_at=timezone.now())
    services.decide_match(first, officer, confirm=True)
    with pytest.raises(ValidationError):
        services.decide_match(second, officer, confirm=True)
    assert services.decide_match(second, officer, confirm=False).status == OperatorMatch.Status.REJECTED
