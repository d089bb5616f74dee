import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import verify_chain
from core import services
from core.access import roles_for
from core.models import Municipality, Role, RoleAssignment, User
from core.testing import MunicipalityFactory
from landscape import services as landscape_services

pytestmark = pytest.mark.django_db


def _events():
    return AuditEvent.objects.count()


def test_upsert_user_creates_once_and_records_nothing_when_nothing_changes():
    services.upsert_user("anna", password_hash=make_password("x-secret-x"), first_name="Anna")
    before = _events()
    services.upsert_user("anna", first_name="Anna")
    assert _events() == before
    assert User.objects.filter(username="anna").count() == 1


def test_upsert_user_never_puts_the_password_hash_in_the_audit_summary():
    services.upsert_user("anna", password_hash=make_password("x-secret-x"), first_name="Anna")
    services.upsert_user("anna", first_name="Anne")
    summaries = " ".join(str(e.summary) for e in AuditEvent.objects.all())
    assert "pbkdf2" not in summaries and "x-secret-x" not in summaries
    assert AuditEvent.objects.last().summary == {"before": {"first_name": "Anna"}, "after": {"first_name": "Anne"}}


def test_upsert_user_does_not_reset_an_existing_password():
    user = services.upsert_user("anna", password_hash=make_password("first-password"))
    services.upsert_user("anna", password_hash=make_password("other-password"))
    user.refresh_from_db()
    assert user.check_password("first-password")


def test_user_without_password_hash_cannot_log_in_with_a_password():
    assert not services.upsert_user("bob").has_usable_password()


def test_upsert_user_rejects_unknown_fields():
    with pytest.raises(TypeError, match="password"):
        services.upsert_user("anna", password="plain")


def test_assign_role_twice_creates_one_assignment_and_one_event():
    m = MunicipalityFactory()
    user = services.upsert_user("anna")
    before = _events()
    services.assign_role(user, Role.POLICY_ADVISOR, municipality=m)
    services.assign_role(user, Role.POLICY_ADVISOR, municipality=m)
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert _events() == before + 1
    assert roles_for(user, m) == {Role.POLICY_ADVISOR}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"role": "mayor"}, "unknown role"),
        ({"role": Role.AUDITOR, "no_scope": True}, "exactly one"),
        ({"role": Role.AUDITOR, "both_scopes": True}, "exactly one"),
        ({"role": Role.PROVIDER_REPRESENTATIVE}, "provider representative"),
        ({"role": Role.AUDITOR, "with_organisation": True}, "provider representative"),
    ],
)
def test_assign_role_rejects_an_impossible_assignment_and_writes_nothing(kwargs, message):
    m = MunicipalityFactory()
    user = services.upsert_user("anna")
    purchasing = services.upsert_purchasing_organisation("Regio", municipalities=[m])
    org = landscape_services.upsert_organisation(m, name="Buurtkracht", kind="volunteer_only")
    scope = {"municipality": m}
    if kwargs.get("no_scope"):
        scope = {}
    if kwargs.get("both_scopes"):
        scope["purchasing_organisation"] = purchasing
    if kwargs.get("with_organisation"):
        scope["organisation"] = org
    before = _events()
    with pytest.raises(ValueError, match=message):
        services.assign_role(user, kwargs["role"], **scope)
    assert _events() == before
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_provider_representative_cannot_represent_another_municipalitys_organisation():
    leiden, haarlem = MunicipalityFactory(), MunicipalityFactory()
    org = landscape_services.upsert_organisation(haarlem, name="Buurtkracht", kind="volunteer_only")
    user = services.upsert_user("anna")
    with pytest.raises(ValueError, match="another municipality"):
        services.assign_role(user, Role.PROVIDER_REPRESENTATIVE, municipality=leiden, organisation=org)


def test_role_through_purchasing_organisation_covers_only_its_municipalities():
    leiden, haarlem = MunicipalityFactory(), MunicipalityFactory()
    purchasing = services.upsert_purchasing_organisation("Regio", municipalities=[leiden])
    user = services.upsert_user("anna")
    services.assign_role(user, Role.PROCUREMENT_OFFICER, purchasing_organisation=purchasing)
    assert roles_for(user, leiden) == {Role.PROCUREMENT_OFFICER}
    assert roles_for(user, haarlem) == set()


def test_purchasing_organisation_update_is_audited_once():
    leiden, haarlem = MunicipalityFactory(), MunicipalityFactory()
    services.upsert_purchasing_organisation("Regio", municipalities=[leiden])
    before = _events()
    services.upsert_purchasing_organisation("Regio", municipalities=[leiden])
    assert _events() == before
    services.upsert_purchasing_organisation("Regio", municipalities=[leiden, haarlem])
    assert _events() == before + 1


def test_ensure_totp_device_creates_one_confirmed_device_and_never_audits_its_key():
    user = services.upsert_user("anna")
    device = services.ensure_totp_device(user)
    assert services.ensure_totp_device(user) == device
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    event = AuditEvent.objects.filter(action="core.totp.create").get()
    assert device.key not in str(event.summary)


def test_upsert_municipality_rejects_a_bad_cbs_code_and_writes_nothing():
    before = _events()
    with pytest.raises(ValidationError):
        services.upsert_municipality("GM546", name="Leiden")
    assert not Municipality.objects.exists()
    assert _events() == before


def test_upsert_municipality_updates_tokens_and_keeps_the_chain_intact():
    services.upsert_municipality("GM0546", name="Leiden", design_tokens={"basis-heading-color": "#7a0c14"})
    services.upsert_municipality("GM0546", name="Leiden")  # None: tokens unchanged, nothing recorded
    m = services.upsert_municipality("GM0546", name="Leiden", design_tokens={"basis-heading-color": "#000000"})
    assert m.design_tokens == {"basis-heading-color": "#000000"}
    assert AuditEvent.objects.filter(action__startswith="core.municipality").count() == 2
    assert verify_chain() is None
