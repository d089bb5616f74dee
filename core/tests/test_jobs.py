from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import jobs
from core.models import Job, Role
from core.testing import MunicipalityFactory, UserFactory, login, run_queued_tasks, user_with_role


@jobs.register("test.count")
def count_job(job, upto):
    for i in range(upto):
        jobs.job_progress(job, i + 1, upto, f"step {i + 1}")
    return {"counted": upto}


@jobs.register("test.once", max_attempts=1)
def once_job(job):
    return {}


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


@pytest.mark.django_db(transaction=True)
def test_worker_takes_queued_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = jobs.enqueue("test.count", params={"upto": 2})
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    call_command("run_worker", "--batch", "--no-startup-delay")
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


@pytest.mark.django_db
def test_job_status_only_for_its_owner_or_municipal_roles(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
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
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
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


@pytest.mark.django_db
def test_a_job_that_is_not_queued_any_more_is_not_run_again():
    job = jobs.enqueue("test.count", params={"upto": 2})
    Job.objects.filter(pk=job.pk).update(result={"counted": "first run"})
    again = jobs.run_job(job.pk)
    assert again.status == Job.Status.DONE and again.result == {"counted": "first run"} and again.attempts == 1


@pytest.mark.django_db
def test_enqueue_links_the_job_to_its_queued_task(queued_tasks):
    job = jobs.enqueue("test.count", params={"upto": 2})
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.task_path == "core.jobs.run_job_task" and task.args_kwargs["args"] == [str(job.pk)]
    assert job.status == Job.Status.QUEUED


def _running_job(kind, *, attempts, heartbeat_age, now):
    job = jobs.enqueue(kind, params={"upto": 1} if kind == "test.count" else {})
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", started_at=now - heartbeat_age)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=attempts, heartbeat_at=now - heartbeat_age, started_at=now - heartbeat_age
    )
    return Job.objects.get(pk=job.pk)


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_queued_again_for_a_second_attempt(queued_tasks, settings):
    settings.JOBS_STALE_AFTER_SECONDS = 60
    now = timezone.now()
    job = _running_job("test.count", attempts=1, heartbeat_age=timedelta(seconds=61), now=now)
    alive = _running_job("test.count", attempts=1, heartbeat_age=timedelta(seconds=59), now=now)
    first_task = job.task_id
    assert [j.pk for j in jobs.reap_stale_jobs(now=now)] == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id != first_task
    old = DBTaskResult.objects.get(pk=first_task)
    assert old.status == "FAILED" and "is gestopt zonder deze taak af te maken (poging 1)" in old.traceback
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING, "a job with a recent heartbeat is left alone"
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (Job.Status.DONE, 2, {"counted": 1})


@pytest.mark.django_db
def test_a_job_whose_worker_died_on_its_last_attempt_fails_with_the_reason_in_dutch(queued_tasks, settings):
    settings.JOBS_STALE_AFTER_SECONDS = 60
    now = timezone.now()
    last = _running_job("test.count", attempts=2, heartbeat_age=timedelta(minutes=5), now=now)
    once = _running_job("test.once", attempts=1, heartbeat_age=timedelta(minutes=5), now=now)
    jobs.reap_stale_jobs(now=now)
    for job in (last, once):
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and job.finished_at == now
        assert "is gestopt zonder deze taak af te maken" in job.error
        assert DBTaskResult.objects.get(pk=job.task_id).status == "FAILED"
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()


@pytest.mark.django_db
def test_a_task_without_a_job_left_running_for_an_hour_is_marked_failed(queued_tasks, settings):
    from publication.tasks import send_notifications

    settings.TASKS_STALE_AFTER_SECONDS = 3600
    now = timezone.now()
    result = send_notifications.enqueue(0, "bericht")
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", started_at=now - timedelta(minutes=61))
    jobs.reap_stale_jobs(now=now)
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"


@pytest.mark.django_db
def test_a_job_whose_task_lost_its_worker_before_the_job_started_is_queued_again(queued_tasks, settings):
    settings.JOBS_STALE_AFTER_SECONDS = 60
    now = timezone.now()
    job = jobs.enqueue("test.count", params={"upto": 1})
    first_task = job.task_id
    DBTaskResult.objects.filter(pk=first_task).update(status="RUNNING", started_at=now - timedelta(seconds=61))
    done = jobs.enqueue("test.count", params={"upto": 1})
    Job.objects.filter(pk=done.pk).update(status=Job.Status.DONE)
    DBTaskResult.objects.filter(pk=done.task_id).update(status="RUNNING", started_at=now - timedelta(seconds=61))
    assert [j.pk for j in jobs.reap_stale_jobs(now=now)] == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id != first_task
    assert set(DBTaskResult.objects.filter(status="FAILED").values_list("pk", flat=True)) == {
        DBTaskResult.objects.get(pk=first_task).pk,
        DBTaskResult.objects.get(pk=done.task_id).pk,
    }
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 1)
