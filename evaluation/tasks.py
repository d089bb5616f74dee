"""Background tasks of the evaluation (django-tasks): the e-mails with the grant decisions, sent by a worker after the
decisions have been committed (evaluation.services.grants queues them)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import GrantDecision


@task()
def send_grant_decisions(decision_ids: list[int]) -> int:
    """Mail each grant decision to the lead applicant's contact address, the decision attached as a PDF; returns how
    many mails were sent. Sends only, writes nothing: a failure stays on the task's result."""
    with translation.override(settings.LANGUAGE_CODE):
        mails = []
        for d in GrantDecision.objects.filter(pk__in=decision_ids).select_related("commissioning", "submission__lead"):
            address = d.submission.lead.contact_email
            if not address or not d.pdf:
                continue
            subject = " ".join(f"{_('Grant decision')}: {d.commissioning.title}".split())  # a header is one line
            outcome = (
                _("Your application is granted: € %(amount)s per year.")
                % {"amount": formats.number_format(d.granted_per_year, 2, use_l10n=True, force_grouping=True)}
                if d.granted
                else _("Your application is refused.")
            )
            body = "\n\n".join(
                [
                    outcome,
                    _("The decision with its reasons is attached as a PDF."),
                    _("You may object to this decision until %(date)s (Awb 6:7); the attachment says how.")
                    % {"date": d.objection_last_day.strftime("%d-%m-%Y")},
                ]
            )
            mail = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            with d.pdf.open("rb") as fh:
                mail.attach(f"subsidiebesluit-{d.pk}.pdf", fh.read(), "application/pdf")
            mails.append(mail)
        if not mails:
            return 0
        return get_connection(fail_silently=False).send_messages(mails) or 0
