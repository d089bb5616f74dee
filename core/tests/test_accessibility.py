"""axe-core (WCAG 2.1 A and AA) in headless chromium on every public page and the main logged-in pages.

Adding a page is one line in PUBLIC_PAGES or LOGGED_IN_PAGES: a name and a function from the demo-like data `d` to
a URL.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core import jobs
from core.models import Role
from core.testing import MunicipalityFactory, user_with_role
from landscape import services as landscape_services
from landscape.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    ("home", lambda d: reverse("core:home")),
    ("accessibility statement", lambda d: reverse("core:accessibility")),
    ("login", lambda d: reverse("core:login")),
    ("landscape overview", lambda d: reverse("landscape:overview", args=[d.municipality.cbs_code])),
    ("organisation list", lambda d: reverse("landscape:organisation_list", args=[d.municipality.cbs_code])),
    (
        "organisation list, filtered",
        lambda d: reverse("landscape:organisation_list", args=[d.municipality.cbs_code]) + "?q=linde",
    ),
    (
        "organisation profile",
        lambda d: reverse("landscape:organisation_detail", args=[d.municipality.cbs_code, d.organisation.pk]),
    ),
    (
        "organisation list, sorted",
        lambda d: reverse("landscape:organisation_list", args=[d.municipality.cbs_code]) + "?sorteer=-vrijwilligers",
    ),
    ("activity list", lambda d: reverse("landscape:activity_list", args=[d.municipality.cbs_code])),
    (
        "activity list, sorted",
        lambda d: reverse("landscape:activity_list", args=[d.municipality.cbs_code]) + "?sorteer=-bereik",
    ),
    ("district table", lambda d: reverse("landscape:district_table", args=[d.municipality.cbs_code])),
    ("scenario list", lambda d: reverse("continuity:list", args=[d.municipality.cbs_code])),
    ("commissioning list", lambda d: reverse("publication:list", args=[d.municipality.cbs_code])),
    ("open data policy", lambda d: reverse("publication:ocds_policy")),
]

LOGGED_IN_PAGES = [
    ("audit log", Role.AUDITOR, lambda d: reverse("audit:log")),
    ("job status, finished", Role.POLICY_ADVISOR, lambda d: reverse("core:job_status", args=[d.finished_job.pk])),
    ("job status, queued", Role.POLICY_ADVISOR, lambda d: reverse("core:job_status", args=[d.queued_job.pk])),
    (
        "import upload",
        Role.POLICY_ADVISOR,
        lambda d: reverse("landscape:import_upload", args=[d.municipality.cbs_code]),
    ),
]


@jobs.register("core.accessibility_test")
def _example_job(job, steps=3):
    for done in range(1, steps + 1):
        jobs.job_progress(job, done, steps, f"Stap {done} van {steps}")
    return {"redirect": reverse("core:home")}


@pytest.fixture
def d(settings):
    """A small municipality with districts, an organisation with an activity, and a finished and a queued job."""
    m = MunicipalityFactory(
        cbs_code="GM0546",
        name="Leiden",
        design_tokens={"basis-color-action-1-inverse-bg-default": "#c4161c"},
    )
    north = landscape_services.upsert_district(m, cbs_code="WK054601", name="Binnenstad-Noord")
    landscape_services.upsert_district(m, cbs_code="WK054602", name="Binnenstad-Zuid")
    organisation = landscape_services.upsert_organisation(
        m, name="Buurthuis De Linde", kind=Organisation.Kind.VOLUNTEER_WITH_STAFF, volunteers=25
    )
    landscape_services.upsert_activity(
        organisation, title="Taalcafé", reach=120, volunteer_hours=800, since_year=2015, districts=[north]
    )
    owner = user_with_role(Role.POLICY_ADVISOR, m)
    finished = jobs.enqueue("core.accessibility_test", user=owner, municipality=m)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # not run: stays queued
    queued = jobs.enqueue("core.accessibility_test", user=owner, municipality=m)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return SimpleNamespace(municipality=m, organisation=organisation, finished_job=finished, queued_job=queued)


@pytest.mark.parametrize("url", [u for _, u in PUBLIC_PAGES], ids=[n for n, _ in PUBLIC_PAGES])
def test_public_page_has_no_wcag_violations(page, d, url, axe_check):
    response = page.goto(url(d))
    assert response.status == 200
    axe_check(page)


@pytest.mark.parametrize(
    ("role", "url"), [(r, u) for _, r, u in LOGGED_IN_PAGES], ids=[n for n, _, _ in LOGGED_IN_PAGES]
)
def test_logged_in_page_has_no_wcag_violations(page, d, role, url, axe_check, browser_login):
    user = d.finished_job.created_by if role == Role.POLICY_ADVISOR else user_with_role(role, d.municipality)
    browser_login(page, user, next_url=url(d))
    axe_check(page)


def test_login_error_and_code_pages_have_no_wcag_violations(page, d, axe_check):
    user = user_with_role(Role.POLICY_ADVISOR, d.municipality)
    page.goto(reverse("core:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "wrong")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".utrecht-alert--error")).to_be_visible()
    axe_check(page)


def test_english_pages_have_no_wcag_violations(page, d, axe_check):
    page.goto(reverse("landscape:overview", args=[d.municipality.cbs_code]))
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    axe_check(page)


def test_axe_check_reports_violations(page, live_server, axe_check):
    """The checker itself can fail: an image without alternative text is a WCAG 1.1.1 violation."""
    page.goto(reverse("core:home"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        axe_check(page)


def test_public_pages_reflow_at_320_css_pixels_wcag_1_4_10(page, d):
    """WCAG 1.4.10 Reflow: at 320 CSS pixels wide no page scrolls sideways (wide tables scroll in their own box)."""
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for name, url in PUBLIC_PAGES:
        page.goto(url(d))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = width
    assert too_wide == {}
