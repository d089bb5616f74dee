"""E-mail to subscribers goes out in a background task after the commit (publication.tasks), never in the request:
a title with a line break gives a single-line subject, and a failing mail server never fails the officer's change."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from core.testing import MunicipalityFactory, login, run_queued_tasks
from publication import services as publication
from publication.models import Release
from tenders.forms import RectificationForm
from tenders.tests.factories import officer, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def m():
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.fixture
def user(m):
    return officer(m)


@pytest.fixture
def c(m, user):
    c = published(m, user=user)
    follower = get_user_model().objects.create(username="volger", email="volger@example.org")
    publication.subscribe(c, follower, follower.email)
    return c


def _rectification(c, **changes):
    form = RectificationForm(commissioning=c)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, "")
        data[f"rectify-{name}"] = field.widget.format_value(field.prepare_value(value)) if value != "" else ""
    data.update({f"rectify-{k}": v for k, v in changes.items()})
    return data


def _rectify(client, m, c, **changes):
    return client.post(reverse("tenders:rectify", args=[m.cbs_code, c.pk]), _rectification(c, **changes))


def test_a_title_with_a_line_break_is_saved_and_mailed_with_a_single_line_subject(
    client, m, c, user, django_capture_on_commit_callbacks
):
    login(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _rectify(client, m, c, explanation="Titel verduidelijkt", title="Buurtwerk\nLeiden-Noord")
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.title == "Buurtwerk\nLeiden-Noord" and c.rectifications.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Wijziging in “Buurtwerk Leiden-Noord”"
    assert "Rectificatie 1 is gepubliceerd" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _rectify(client, m, c, explanation="Doelen aangevuld", goals="Meer ontmoeting").status_code == 302
    assert len(mail.outbox) == 1 and "Buurtwerk Leiden-Noord" in mail.outbox[0].subject, "later changes still mail"


def test_a_failing_mail_server_never_fails_the_change_and_is_logged(
    client, m, c, user, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "publication.tests.test_mail.BrokenMailServer"
    login(client, user)
    releases = Release.objects.filter(commissioning=c).count()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = _rectify(client, m, c, explanation="Titel aangepast", title="Nieuwe titel")
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.title == "Nieuwe titel" and Release.objects.filter(commissioning=c).count() == releases + 1
    assert "publication.tasks.send_notifications" in caplog.text and "FAILED" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert _rectify(client, m, c, explanation="Doelen aangevuld", goals="Meer ontmoeting").status_code == 302
    assert len(mail.outbox) == 1, "the next change mails again"


def test_the_change_only_queues_the_mail_for_a_worker(
    client, m, c, user, queued_tasks, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    login(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        assert _rectify(client, m, c, explanation="Titel aangepast", title="Nieuwe titel").status_code == 302
    assert mail.outbox == [] and DBTaskResult.objects.get().task_path == "publication.tasks.send_notifications"
    assert run_queued_tasks() == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL" and len(mail.outbox) == 1


class BrokenMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")

    def open(self):
        raise ConnectionRefusedError("SMTP server unreachable")

    def close(self):
        pass
