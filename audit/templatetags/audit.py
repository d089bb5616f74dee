import datetime

from django import template
from django.utils import formats, timezone

from audit import labels

register = template.Library()

register.filter("action_label", labels.action_display)
register.filter("role_label", labels.role_label)
register.filter("object_label", labels.object_label)
register.filter("summary_lines", labels.summary_lines)


@register.filter
def iso_local(value: str) -> str:
    """An ISO 8601 moment (as signed in a checkpoint) in local time and the site's format."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
