"""The form of a lot's KPI (tenders.services.kpis checks it again)."""

from django import forms

from .models import LotKPI


class KPIForm(forms.ModelForm):
    class Meta:
        model = LotKPI
        fields = ["name", "measurement", "target_value", "unit", "frequency"]
        widgets = {"measurement": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="kpi", **kwargs)

    def validate_unique(self):
        """The service checks the name within the lot (the form has no lot)."""
