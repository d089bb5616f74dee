"""Background tasks of publication (django-tasks): the e-mails to subscribers, sent by a worker after the change
that caused them has been committed, so that a slow or failing mail server never slows or fails that request."""

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def send_notifications(commissioning_id: int, message: str) -> int:
    """Mail the subscribers of a commissioning about a change; returns how many mails were sent. A failure is
    recorded on the task's result (and logged by django-tasks); it never reaches the officer who made the change."""
    from .services import notify_subscribers

    with translation.override(settings.LANGUAGE_CODE):
        return notify_subscribers(commissioning_id, message)
