"""Issue #9: writes that bypassed the audit log — createsuperuser, the Group and TOTP device admins, and events of a
commissioning run by a purchasing organisation that no municipality's auditor could see."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import verify_chain
from core.models import PurchasingOrganisation, Role, RoleAssignment, User
from core.testing import MunicipalityFactory, UserFactory, login, user_with_role
from tenders import services as tender_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_superuser=True, is_staff=True, username="beheer")
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return login(client, user)


def test_createsuperuser_is_audited(monkeypatch):
    call_command("createsuperuser", username="noodbeheer", email="beheer@example.org", interactive=False)
    event = AuditEvent.objects.get(
        action="core.superuser.create", object_id=str(User.objects.get(username="noodbeheer").pk)
    )
    assert event.summary["username"] == "noodbeheer"
    assert verify_chain() is None


def test_group_admin_writes_are_audited(admin_client):
    response = admin_client.post(reverse("admin:auth_group_add"), {"name": "Beheerders", "permissions": []})
    assert response.status_code == 302
    group = Group.objects.get(name="Beheerders")
    assert AuditEvent.objects.filter(action="auth.admin_add", object_id=str(group.pk)).exists()
    admin_client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert AuditEvent.objects.filter(action="auth.admin_delete", object_id=str(group.pk)).exists()


def test_totp_device_admin_writes_are_audited_without_the_key(admin_client):
    municipality = MunicipalityFactory(cbs_code="GM0546")
    staff = user_with_role(Role.POLICY_ADVISOR, municipality, username="beleid")
    device = TOTPDevice.objects.get(user=staff)
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data |= {"user": staff.pk, "name": "nieuwe telefoon", "confirmed": "on", "key": "ab" * 20}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="otp_totp.admin_change")
    assert event.municipality_code == "GM0546"
    assert "ab" * 20 not in str(event.summary) and event.summary["changed_secrets"] == ["key"]
    admin_client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert AuditEvent.objects.filter(action="otp_totp.admin_delete").exists()


def test_events_of_a_purchasing_organisations_commissioning_name_all_its_municipalities():
    leiden, oegstgeest = MunicipalityFactory(cbs_code="GM0546"), MunicipalityFactory(cbs_code="GM0579")
    po = PurchasingOrganisation.objects.create(name="Inkoop Holland Rijnland")
    po.municipalities.set([leiden, oegstgeest])
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.PROCUREMENT_OFFICER, purchasing_organisation=po)
    c = tender_services.create_commissioning(
        user, purchasing_organisation=po, title="Regionaal", goals="Samen", route="open"
    )
    event = AuditEvent.objects.get(action="tenders.create")
    assert event.municipality_code == "GM0546,GM0579"
    assert event.object_id == str(c.pk)
