import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def test_every_view_and_endpoint_declares_who_may_use_it():
    """Security by default: a view without an access declaration (core.access) fails this test."""
    undeclared = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue  # the Django admin: staff only, behind OTPAdminSite
        callback = pattern.callback
        cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if cls is not None and hasattr(cls, "permission_classes"):
            if not all(getattr(p, "declared", None) for p in cls.permission_classes):
                undeclared.append(route)
        elif not hasattr(callback, "access"):
            undeclared.append(route)
    assert undeclared == []


@pytest.mark.django_db
def test_audit_log_is_forbidden_for_a_policy_advisor(client):
    m = MunicipalityFactory()
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    assert client.get(reverse("audit:log")).status_code == 403


@pytest.mark.django_db
def test_audit_log_sends_anonymous_users_to_the_login(client):
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.django_db
def test_municipal_role_without_second_factor_is_sent_to_login(client):
    m = MunicipalityFactory()
    user = user_with_role(Role.AUDITOR, m)
    client.force_login(user)  # password only: no verified device in the session
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_auditor_with_second_factor_sees_the_audit_log(client):
    m = MunicipalityFactory()
    login(client, user_with_role(Role.AUDITOR, m))
    assert client.get(reverse("audit:log")).status_code == 200


@pytest.mark.django_db
def test_roles_through_a_purchasing_organisation_count_without_a_municipality():
    """roles_for(user) without a municipality (e.g. for the header) must not fail for a purchasing-organisation role."""
    from core.access import roles_for
    from core.models import PurchasingOrganisation, RoleAssignment

    m = MunicipalityFactory()
    po = PurchasingOrganisation.objects.create(name="Regio")
    po.municipalities.add(m)
    user = user_with_role(Role.POLICY_ADVISOR, m)
    RoleAssignment.objects.create(user=user, role=Role.PROCUREMENT_OFFICER, purchasing_organisation=po)
    assert roles_for(user) == {Role.POLICY_ADVISOR, Role.PROCUREMENT_OFFICER}
    assert Role.PROCUREMENT_OFFICER in roles_for(user, m)
