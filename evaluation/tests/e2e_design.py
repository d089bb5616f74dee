"""The design of the Leiden draft in the browser, for the whole-procedure test (test_browser_whole_procedure.py).

The policy advisor creates the commissioning (procedure, CPV code, term and options, tie-break, reasons for one lot
and for the shorter periods), adds the lot with its fixed budget and target groups, takes over the activities the
page proposes from the demo landscape, adds the lot's KPIs and the two award criteria with their anchors (one with a
knock-out minimum). The procurement officer sets the deadlines and records the dispatch of the contract notice
(Directive 2014/24/EU art. 52: the light regime needs it before publication). Every step goes through the tenders
pages and waits for the page's Dutch confirmation."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from tenders.models import Commissioning

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DESIGNED_ON = datetime(2027, 2, 26, 9, 0, tzinfo=AMSTERDAM)  # a Friday; the notice goes to TenderNed that morning
NOTICE_DISPATCHED = "2027-02-26T09:00"
DEADLINES = {"questions": "2027-03-11T12:00", "bids": "2027-03-22T12:00"}  # Amsterdam time, as typed
BUDGET = "1820000"  # per year: the current grants of the activities the lot takes over (€ 1,815,100), rounded up
GOALS = "Ontmoeting, mantelzorg en meedoen dichtbij huis, in alle wijken."
TARGET_GROUPS = ("Ouderen", "Eenzame inwoners", "Mantelzorgers")
KPIS = [  # name, how it is measured, target, unit, reporting frequency (its value in the form)
    ("Minder eenzaamheid", "Deelnemers die na een half jaar minder eenzaamheid melden", "60", "%", "half_yearly"),
    ("Mantelzorgers ondersteund", "Mantelzorgers met respijtzorg of een steungesprek", "900", "personen", "yearly"),
]
CRITERIA = [  # title, weight, knock-out minimum ("" for none)
    ("Plan van aanpak", "60", ""),
    ("Samenwerking in de wijk", "40", "50"),  # the third bid (25 on every criterion) falls below it
]


def _open(page, summary):
    """Open the <details> whose summary reads `summary` (the manage page folds its design forms away)."""
    details = page.locator("details", has=page.locator("summary", has_text=summary)).first
    if not details.evaluate("d => d.open"):
        details.locator("summary").first.click()
    return details


def _done(page, message):
    page.locator(".utrecht-alert, [role=status], [role=alert]").filter(has_text=message).first.wait_for()


def create_commissioning(page, title) -> Commissioning:
    page.fill("#id_title", title)
    page.fill("#id_goals", GOALS)
    page.select_option("#id_route", "open")
    page.select_option("#id_main_cpv", label="85310000-5 Maatschappelijk werk")
    page.fill("#id_contract_start", "2028-01-01")
    page.fill("#id_term_years", "5")
    page.fill("#id_option_count", "4")
    page.fill("#id_option_years", "1")
    page.fill("#id_tie_break", "Bij gelijke score beslist de hoogste score op het eerste criterium, daarna loting.")
    page.fill("#id_lot_reasons", "Eén perceel: ontmoeting, mantelzorg en meedoen horen in één hand.")
    page.fill("#id_short_period_reasons", "Bekende aanbieders in de regio; de opdracht is eenvoudig te beschrijven.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_url("**/beheer")
    _done(page, "De opdracht is als concept aangemaakt.")
    return Commissioning.objects.get(title=title)


def add_lot(page):
    form = _open(page, "Een perceel toevoegen").locator("form")
    form.locator("#id_lot-title").fill("Samen Meedoen")
    form.locator("#id_lot-description").fill("Ontmoeting, meedoen en steun voor mantelzorgers.")
    form.locator("#id_lot-annual_budget").fill(BUDGET)
    for group in TARGET_GROUPS:
        form.get_by_label(group, exact=True).check()
    form.get_by_role("button", name="Perceel toevoegen").click()
    _done(page, "Het perceel is toegevoegd.")


def add_kpis(page):
    for name, measurement, target, unit, frequency in KPIS:
        page.fill("#id_kpi-name", name)
        page.fill("#id_kpi-measurement", measurement)
        page.fill("#id_kpi-target_value", target)
        page.fill("#id_kpi-unit", unit)
        page.select_option("#id_kpi-frequency", frequency)
        page.get_by_role("button", name="KPI toevoegen").click()
        _done(page, "De KPI is toegevoegd.")


def take_over_proposed_activities(page) -> list[str]:
    """Tick every activity the lot's target groups match (proposed on the lot page, never added by themselves)."""
    proposed = page.locator("#proposed li").all_inner_texts()
    assert proposed, "the demo landscape has activities for the lot's target groups"
    lot_form = page.locator("main form").first
    for label in proposed:
        lot_form.get_by_label(label.strip(), exact=True).check()
    lot_form.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_url("**/beheer")
    _done(page, "Het perceel is opgeslagen.")
    return proposed


