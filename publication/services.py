"""The only write path of publication: OCDS release snapshots and subscriptions, and the e-mails to subscribers.

tenders.services calls `commissioning_changed()` inside its own transaction whenever something is published, so that
the release commits (or rolls back) with the change; the e-mails go out after the commit, in a background task
(publication.tasks), never in the request.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
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
    subscriptions = list(Subscription.objects.filter(commissioning_id=commissioning_id).select_related("commissioning"))
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
        mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, [s.email]))
    return send_mass_mail(mails, fail_silently=False)


@transaction.atomic
def subscribe(commissioning, user, email: str) -> Subscription:
    if not commissioning.is_published:
        raise ValidationError(_("This commissioning has not been published."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
    subscription, _created = Subscription.objects.update_or_create(
        commissioning=commissioning, user=user, defaults={"email": email}
    )
    record("publication.subscribe", actor=user, municipality=commissioning.municipality, obj=subscription)
    return subscription


@transaction.atomic
def unsubscribe(token: str) -> bool:
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is None:
        return False
    record(
        "publication.unsubscribe",
        actor=subscription.user,
        municipality=subscription.commissioning.municipality,
        obj=subscription,
    )
    subscription.delete()
    return True
