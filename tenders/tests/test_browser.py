"""In headless chromium, as a procurement officer would: design a Leiden-like 3-lot commissioning and a Haarlem-like
competitive dialogue, publish them, answer a provider's question and publish clarifications; the public sees it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.testing import MunicipalityFactory, user_with_role
from landscape.models import Activity, District, Organisation
from tenders.models import Commissioning, Phase, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leiden():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    district = District.objects.create(municipality=m, cbs_code="WK054603", name="Leiden-Noord")
    for name, title in [("Huiswerkhuis", "Huiswerkbegeleiding"), ("Ontmoetingshuis", "Ontmoetingsochtend")]:
        org = Organisation.objects.create(municipality=m, name=name, kind="volunteer_with_staff")
        Activity.objects.create(organisation=org, title=title).districts.add(district)
    return m


def _local(days: int) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _open_and_submit(page, action_suffix, fields: dict, checks=()):
    """Fill the form whose action ends with `action_suffix` (opening its <details> first) and submit it."""
    form = page.locator(f"form[action$='{action_suffix}']").first
    details = page.locator(f"details:has(form[action$='{action_suffix}'])")
    if details.count() and not details.first.evaluate("d => d.open"):
        details.first.locator("summary").click()
    for selector, value in fields.items():
        target = form.locator(selector)
        if value is True:
            target.check()
        elif target.evaluate("el => el.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    for selector in checks:
        form.locator(selector).check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _record_notice(page):
    _open_and_submit(
        page,
        "/beheer/aankondiging",
        {
            "#id_notice-tenderned_id": "412345",
            "#id_notice-dispatched_at": _local(0),
            "#id_notice-receipt_confirmed_at": _local(0),  # TED published the notice: art. 52(1)
            "#id_notice-ted_published_at": _local(0),
        },
    )


def _create(page, m, main_cpv="85320000-8", **fields):
    page.goto(reverse("tenders:create", args=[m.cbs_code]))
    page.locator("#id_main_cpv").select_option(
        page.locator("#id_main_cpv option", has_text=main_cpv).first.get_attribute("value")
    )
    for name, value in fields.items():
        target = page.locator(f"#id_{name}")
        if value is True:
            target.check()
        elif target.evaluate("el => el.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/beheer")
    return Commissioning.objects.latest("pk")


def test_officer_designs_publishes_answers_and_clarifies_in_the_browser(page, leiden, browser_login, axe_check):
    officer = user_with_role(Role.PROCUREMENT_OFFICER, leiden)
    browser_login(page, officer, next_url=reverse("tenders:manage_list", args=["GM0546"]))
    c = _create(
        page,
        leiden,
        title="Welzijn Leiden",
        goals="Een samenhangend aanbod dichtbij inwoners.",
        route="open",
        term_years="5",
        option_count="4",
        option_years="1",
        tie_break="Bij gelijke score beslist de hoogste score op het zwaarste criterium.",
    )
    for title, budget in [("Samen Opgroeien", "3400000"), ("Samen Meedoen", "4900000"), ("Basiskracht", "2600000")]:
        _open_and_submit(page, "/beheer/percelen", {"#id_lot-title": title, "#id_lot-annual_budget": budget})
    # The scope overview shows what falls in no lot: both activities, until a lot takes one over.
    assert "Huiswerkhuis" in page.locator("#scope").inner_text()
    library_value = page.locator("#id_library-item option", has_text="Continuïteit").first.get_attribute("value")
    _open_and_submit(
        page, "/beheer/criteria/bibliotheek", {"#id_library-item": library_value, "#id_library-weight": "60"}
    )
    anchors = {f"#id_criterion-anchor_{s}": f"Het plan laat niveau {s} zien." for s in (0, 25, 50, 75, 100)}
    _open_and_submit(
        page, "/beheer/criteria", {"#id_criterion-title": "Prestatieafspraken", "#id_criterion-weight": "40", **anchors}
    )
    _open_and_submit(page, "/beheer/termijnen", {"#id_deadline-kind": "questions", "#id_deadline-at": _local(10)})
    _open_and_submit(page, "/beheer/termijnen", {"#id_deadline-kind": "bids", "#id_deadline-at": _local(40)})
    # Light regime (an Annex XIV code above € 750,000): the notice goes to TenderNed first (Directive art. 52).
    _record_notice(page)
    assert page.locator("#publish-errors").count() == 0, page.locator("#publish-errors").inner_text()
    axe_check(page)
    page.locator("form[action$='/beheer/publiceren'] button").click()
    page.wait_for_load_state()
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING and c.lots.count() == 3
    page.screenshot(path="/tmp/tenders-manage.png", full_page=True)

    # A provider asks a question.
    page.context.clear_cookies()
    org = Organisation.objects.get(name="Huiswerkhuis")
    rep = user_with_role(Role.PROVIDER_REPRESENTATIVE, leiden, organisation=org)
    browser_login(page, rep, next_url=reverse("tenders:ask", args=["GM0546", c.pk]))
    page.fill("#id_text", "Moeten de huidige vrijwilligers worden overgenomen?")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Question.objects.filter(commissioning=c).count() == 1

    # A colleague officer answers and publishes clarifications (a second login of the same officer within the same
    # 30 seconds would reuse a TOTP code, which django-otp rightly refuses).
    page.context.clear_cookies()
    colleague = user_with_role(Role.PROCUREMENT_OFFICER, leiden)
    browser_login(page, colleague, next_url=reverse("tenders:manage", args=["GM0546", c.pk]))
    q = Question.objects.get()
    _open_and_submit(
        page,
        f"/beheer/vragen/{q.pk}",
        {f"#id_q{q.pk}-answer": "Nee, maar een plan telt mee.", f"#id_q{q.pk}-topic": "Continuïteit"},
    )
    _open_and_submit(page, "/beheer/nota-van-inlichtingen", {"#id_clarify-introduction": "Eerste nota."})
    assert c.clarifications.count() == 1

    # The public sees the commissioning, its lots, criteria with anchors and the anonymous clarification.
    page.context.clear_cookies()
    page.goto(reverse("publication:detail", args=["GM0546", c.pk]))
    text = page.locator("main").inner_text()
    for expected in (
        "Samen Opgroeien",
        "Basiskracht",
        "Het plan laat niveau 75 zien.",
        "Moeten de huidige vrijwilligers",
    ):
        assert expected in text
    assert rep.username not in text and "Huiswerkhuis" not in text
    axe_check(page)
    page.screenshot(path="/tmp/tenders-public.png", full_page=True)
    response = page.request.get(reverse("publication:clarification_pdf", args=["GM0546", c.pk, 1]))
    assert response.ok and response.body().startswith(b"%PDF")


def test_officer_designs_and_publishes_a_competitive_dialogue_in_the_browser(page, browser_login, axe_check):
    haarlem = MunicipalityFactory(cbs_code="GM0392", name="Haarlem")
    officer = user_with_role(Role.PROCUREMENT_OFFICER, haarlem)
    browser_login(page, officer, next_url=reverse("tenders:manage_list", args=["GM0392"]))
    c = _create(
        page,
        haarlem,
        title="Gewoon in de Wijk",
        goals="Meer samenhang in de wijk.",
        route="competitive_dialogue",
        term_years="4",
        option_count="2",
        option_years="2",
        selection_criteria="Ervaring met alle dienstverlening in de opdracht.",
        selection_scoring="Eén score van 0 tot 100 op de selectiecriteria.",
        max_candidates="3",
        max_dialogue_participants="2",
        dialogue_reduction=True,
        dialogue_reduction_method="De gunningscriteria worden toegepast op de oplossingen uit fase 1.",
        tie_break="Bij gelijke score beslist loting.",
        procedure_grounds="De oplossing is vooraf niet te omschrijven (Aw 2.28).",
        lot_reasons="Eén perceel voor samenhang in de wijk.",
    )
    _open_and_submit(
        page, "/beheer/percelen", {"#id_lot-title": "Gewoon in de Wijk", "#id_lot-annual_budget": "9500000"}
    )
    _open_and_submit(
        page,
        "/beheer/gereserveerd",
        {
            "#id_reserve-kind": "self_organisations",
            "#id_reserve-description": "Zelforganisaties",
            "#id_reserve-annual_amount": "300000",
            "#id_reserve-years": "4",
        },
    )
    library_value = page.locator("#id_library-item option", has_text="Onderaanneming").first.get_attribute("value")
    _open_and_submit(
        page, "/beheer/criteria/bibliotheek", {"#id_library-item": library_value, "#id_library-weight": "100"}
    )
    # Requests 30 days after the notice: the European minimum, so no reasons are needed (Aw 1.10).
    for kind, days in (("questions", 5), ("requests", 30), ("dialogue_1_submissions", 45), ("final_bids", 90)):
        _open_and_submit(page, "/beheer/termijnen", {"#id_deadline-kind": kind, "#id_deadline-at": _local(days)})
    _record_notice(page)
    page.locator("form[action$='/beheer/publiceren'] button").click()
    page.wait_for_load_state()
    c.refresh_from_db()
    assert c.phase == Phase.SELECTION and c.reserved_lines.count() == 1
    # Too early to close the selection stage: the server clock refuses, with the reason on the page.
    page.locator("form[action$='/beheer/fase']:has(input[value='dialogue_1']) button").click()
    page.wait_for_load_state()
    c.refresh_from_db()
    assert c.phase == Phase.SELECTION

    # A provider wants to apply: requests to participate are received sealed (bids, ADR 0011), so the page points to
    # the sealed request (a consortium's members confirm themselves) instead of taking a typed consortium name.
    page.context.clear_cookies()
    org = Organisation.objects.create(municipality=haarlem, name="Stichting Wijkkracht", kind="large_welfare")
    rep = user_with_role(Role.PROVIDER_REPRESENTATIVE, haarlem, organisation=org)
    browser_login(page, rep, next_url=reverse("publication:detail", args=["GM0392", c.pk]))
    page.get_by_role("link", name="Aanmelden als gegadigde").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "verzegeld verzoek tot deelneming" in main and "U hebt zich nog niet aangemeld." in main
    assert page.locator("#id_organisation").count() == 0 and not c.candidates.exists()
    axe_check(page)
    page.screenshot(path="/tmp/tenders-apply.png", full_page=True)

    # A colleague officer cancels the procedure: a confirmation step with a mandatory, published reason.
    page.context.clear_cookies()
    colleague = user_with_role(Role.PROCUREMENT_OFFICER, haarlem)
    browser_login(page, colleague, next_url=reverse("tenders:manage", args=["GM0392", c.pk]))
    page.get_by_role("link", name="Procedure intrekken…").click()
    page.wait_for_load_state()
    page.fill("#id_reason", "De raad heeft het budget niet vastgesteld.")
    page.locator("main form button[type=submit]").click()  # not confirmed: refused, nothing changes
    page.wait_for_load_state()
    assert "Bevestig dat u de procedure wilt beëindigen." in page.locator("main").inner_text()
    c.refresh_from_db()
    assert c.phase == Phase.SELECTION
    page.check("#id_confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    c.refresh_from_db()
    assert c.phase == Phase.CANCELLED
    page.context.clear_cookies()
    page.goto(reverse("publication:detail", args=["GM0392", c.pk]))
    assert "De raad heeft het budget niet vastgesteld." in page.locator("main").inner_text()
    axe_check(page)
    page.screenshot(path="/tmp/tenders-cancelled.png", full_page=True)
