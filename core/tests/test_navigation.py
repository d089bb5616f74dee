import pytest
from django.urls import reverse

from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role


@pytest.fixture
def leiden(db):
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


def _menu(response):
    return {str(item["label"]): item for item in response.context["municipality_menu"]}


def test_public_sees_public_entries_only(client, leiden):
    menu = _menu(client.get(reverse("landscape:overview", args=["GM0546"])))
    assert {"Landschap", "Organisaties", "Opdrachten", "Scenario’s"} <= set(menu)
    assert "Importeren" not in menu and "Opdrachten ontwerpen" not in menu


def test_policy_advisor_sees_import_and_design_entries(client, leiden):
    login(client, user_with_role(Role.POLICY_ADVISOR, leiden))
    menu = _menu(client.get(reverse("landscape:overview", args=["GM0546"])))
    assert "Importeren" in menu and "Opdrachten ontwerpen" in menu


def test_policy_advisor_of_another_municipality_does_not(client, leiden):
    login(client, user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory()))
    menu = _menu(client.get(reverse("landscape:overview", args=["GM0546"])))
    assert "Importeren" not in menu


def test_current_entry_is_the_most_specific_one(client, leiden):
    from landscape.tests.factories import OrganisationFactory

    org = OrganisationFactory(municipality=leiden)
    menu = _menu(client.get(reverse("landscape:organisation_detail", args=["GM0546", org.pk])))
    assert menu["Organisaties"]["current"] == "true"
    assert menu["Landschap"]["current"] == ""
    menu = _menu(client.get(reverse("landscape:overview", args=["GM0546"])))
    assert menu["Landschap"]["current"] == "page"


def test_ui_is_dutch_even_when_the_browser_asks_for_english(client, leiden):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "nl"


def test_english_when_chosen_with_the_language_switch(client, leiden):
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("core:home")).headers["Content-Language"] == "en"
