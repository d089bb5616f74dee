"""Background tasks of bids (django-tasks): the e-mails with a one-time link, sent by a worker after the token has
been committed. The link's token travels in the task's arguments because the database keeps only its SHA-256."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _single_line(text: str) -> str:
    return " ".join(str(text).split())


@task()
def send_operator_token(token_id: int, raw: str) -> int:
    """Mail the confirmation link of a registration or the invitation of a colleague; 0 when the token is gone or
    already used."""
    from .models import OperatorToken

    token = OperatorToken.objects.select_related("operator").filter(pk=token_id, used_at__isnull=True).first()
    if token is None:
        return 0
    name = _single_line(token.operator.name)
    with translation.override(settings.LANGUAGE_CODE):
        if token.purpose == OperatorToken.Purpose.CONFIRM_EMAIL:
            link = _absolute(reverse("bids:operator_confirm", args=[raw]))
            subject = _("Confirm the registration of “%(name)s”") % {"name": name}
            body = _(
                "Someone registered “%(name)s” with this e-mail address to take part in commissionings.\n\n"
                "Confirm the address with this link (valid for 3 days): %(link)s\n\n"
                "Did you not register? Then ignore this e-mail."
            ) % {"name": name, "link": link}
        else:
            link = _absolute(reverse("bids:invitation_accept", args=[raw]))
            subject = _("Invitation to act for “%(name)s”") % {"name": name}
            body = _(
                "You are invited to act for “%(name)s” in commissionings.\n\n"
                "Accept with this link (valid for 3 days): %(link)s\n\n"
                "Not expecting this? Then ignore this e-mail."
            ) % {"name": name, "link": link}
        return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [token.email]).send(fail_silently=False)
