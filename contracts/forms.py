"""The contractor's report on a KPI: which ended period, the value, an explanation. The form only reads and
validates; contracts.services decides and writes."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from landscape.imports.values import CellError, amount


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


class AmountField(forms.CharField):
    """Euros as people write them: `18.000`, `18000`, `€ 23.999,50` (the import's reading of amounts)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return amount(value)
        except CellError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class PaymentForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Contract year"), coerce=int)
    amount = AmountField(label=_("Amount paid (€)"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    note = forms.CharField(
        label=_("Explanation (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(n, _("Year %(n)s") % {"n": n}) for n in years]


class AnswerForm(forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Is this the amount you received?"),
        choices=[(1, _("Yes, that is right")), (0, _("No, it is not right"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("If not: what is not right"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
