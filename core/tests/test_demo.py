import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import verify_chain
from core import demo
from core.access import represented_organisation_ids, roles_for
from core.contrast import AA_NORMAL_TEXT, contrast_ratio
from core.models import MUNICIPAL_ROLES, Municipality, PurchasingOrganisation, Role, RoleAssignment, User
from core.otp import current_token
from landscape.models import Activity, District, Funding, Organisation

MODELS = [
    Municipality,
    PurchasingOrganisation,
    User,
    RoleAssignment,
    TOTPDevice,
    District,
    Organisation,
    Activity,
    Funding,
]


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_the_second_time():
    _load()
    counts, events = _counts(), AuditEvent.objects.count()
    tokens = {m.cbs_code: m.design_tokens for m in Municipality.objects.all()}
    _load()
    assert _counts() == counts
    assert AuditEvent.objects.count() == events
    assert {m.cbs_code: m.design_tokens for m in Municipality.objects.all()} == tokens
    assert verify_chain() is None


@pytest.mark.django_db
def test_load_demo_prints_a_login_for_every_role_in_each_municipality():
    output = _load()
    assert demo.DEMO_PASSWORD in output
    for m in ("leiden", "haarlem"):
        for part, _label in demo.ROLE_USERNAMES.values():
            assert re.search(rf"^{m}\.{part}\s", output, re.MULTILINE), f"{m}.{part} missing"
        assert f"{m}.aanbieder1" in output
    assert "hr.inkoop" in output
    for cbs_code in ("GM0546", "GM0392"):
        held = set(RoleAssignment.objects.filter(municipality__cbs_code=cbs_code).values_list("role", flat=True))
        assert held == set(Role.values)


@pytest.mark.django_db
def test_demo_users_have_the_documented_password_and_municipal_roles_a_totp_device():
    _load()
    for username in ("leiden.beleid", "haarlem.auditor", "leiden.wijkwerker", "haarlem.aanbieder1"):
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        municipal = user.role_assignments.filter(role__in=MUNICIPAL_ROLES).exists()
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() == municipal


@pytest.mark.django_db
def test_demo_login_with_the_code_shown_on_the_login_page(client, settings):
    settings.DEMO_SHOW_TOTP = True
    settings.DEBUG = True
    _load()
    response = client.post(reverse("core:login"), {"username": "leiden.beleid", "password": demo.DEMO_PASSWORD})
    assert response["Location"] == reverse("core:login_token")
    page = client.get(reverse("core:login_token")).content.decode()
    code = re.search(r"\b(\d{6})\b", page).group(1)
    response = client.post(reverse("core:login_token"), {"token": code})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(username="leiden.beleid").pk)


@pytest.mark.django_db
def test_login_page_does_not_show_the_code_outside_the_demo(client, settings):
    settings.DEMO_SHOW_TOTP = False
    _load()
    client.post(reverse("core:login"), {"username": "leiden.beleid", "password": demo.DEMO_PASSWORD})
    page = client.get(reverse("core:login_token")).content.decode()
    device = TOTPDevice.objects.get(user__username="leiden.beleid")
    assert current_token(device) not in re.findall(r"\b\d{6}\b", page)


@pytest.mark.django_db
def test_purchasing_organisation_acts_for_leiden_only_and_representatives_speak_for_their_organisation():
    _load()
    leiden, haarlem = Municipality.objects.get(cbs_code="GM0546"), Municipality.objects.get(cbs_code="GM0392")
    officer = User.objects.get(username="hr.inkoop")
    assert roles_for(officer, leiden) == {Role.PROCUREMENT_OFFICER}
    assert roles_for(officer, haarlem) == set()
    rep = User.objects.get(username="haarlem.aanbieder1")
    assert represented_organisation_ids(rep) == {Organisation.objects.get(name="Kookstudio Eigenwijs").pk}


@pytest.mark.parametrize("tokens", [demo.LEIDEN_TOKENS, demo.HAARLEM_TOKENS], ids=["leiden", "haarlem"])
@pytest.mark.parametrize("foreground, background", demo.CONTRAST_PAIRS)
def test_demo_theme_text_contrast_is_at_least_wcag_aa_1_4_3(tokens, foreground, background):
    assert contrast_ratio(tokens[foreground], tokens[background]) >= AA_NORMAL_TEXT


def test_leiden_theme_is_red_and_haarlem_theme_is_not():
    def rgb(colour):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    r, g, b = rgb(demo.LEIDEN_TOKENS["basis-color-action-1-inverse-bg-default"])
    assert r > 2 * g and r > 2 * b
    r, g, b = rgb(demo.HAARLEM_TOKENS["basis-color-action-1-inverse-bg-default"])
    assert not (r > 2 * g and r > 2 * b)


@pytest.mark.parametrize(
    "foreground, background, expected",
    [("#000000", "#ffffff", 21.0), ("#fff", "#FFFFFF", 1.0), ("#777777", "#ffffff", 4.48), ("#c8102e", "#fff", 5.88)],
)
def test_contrast_ratio_matches_the_wcag_formula(foreground, background, expected):
    assert round(contrast_ratio(foreground, background), 2) == expected
    assert round(contrast_ratio(background, foreground), 2) == expected


def test_contrast_ratio_rejects_a_colour_that_is_not_hex():
    with pytest.raises(ValueError, match="hex"):
        contrast_ratio("red", "#ffffff")
