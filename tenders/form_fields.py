"""Fields shared by the forms of tenders (the design, the procedure, the selection stage, notices and KPIs)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import plausible_moment_error

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


class DateTimeField(forms.DateTimeField):
    """A datetime-local input, read in the active time zone (Europe/Amsterdam)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        super().__init__(input_formats=DATETIME_FORMATS, **kwargs)

    def to_python(self, value):
        moment = super().to_python(value)
        if message := plausible_moment_error(moment):
            raise forms.ValidationError(message, code="implausible")
        return moment


def minimum_field(commissioning, label=None) -> forms.ChoiceField:
    """A knock-out minimum: empty, or a level of the scale above the lowest."""
    return forms.ChoiceField(
        label=label or _("Minimum score (knock-out)"),
        required=False,
        choices=[("", _("(no minimum)"))] + [(str(s), str(s)) for s in (commissioning.scale or [])[1:]],
        help_text=_("A bid whose consensus score on this criterion is lower is excluded from the ranking."),
    )


def clean_minimum(value):
    return int(value) if value not in (None, "") else None