def add_criteria(page, scale):
    for title, weight, minimum in CRITERIA:
        form = _open(page, "Een eigen criterium toevoegen").locator("form")
        form.locator("#id_criterion-title").fill(title)
        form.locator("#id_criterion-weight").fill(weight)
        for score in scale:
            form.locator(f"#id_criterion-anchor_{score}").fill(f"Wat een inschrijving laat zien voor {score} punten.")
        if minimum:
            form.locator("#id_criterion-minimum_score").select_option(minimum)
        form.get_by_role("button", name="Criterium toevoegen").click()
        _done(page, "Het criterium is toegevoegd.")


def set_deadlines(page):
    form = page.locator("form[action$='/beheer/termijnen']")
    for kind, at in DEADLINES.items():
        form.locator("#id_deadline-kind").select_option(kind)
        form.locator("#id_deadline-at").fill(at)
        form.get_by_role("button", name="Termijn vaststellen").click()
        _done(page, "De termijn is vastgesteld.")


def record_notice(page):
    form = _open(page, "Aankondiging vastleggen: verzending, ontvangstbevestiging en publicatie op TED").locator("form")
    form.locator("#id_notice-tenderned_id").fill("412345")
    form.locator("#id_notice-dispatched_at").fill(NOTICE_DISPATCHED)
    # The Publications Office confirms the receipt at once; TED's publication is not recorded, so the portal may
    # publish 48 hours after that confirmation (Directive 2014/24/EU art. 52(1)): on Monday, three days later.
    form.locator("#id_notice-receipt_confirmed_at").fill(NOTICE_DISPATCHED)
    form.get_by_role("button", name="Aankondiging vastleggen").click()
    _done(page, "De aankondiging is vastgelegd.")


def design(tabs, advisor, officer, title):
    """The draft designed in the browser: the advisor's content, then the officer's deadlines and notice. Returns the
    commissioning, the labels of the activities the lot took over and the officer's tab (on the manage page)."""
    adv = tabs.tab(advisor, reverse("tenders:create", args=["GM0546"]))
    c = create_commissioning(adv, title)
    add_lot(adv)
    adv.locator("#scope").get_by_role("link", name="1. Samen Meedoen").click()
    adv.locator("#proposed").wait_for()
    add_kpis(adv)
    activities = take_over_proposed_activities(adv)
    adv.goto(reverse("tenders:lot_edit", args=["GM0546", c.pk, c.lots.get().pk]))
    adv.screenshot(path="/tmp/e2e-design-lot.png", full_page=True)
    adv.goto(reverse("tenders:manage", args=["GM0546", c.pk]))
    add_criteria(adv, c.scale)
    adv.context.close()

    off = tabs.tab(officer, reverse("tenders:manage", args=["GM0546", c.pk]))
    set_deadlines(off)
    record_notice(off)
    return c, activities, off
