import pytest
from django.core.management import call_command
from django.urls import reverse

from core import jobs
from core.models import Job, Role
from core.testing import MunicipalityFactory, UserFactory, login, user_with_role


@jobs.register("test.count")
def count_job(job, upto):
    for i in range(upto):
        jobs.job_progress(job, i + 1, upto, f"step {i + 1}")
    return {"counted": upto}


@jobs.register("test.fail")
def failing_job(job):
    raise ValueError("bad input in row 3")


@pytest.mark.django_db
def test_sync_job_runs_and_reports_progress():
    job = jobs.enqueue("test.count", params={"upto": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert job.result == {"counted": 3}


@pytest.mark.django_db
def test_failing_job_is_marked_failed_with_its_message():
    job = jobs.enqueue("test.fail")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "bad input in row 3" in job.error


@pytest.mark.django_db
def test_worker_takes_queued_jobs(settings):
    settings.JOBS_MODE = "worker"
    job = jobs.enqueue("test.count", params={"upto": 2})
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    call_command("run_worker", "--once")
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


@pytest.mark.django_db
def test_job_status_only_for_its_owner_or_municipal_roles(client, settings):
    settings.JOBS_MODE = "worker"
    m = MunicipalityFactory()
    owner = user_with_role(Role.POLICY_ADVISOR, m)
    job = jobs.enqueue("test.count", params={"upto": 1}, user=owner, municipality=m)
    url = reverse("core:job_status", args=[job.pk])
    assert login(client, owner).get(url).status_code == 200
    client.logout()
    stranger = UserFactory()
    assert login(client, stranger).get(url).status_code == 404
    client.logout()
    other_municipality = user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory())
    assert login(client, other_municipality).get(url).status_code == 404


@pytest.mark.django_db
def test_job_status_with_follow_reloads_the_page_on_the_result_when_done(client, settings):
    settings.JOBS_MODE = "worker"
    m = MunicipalityFactory()
    owner = user_with_role(Role.POLICY_ADVISOR, m)
    job = Job.objects.create(kind="test.count", municipality=m, created_by=owner, status=Job.Status.RUNNING)
    url = reverse("core:job_status", args=[job.pk])
    login(client, owner)
    running = client.get(url, {"follow": "1"}, headers={"HX-Request": "true"})
    assert "HX-Redirect" not in running and 'hx-get="/taken/' in running.content.decode()
    assert "?follow=1" in running.content.decode(), "the next poll follows too"
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, result={"redirect": "/elders"})
    assert client.get(url, {"follow": "1"}, headers={"HX-Request": "true"})["HX-Redirect"] == "/elders"
    assert "HX-Redirect" not in client.get(url, headers={"HX-Request": "true"}), "without follow: a link only"


@pytest.mark.django_db
def test_job_progress_without_a_total_is_an_indeterminate_bar_with_its_message(client):
    m = MunicipalityFactory()
    owner = user_with_role(Role.POLICY_ADVISOR, m)
    job = Job.objects.create(
        kind="test.count", municipality=m, created_by=owner, status=Job.Status.RUNNING, message="Saving"
    )
    html = login(client, owner).get(reverse("core:job_status", args=[job.pk]), headers={"HX-Request": "true"})
    html = html.content.decode()
    assert 'max="100"></progress>' in html and "value=" not in html and "Saving…" in html and "0%" not in html
    Job.objects.filter(pk=job.pk).update(progress_done=1, progress_total=4)
    html = client.get(reverse("core:job_status", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'value="25"' in html and "25% – Saving" in html
