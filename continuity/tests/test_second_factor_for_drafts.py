"""A password-only session that later gets a municipal role must not read draft scenarios, page nor API, without the
second factor (issue #9; core.access.roles_for drops municipal roles of an unverified session)."""

import pytest
from django.urls import reverse

from continuity import services
from continuity.models import Scenario
from core.models import Role, RoleAssignment
from core.testing import login, user_with_role

from . import landscape_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_and_session(client):
    m, *_ = landscape_fixture.build()
    s = services.create_scenario(municipality=m, name="Geheim concept", kind=Scenario.Kind.TENDER)
    user = user_with_role(Role.SOCIAL_WORKER, m)  # needs no second factor: logs in with a password alone
    client.force_login(user)
    RoleAssignment.objects.create(user=user, role=Role.POLICY_ADVISOR, municipality=m)  # given later
    return m, s, user


def test_password_only_session_with_a_new_municipal_role_cannot_read_a_draft_page(client, draft_and_session):
    m, s, user = draft_and_session
    assert client.get(reverse("continuity:scenario", args=[m.cbs_code, s.pk])).status_code == 404
    listing = client.get(reverse("continuity:list", args=[m.cbs_code])).content.decode()
    assert "Geheim concept" not in listing


def test_password_only_session_with_a_new_municipal_role_cannot_read_a_draft_through_the_api(client, draft_and_session):
    m, s, user = draft_and_session
    assert client.get(f"/api/v1/scenarios/{s.pk}").status_code == 404
    assert client.get(f"/api/v1/scenarios/{s.pk}/impact").status_code == 404
    listing = client.get("/api/v1/scenarios", {"municipality": m.cbs_code}).json()
    assert [r["name"] for r in listing["results"]] == []


def test_with_the_second_factor_the_same_role_reads_the_draft(client, draft_and_session):
    m, s, user = draft_and_session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    login(client, user)
    assert client.get(reverse("continuity:scenario", args=[m.cbs_code, s.pk])).status_code == 200
    assert client.get(f"/api/v1/scenarios/{s.pk}").status_code == 200


def test_only_pages_with_charts_allow_vega_to_evaluate_expressions(client):
    m, *_ = landscape_fixture.build()
    s = services.create_scenario(municipality=m, name="Openbaar", kind=Scenario.Kind.TENDER)
    from continuity import selectors

    services.store_impact(s, selectors.compute_impact(s))
    Scenario.objects.filter(pk=s.pk).update(published=True)  # test shortcut: publishing itself is tested elsewhere
    page = client.get(reverse("continuity:scenario", args=[m.cbs_code, s.pk]))
    assert b"vega.min.js" in page.content and "'unsafe-eval'" in page["Content-Security-Policy"]
    assert "'unsafe-eval'" not in client.get("/")["Content-Security-Policy"]
