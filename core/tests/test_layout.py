"""The page shell: municipality theme tokens, navigation, form rendering with NL Design System classes."""

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from core.theme import theme_css

pytestmark = pytest.mark.django_db


def test_municipality_tokens_theme_its_pages_only(client):
    MunicipalityFactory(
        cbs_code="GM0546", name="Leiden", design_tokens={"basis-color-action-1-inverse-bg-default": "#c4161c"}
    )
    themed = client.get(reverse("landscape:overview", args=["GM0546"])).content.decode()
    assert "--basis-color-action-1-inverse-bg-default: #c4161c;" in themed
    assert "Gemeente Leiden" in themed
    assert "#c4161c" not in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize(
    "tokens",
    [
        {"utrecht-link-color": "red;} body {display:none"},
        {"utrecht-link-color": "</style><script>alert(1)</script>"},
        {"bad name;": "#fff"},
    ],
)
def test_theme_tokens_cannot_inject_css_or_html(tokens):
    m = MunicipalityFactory.build(design_tokens=tokens)
    assert theme_css(m) == ""


def test_page_has_skip_link_landmarks_and_language(client):
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="nl"' in html
    assert html.index('href="#main"') < html.index("<header")
    assert '<main id="main"' in html
    assert 'aria-label="Hoofdmenu"' in html
    assert '<footer class="utrecht-page-footer' in html


def test_current_page_is_marked_in_the_navigation(client):
    MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    html = client.get(reverse("landscape:overview", args=["GM0546"])).content.decode()
    assert f'href="{reverse("landscape:overview", args=["GM0546"])}" aria-current="page"' in html


def test_audit_log_link_only_for_verified_auditors(client):
    m = MunicipalityFactory()
    auditor = user_with_role(Role.AUDITOR, m)
    client.force_login(auditor)  # password only
    assert reverse("audit:log") not in client.get(reverse("core:home")).content.decode()
    login(client, auditor)
    assert reverse("audit:log") in client.get(reverse("core:home")).content.decode()
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    assert reverse("audit:log") not in client.get(reverse("core:home")).content.decode()


class ExampleForm(forms.Form):
    name = forms.CharField(help_text="Zoals in het KvK-register")
    notes = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField()


def _render(form):
    return Template('{% include "_form_fields.html" %}').render(Context({"form": form}))


def test_form_fields_get_utrecht_classes():
    html = _render(ExampleForm())
    assert 'class="utrecht-textbox utrecht-textbox--html-input"' in html
    assert 'class="utrecht-textarea utrecht-textarea--html-textarea"' in html
    assert 'class="utrecht-select utrecht-select--html-select"' in html
    assert 'class="utrecht-checkbox utrecht-checkbox--html-input"' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert "aria-invalid" not in html


def test_invalid_fields_are_marked_and_linked_to_their_errors():
    form = ExampleForm(data={"kind": "zzz"})
    assert not form.is_valid()
    html = _render(form)
    assert 'aria-describedby="id_name_helptext id_name_error0"' in html
    assert 'id="id_name_error0"' in html
    assert "utrecht-textbox--invalid" in html and "utrecht-select--invalid" in html
    assert html.count('aria-invalid="true"') == 3  # name, kind, agree


def test_radio_buttons_are_a_fieldset_with_the_label_as_legend():
    class ChoiceForm(forms.Form):
        format = forms.ChoiceField(choices=[("a", "Sjabloon"), ("b", "Register")], widget=forms.RadioSelect)

    html = _render(ChoiceForm(data={}))
    assert "<legend" in html and "Format</legend>" in html
    assert (
        '<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset utrecht-form-fieldset--invalid"'
        in html
    )
    assert 'aria-describedby="id_format_error0"' in html
    assert "<label" in html and 'for="id_format_0"' in html


def test_home_lists_the_municipalities_of_a_logged_in_user_first(client):
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    MunicipalityFactory(cbs_code="GM0392", name="Haarlem")
    assert "Uw gemeenten" not in client.get(reverse("core:home")).content.decode()
    login(client, user_with_role(Role.SOCIAL_WORKER, leiden))
    html = client.get(reverse("core:home")).content.decode()
    mine = html[html.index("Uw gemeenten") : html.index("<h2", html.index("Uw gemeenten"))]
    assert "Leiden" in mine and "Haarlem" not in mine
