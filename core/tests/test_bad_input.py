"""Bad input gets a 4xx, never a 500 (issue #9): NUL characters in the address (PostgreSQL refuses them in text) and
numbers no database key can hold (an OverflowError on SQLite)."""

import pytest

from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role

pytestmark = pytest.mark.django_db

NUL_ADDRESSES = [
    "/gemeenten/%00",
    "/afmelden/%00",
    "/api/v1/ocds/records/%00",
    "/api/v1/scenarios?municipality=%00",
    "/audit?actie=%00",
    "/gemeenten/GM0546/organisaties?zoek=a%00b",
    "/api/v1/organisations?municipality=GM0546&q=%00",
]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_a_nul_character_in_path_or_query_is_a_400_not_a_500(client, address):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    login(client, user_with_role(Role.AUDITOR, m))
    response = client.get(address)
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["1.8e43", "99999999999999999999999", "1.5", "-1", "0"])
@pytest.mark.parametrize("endpoint", ["/api/v1/activities", "/api/v1/fundings"])
def test_an_organisation_id_no_database_key_can_hold_is_a_400_with_a_message(client, endpoint, value):
    response = client.get(endpoint, {"organisation": value})
    assert response.status_code == 400
    assert "organisation" in response.json()
