"""The contractor's report on a KPI: which ended period, the value, an explanation. The form only reads and
validates; contracts.services decides and writes."""

from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


def period_label(period) -> str:
    return f"{date_format(period.start, 'j F Y')} – {date_format(period.end, 'j F Y')}"


class MeasurementForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2, min_value=0, localize=True)
    explanation = forms.CharField(
        label=_("Explanation (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.start.isoformat(), period_label(p)) for p in periods]

    def clean_period(self) -> date:
        return date.fromisoformat(self.cleaned_data["period"])
