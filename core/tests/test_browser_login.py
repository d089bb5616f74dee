"""Logging in as a person would, in headless chromium: password, enrolment with the key shown, code, logout."""

import base64

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from core.models import Role
from core.testing import PASSWORD, MunicipalityFactory, UserFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_policy_advisor_logs_in_with_password_and_totp(page, browser_login):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    advisor = user_with_role(Role.POLICY_ADVISOR, m)
    browser_login(page, advisor, next_url=reverse("landscape:overview", args=["GM0546"]))
    expect(page.get_by_text(f"Ingelogd als {advisor.username}")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()


def test_first_login_enrols_an_authenticator_with_the_key_on_the_page(page):
    from core.models import RoleAssignment

    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.AUDITOR, municipality=MunicipalityFactory())
    page.goto(reverse("core:login") + "?next=" + reverse("audit:log"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**" + reverse("core:login_enrol"))
    expect(page.locator(".ww-qr svg")).to_be_visible()
    # Type the key into an "authenticator" (django-otp's TOTP), as a user would into their app.
    key = page.locator(".ww-qr code").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    page.fill("#id_token", f"{TOTP(secret).token():06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**" + reverse("audit:log"))
    expect(page.get_by_role("heading", name="Auditlog")).to_be_visible()


def test_wrong_password_in_the_browser_shows_a_dutch_error(page):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    page.goto(reverse("core:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "verkeerd")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_have_text("Gebruikersnaam of wachtwoord is niet juist.")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, live_server):
    page.goto(reverse("core:accessibility"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar hoofdinhoud")
    assert skip.evaluate("el => el === document.activeElement")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_shows_english_and_back(page, live_server):
    page.goto(reverse("core:accessibility"))
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
