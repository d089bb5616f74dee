"""The forms of a lot's KPIs: adding one while a draft, and changing them after publication through a rectification
(tenders.services checks both again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .form_fields import DateTimeField
from .models import LotKPI
from .services.kpis import FIELDS

FREQUENCY_CHOICES = [("", _("(choose how often)")), *LotKPI.Frequency.choices]


class KPIForm(forms.ModelForm):
    class Meta:
        model = LotKPI
        fields = list(FIELDS)
        widgets = {"measurement": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="kpi", **kwargs)
        self.fields["frequency"].choices = FREQUENCY_CHOICES

    def validate_unique(self):
        """The service checks the name within the lot (the form has no lot)."""


class KPIRectificationForm(forms.Form):
    """A published lot's KPIs change only through a rectification: remove some, add one, with the explanation and the
    deadline for submissions (a material change: it must move later by the municipality's minimum)."""

    explanation = forms.CharField(label=_("What is corrected, and why"), widget=forms.Textarea(attrs={"rows": 3}))
    submission_deadline = DateTimeField(label=_("Deadline for submissions (Amsterdam time)"))
    remove = forms.MultipleChoiceField(
        label=_("Remove these KPIs"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, lot, deadline, **kwargs):
        super().__init__(*args, prefix="kpirect", **kwargs)
        self.lot, self.deadline, self.kpis = lot, deadline, list(lot.kpis.all())
        self.initial["submission_deadline"] = deadline.at
        self.fields["remove"].choices = [(str(k.pk), k.name) for k in self.kpis]
        for name, field in forms.fields_for_model(LotKPI, fields=FIELDS).items():
            field.required = False
            field.label = _("New KPI: %(field)s") % {"field": field.label}
            self.fields[f"new_{name}"] = field
        self.fields["new_measurement"].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["new_frequency"].choices = FREQUENCY_CHOICES

    def clean(self):
        data = super().clean()
        adding = any(data.get(f"new_{f}") not in (None, "") for f in FIELDS)
        if adding:
            for f in FIELDS:
                if data.get(f"new_{f}") in (None, ""):
                    self.add_error(f"new_{f}", _("Fill in every field of the new KPI."))
        if not adding and not data.get("remove"):
            raise forms.ValidationError(_("Remove a KPI or add a new one."))
        return data

    def rectification(self) -> dict:
        """The arguments of services.rectify: the lot's whole new list of KPIs and, if moved, the deadline."""
        data = self.cleaned_data
        removed = set(data["remove"])
        kpis = [{f: getattr(k, f) for f in FIELDS} for k in self.kpis if str(k.pk) not in removed]
        if data.get("new_name"):
            kpis.append({f: data[f"new_{f}"] for f in FIELDS})
        changed = data["submission_deadline"] != self.deadline.at.replace(second=0, microsecond=0)
        return {
            "explanation": data["explanation"],
            "lots": {self.lot.pk: {"kpis": kpis}},
            "deadlines": {self.deadline.kind: data["submission_deadline"]} if changed else {},
        }
