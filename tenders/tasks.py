"""Background tasks of tenders (django-tasks): the e-mails with the notices of a cancellation, sent by a worker after
the cancellation has been committed (tenders.services._notices queues them)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import notices
from .notice_models import CancellationNotice


@task()
def send_cancellation_notices(notice_ids: list[int]) -> int:
    """Mail each notice with an e-mail address to its recipient, the notice attached as a PDF; returns how many
    mails were sent. Sends only, writes nothing: a failure stays on the task's result."""
    with translation.override(settings.LANGUAGE_CODE):
        mails = []
        for notice in (
            CancellationNotice.objects.filter(pk__in=notice_ids)
            .exclude(email="")
            .select_related("commissioning__municipality", "commissioning__purchasing_organisation")
        ):
            c = notice.commissioning
            subject = " ".join(f"{notices.title(notice)}: {c.title}".split())  # a header is one line
            body = _("%(title)s\n\nReasons:\n%(reasons)s\n\nThe notice is attached as a PDF (reference %(ref)s).") % {
                "title": notices.title(notice),
                "reasons": notice.reasons,
                "ref": notices.reference(notice),
            }
            if notice.is_decision:
                body += "\n\n" + _(
                    "You may object to this decision until %(date)s (Awb 6:7); the attachment says how."
                ) % {"date": notice.objection_deadline.strftime("%d-%m-%Y")}
            mail = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.email])
            mail.attach(notices.filename(notice), notices.pdf(notice), "application/pdf")
            mails.append(mail)
        if not mails:
            return 0
        return get_connection(fail_silently=False).send_messages(mails) or 0
