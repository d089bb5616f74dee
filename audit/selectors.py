"""Reads of the audit log: the filters of the audit page (who may see what is decided in core.audit_views)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import ChainCheck, Checkpoint


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
