"""The only write path of publication: OCDS release snapshots and subscriptions, and the e-mails to subscribers.

`publication.receivers` calls `commissioning_changed()` on tenders' `procedure_changed` event, inside the service's
transaction, so that the release commits (or rolls back) with the change; the e-mails go out after the commit, in a
background task (publication.tasks), never in the request.

Subscriptions are double opt-in: `subscribe()` mails a confirmation link to the address; only a confirmed
subscription receives news. Every news mail carries a one-click unsubscribe (RFC 8058 List-Unsubscribe headers).
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from . import ocds
from .models import Release, Subscription

log = logging.getLogger(__name__)

RELEASE_TAGS = {
    "tender": ["planning", "tender"],
    "tenderAmendment": ["tenderAmendment"],
    "tenderUpdate": ["tenderUpdate"],
    "tenderCancellation": ["tenderCancellation"],
    "award": ["award"],
    "awardContract": ["award", "contract"],
}


def commissioning_changed(commissioning, kind: str, message: str, **_details) -> Release:
    """Store the next OCDS release of a published commissioning and notify its subscribers after the commit."""
    assert kind in RELEASE_TAGS, kind
    with transaction.atomic():
        now = timezone.now()
        the_ocid = ocds.ocid(commissioning)
        seq = Release.objects.filter(commissioning=commissioning).count() + 1
        release_id = f"{the_ocid}-{seq:04d}"
        tags = RELEASE_TAGS[kind]
        data = ocds.build_release(commissioning, release_id=release_id, date=now, tags=tags)
        release = Release.objects.create(
            commissioning=commissioning, ocid=the_ocid, release_id=release_id, date=now, tags=tags, data=data
        )
        record(
            "publication.release",
            municipality=commissioning.municipalities(),
            obj=release,
            summary={"release_id": release_id, "tags": tags},
        )
        transaction.on_commit(lambda: _enqueue_notifications(commissioning.pk, str(message)))
    return release


def _enqueue_notifications(commissioning_id: int, message: str) -> None:
    """After the commit: queue the e-mails. The change is saved whatever happens here, so a failure is only logged."""
    from .tasks import send_notifications

    try:
        send_notifications.enqueue(commissioning_id, message)
    except Exception:
        log.exception("e-mails about commissioning %s not queued", commissioning_id)


def single_line(text: str) -> str:
    """A title fit for an e-mail subject: line breaks (allowed in titles, forbidden in headers) become spaces."""
    return " ".join(str(text).split())


def notify_subscribers(commissioning_id: int, message: str) -> int:
    """Mail every confirmed subscriber; each mail has its own one-click unsubscribe link (RFC 8058)."""
    subscriptions = list(
        Subscription.objects.filter(commissioning_id=commissioning_id, confirmed_at__isnull=False).select_related(
            "commissioning"
        )
    )
    if not subscriptions:
        return 0
    c = subscriptions[0].commissioning
    code = c.municipalities()[0].cbs_code
    page = ocds.absolute(reverse("publication:detail", args=[code, c.pk]))
    subject = _("Change in “%(title)s”") % {"title": single_line(c.title)}
    mails = []
    for s in subscriptions:
        stop = ocds.absolute(reverse("publication:unsubscribe", args=[s.token]))
        body = _("%(message)s\n\nSee %(page)s\n\nNo more messages? %(stop)s") % {
            "message": message,
            "page": page,
            "stop": stop,
        }
        headers = {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        mails.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [s.email], headers=headers))
    return get_connection(fail_silently=False).send_messages(mails) or 0


def send_confirmation(subscription_id: int) -> int:
    """Mail the link that confirms a subscription to the address it names (the first half of the double opt-in)."""
    s = Subscription.objects.select_related("commissioning").filter(pk=subscription_id).first()
    if s is None or s.is_confirmed:
        return 0
    confirm = ocds.absolute(reverse("publication:confirm", args=[s.confirm_token]))
    subject = _("Confirm: e-mails about “%(title)s”") % {"title": single_line(s.commissioning.title)}
    body = _(
        "Someone asked to receive e-mails about every change in “%(title)s” at this address.\n\n"
        "Confirm with this link: %(confirm)s\n\n"
        "Did you not ask for this? Then ignore this e-mail: without confirmation you receive nothing."
    ) % {"title": single_line(s.commissioning.title), "confirm": confirm}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [s.email]).send(fail_silently=False)


def _enqueue_confirmation(subscription_id: int) -> None:
    from .tasks import send_subscription_confirmation

    try:
        send_subscription_confirmation.enqueue(subscription_id)
    except Exception:
        log.exception("confirmation e-mail for subscription %s not queued", subscription_id)


@transaction.atomic
def subscribe(commissioning, user, email: str) -> Subscription:
    """Ask for e-mails about a commissioning. A new address (or a changed one) is not active until it is confirmed
    through the link mailed to it; asking again for a confirmed address changes nothing."""
    if not commissioning.is_published:
        raise ValidationError(_("This commissioning has not been published."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
    subscription = Subscription.objects.select_for_update().filter(commissioning=commissioning, user=user).first()
    if subscription is not None and subscription.email == email and subscription.is_confirmed:
        return subscription
    if subscription is None:
        subscription = Subscription.objects.create(commissioning=commissioning, user=user, email=email)
    else:
        subscription.email, subscription.confirmed_at = email, None
        subscription.confirm_token = _new_token()
        subscription.save(update_fields=["email", "confirmed_at", "confirm_token"])
    record("publication.subscribe", actor=user, municipality=commissioning.municipalities(), obj=subscription)
    transaction.on_commit(lambda: _enqueue_confirmation(subscription.pk))
    return subscription


def _new_token() -> str:
    from .models import _token

    return _token()


@transaction.atomic
def confirm_subscription(token: str, now=None) -> Subscription | None:
    """The second half of the double opt-in: the link from the confirmation mail activates the subscription."""
    subscription = Subscription.objects.select_for_update().filter(confirm_token=token).first()
    if subscription is None:
        return None
    if not subscription.is_confirmed:
        subscription.confirmed_at = now or timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        record(
            "publication.subscription_confirm",
            actor=subscription.user,
            municipality=subscription.commissioning.municipalities(),
            obj=subscription,
        )
    return subscription


@transaction.atomic
def unsubscribe(token: str) -> bool:
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is None:
        return False
    record(
        "publication.unsubscribe",
        actor=subscription.user,
        municipality=subscription.commissioning.municipalities(),
        obj=subscription,
    )
    subscription.delete()
    return True
