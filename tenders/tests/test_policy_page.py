"""The municipal procurement policy page (issue 13): who may set it, audited saving, bad input as a Dutch 400."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from tenders import time_limits
from tenders.models import ProcurementPolicy

pytestmark = pytest.mark.django_db

VALID = {
    "light_minimum_days": "25",
    "national_minimum_days": "15",
    "minimum_extension_days": "12",
    "max_initial_years": "5",
    "max_total_years": "8",
}


def url(m):
    return reverse("tenders:policy", args=[m.cbs_code])


def test_the_policy_page_is_for_the_administrator_and_the_procurement_officer_only(client, m):
    assert client.get(url(m)).status_code == 302  # to the login
    for user in (user_with_role(Role.POLICY_ADVISOR, m), user_with_role(Role.ADMINISTRATOR, MunicipalityFactory())):
        client.logout()
        login(client, user)
        assert client.get(url(m)).status_code == 403
        assert client.post(url(m), VALID).status_code == 403
    assert not ProcurementPolicy.objects.exists()


def test_the_administrator_sets_the_policy_and_it_is_audited_policy(client, m):
    login(client, user_with_role(Role.ADMINISTRATOR, m))
    page = client.get(url(m))
    assert page.status_code == 200 and "geen wettelijke regels" in page.content.decode()
    assert client.post(url(m), VALID).status_code == 302
    policy = time_limits.policy_for(m)
    assert (policy.light_minimum_days, policy.minimum_extension_days, policy.max_total_years) == (25, 12, 8)
    event = AuditEvent.objects.get(action="tenders.policy")
    assert event.summary["after"]["minimum_extension_days"] == 12


def test_a_total_term_shorter_than_the_initial_term_is_a_400_in_dutch_and_nothing_is_saved(client, m):
    login(client, user_with_role(Role.PROCUREMENT_OFFICER, m))
    response = client.post(url(m), {**VALID, "max_total_years": "4"})
    assert response.status_code == 400
    assert "kan niet korter zijn dan de maximale initiële looptijd" in response.content.decode()
    assert client.post(url(m), {**VALID, "light_minimum_days": "0"}).status_code == 400
    assert not ProcurementPolicy.objects.exists()
