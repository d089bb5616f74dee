"""Forms of the scenario builder and the transition budget optimiser (errors in Dutch next to the field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from landscape.models import Activity

from .models import Outcome, Scenario, TransitionPlan

ASSUMPTIONS = [f for f in Scenario.ASSUMPTION_FIELDS if f != "base_year"]


class ScenarioCreateForm(forms.ModelForm):
    """Name and kind; assumptions left empty take the documented default for the kind (docs/continuity.md)."""

    class Meta:
        model = Scenario
        fields = ["name", "kind", "description", "base_year", *ASSUMPTIONS]

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        for name in ["base_year", *ASSUMPTIONS]:
            self.fields[name].required = False
        self.fields["base_year"].help_text = _("Empty: the latest year with registered funding.")
        self.fields["unassigned_outcome"].choices = [("", _("Default for the kind")), *Outcome.choices]
        for name in ASSUMPTIONS:
            if name != "unassigned_outcome":
                self.fields[name].help_text = _("Empty: the default for the kind (see the explanation of the figures).")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Scenario.objects.filter(municipality=self.municipality, name=name).exists():
            raise forms.ValidationError(_("A scenario with this name already exists."))
        return name

    def _post_clean(self):  # validation of the model happens in the service, with the defaults filled in
        pass


class AssumptionsForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["name", "description", "base_year", *ASSUMPTIONS]


class MovesForm(forms.Form):
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities"), queryset=Activity.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.ChoiceField(
        label=_("What happens to them"), choices=[("", _("No move (default)")), *Outcome.choices], required=False
    )
    lot = forms.CharField(label=_("Lot"), max_length=200, required=False)
    winner = forms.CharField(label=_("Winner (lead contractor or consortium)"), max_length=255, required=False)

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = (
            Activity.objects.filter(organisation__municipality=municipality)
            .select_related("organisation")
            .order_by("organisation__name", "title")
        )
        self.fields["activities"].label_from_instance = lambda a: f"{a.organisation.name} – {a.title}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.TRANSFERS and not cleaned.get("winner", "").strip():
            self.add_error("winner", _("An activity that moves to a lot needs the name of the winner."))
        return cleaned


class TransitionPlanForm(forms.ModelForm):
    class Meta:
        model = TransitionPlan
        fields = [
            "name",
            "budget",
            "bridging_months",
            "weight_reach",
            "weight_volunteers",
            "weight_co_funding",
            "weight_prevention",
            "weight_coverage",
            "max_per_organisation",
            "partial_funding",
        ]
        help_texts = {
            "weight_coverage": _(
                "Above zero: first keep as many districts and target groups covered as the budget "
                "allows, then the other weights count."
            ),
            "weight_co_funding": _("Conditional co-funding counts double: it stops unless the municipality pays."),
        }

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(f) or 0 for f in self.Meta.fields if f.startswith("weight_")]
        if not any(weights) and not self.errors:
            raise forms.ValidationError(
                _("Set at least one weight above zero: otherwise every allocation is equally good.")
            )
        cap = cleaned.get("max_per_organisation")
        if cap is not None and cap <= 0:
            self.add_error("max_per_organisation", _("The maximum per organisation must be more than zero, or empty."))
        return cleaned


class FromLotsForm(forms.Form):
    """Take the moves from the lots of a commissioning (tenders app)."""

    commissioning = forms.ModelChoiceField(label=_("Commissioning"), queryset=None)

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        from tenders.selectors import of_municipality

        self.fields["commissioning"].queryset = of_municipality(municipality)


class LotBudgetsForm(forms.Form):
    """The budget per year of each lot named in the scenario's moves; empty: the lot costs its current grants."""

    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lots = list(lots)
        for i, (name, budget) in enumerate(self.lots):
            self.fields[f"lot_{i}"] = forms.DecimalField(
                label=name, required=False, min_value=0, max_digits=14, decimal_places=2, initial=budget
            )

    def budgets(self) -> dict:
        return {name: self.cleaned_data[f"lot_{i}"] for i, (name, _budget) in enumerate(self.lots)}
