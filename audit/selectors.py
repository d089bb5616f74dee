"""Reads of the audit log: what a user may see, and the filters of the audit page."""

import datetime

from django.db.models import Q
from django.utils import timezone

from core.access import municipalities_for
from core.models import Role

from .models import AuditEvent, ChainCheck, Checkpoint


def visible_events(user):
    """Auditors and administrators see the events of their municipalities (an event of a purchasing organisation
    names all its municipalities); a superuser sees every event."""
    if user.is_superuser:
        return AuditEvent.objects.all()
    codes = list(municipalities_for(user, [Role.AUDITOR, Role.ADMINISTRATOR]).values_list("cbs_code", flat=True))
    if not codes:
        return AuditEvent.objects.none()
    query = Q(municipality_code__in=codes)
    for code in codes:  # CBS codes have a fixed length: a substring match is exact
        query |= Q(municipality_code__contains=code)
    return AuditEvent.objects.filter(query)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(events, data: dict):
    """Apply the cleaned filters of audit.forms.AuditFilterForm."""
    if data.get("van"):
        events = events.filter(timestamp__gte=_start_of(data["van"]))
    if data.get("tot"):
        events = events.filter(timestamp__lt=_start_of(data["tot"] + datetime.timedelta(days=1)))
    if data.get("gebruiker"):
        events = events.filter(actor_name__icontains=data["gebruiker"])
    if role := data.get("rol"):
        events = events.filter(
            Q(role=role) | Q(role__startswith=f"{role},") | Q(role__endswith=f",{role}") | Q(role__contains=f",{role},")
        )
    if kind := data.get("soort"):
        events = events.filter(action__startswith=f"{kind}.")
    if action := data.get("actie"):
        events = events.filter(action=action)
    if object_type := data.get("object"):
        events = events.filter(object_type=object_type)
    if object_id := data.get("objectnummer"):
        events = events.filter(object_id=object_id)
    return events.order_by("-seq")


def latest_check():
    return ChainCheck.objects.first()


def latest_checkpoint():
    return Checkpoint.objects.first()
