"""Progress of a background job in the browser: the page polls (htmx) until the job is done, then links the result."""

import pytest
from django.urls import reverse

from core import jobs
from core.models import Role
from core.testing import MunicipalityFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@jobs.register("core.browser_test")
def _three_steps(job):
    for done in range(1, 4):
        jobs.job_progress(job, done, 3, f"Stap {done} van 3")
    return {"redirect": reverse("core:accessibility")}


def test_job_page_follows_the_job_until_done(page, browser_login, settings):
    m = MunicipalityFactory()
    advisor = user_with_role(Role.POLICY_ADVISOR, m)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = jobs.enqueue("core.browser_test", user=advisor, municipality=m)
    browser_login(page, advisor, next_url=reverse("core:job_status", args=[job.pk]))
    region = page.locator(f"#job-progress-{job.pk}")
    assert region.get_attribute("aria-live") == "polite"
    assert page.locator("progress").get_attribute("value") == "0"

    jobs.run_job(job.pk)  # what `manage.py run_worker` does

    page.get_by_role("link", name="Bekijk het resultaat").wait_for()
    assert page.locator("progress").get_attribute("value") == "100"
    assert "Stap 3 van 3" in region.inner_text()
    assert page.locator(f"#job-progress-{job.pk}").count() == 1, "the live region stays; only its content changes"
    page.get_by_role("link", name="Bekijk het resultaat").click()
    page.wait_for_url("**" + reverse("core:accessibility"))
