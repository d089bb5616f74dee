"""Forms of the commissioning design. They only parse input; the services decide (and their guards speak Dutch).
The forms of a published procedure (tenders.procedure_forms) and of the selection stage (tenders.selection_forms)
live in modules of their own and are re-exported here, with the shared fields (tenders.form_fields)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from landscape.models import Activity, District, TargetGroup

from . import rules
from .form_fields import DATETIME_FORMATS, DateTimeField, clean_minimum, minimum_field
from .models import Commissioning, CPVCode, Deadline, DistributionRule, LibraryCriterion, ReservedBudgetLine, Route
from .procedure_forms import (
    AnswerForm,
    CancelForm,
    ClarificationForm,
    InfoSessionForm,
    QuestionForm,
    RectificationForm,
)
from .selection_forms import ApplyForm, DecisionForm, DialogueSessionForm, SelectForm
from .services.design import DESIGN_FIELDS

__all__ = [
    "DATETIME_FORMATS",
    "AnswerForm",
    "ApplyForm",
    "CancelForm",
    "ClarificationForm",
    "CommissioningForm",
    "CriterionForm",
    "CriterionMinimumForm",
    "DateTimeField",
    "DeadlineForm",
    "DecisionForm",
    "DialogueSessionForm",
    "InfoSessionForm",
    "LibraryCriterionForm",
    "LotForm",
    "LotRectificationForm",
    "QuestionForm",
    "RectificationForm",
    "ReservedLineForm",
    "SelectForm",
    "clean_minimum",
    "minimum_field",
]


# Dutch messages for an empty required field of the commissioning form, naming what is missing.
REQUIRED = {
    "title": _("Give the commissioning a title."),
    "goals": _("Describe the goals in plain language."),
    "route": _("Choose a procedure."),
    "term_years": _("Give the initial term in years (at least 1)."),
    "option_count": _("Give the number of options (0 if there are none)."),
    "option_years": _("Give the length of one option in years."),
}


class CommissioningForm(forms.ModelForm):
    class Meta:
        model = Commissioning
        fields = DESIGN_FIELDS  # what the design service accepts (tenders/services/design.py)
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 4}),
            "selection_criteria": forms.Textarea(attrs={"rows": 3}),
            "accelerated_reasons": forms.Textarea(attrs={"rows": 2}),
            "short_period_reasons": forms.Textarea(attrs={"rows": 2}),
            "contract_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "additional_cpv": forms.SelectMultiple(attrs={"size": 6}),
            "grant_ceiling_announced_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "grant_assessment_reasons": forms.Textarea(attrs={"rows": 3}),
            "grant_despite_reasons": forms.Textarea(attrs={"rows": 3}),
            "wmo_cost_price": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "selection_criteria": _("Procedure with preselection and competitive dialogue only."),
            "max_candidates": _("Preselection: candidates invited to bid. Dialogue: candidates in dialogue phase 1."),
            "max_dialogue_participants": _(
                "Competitive dialogue with an announced reduction only: at most this many go on to phase 2."
            ),
            "selection_scoring": _(
                "Preselection and competitive dialogue: how each selection criterion is scored, e.g. one score "
                "0–100 on the published criteria."
            ),
            "selection_minimum_score": _("Optional: candidates scoring lower do not qualify."),
            "tie_break": _("Every route: how equal scores are decided, e.g. the higher score on the first criterion."),
            "dialogue_reduction": _(
                "Competitive dialogue only: the documents announce that the participants are reduced after dialogue "
                "phase 1 (Directive 2014/24/EU art. 66); without it all of them go on to phase 2."
            ),
            "dialogue_reduction_method": _(
                "How the award criteria are applied to the solutions of dialogue phase 1 to reduce the participants."
            ),
            "procedure_grounds": _("Competitive dialogue only: why this procedure may be used (Aw 2.28)."),
            "lot_reasons": _("Required with a single lot: why the contract is not divided into lots (Aw 1.5)."),
            "documents_electronically_available": _(
                "European procedures: otherwise the minimum period for bids is 5 days longer (Aw 2.72)."
            ),
            "accelerated": _(
                "Only for a duly substantiated urgency, open or restricted route: shorter European periods, "
                "clarifications up to 4 days before the bid deadline (Aw 2.54(2))."
            ),
            "short_period_reasons": _(
                "Light and national regime: why a period shorter than the European minimum is proportionate (Aw 1.10)."
            ),
            "framework_agreement": _(
                "Under the European regime at most 4 years, options included (Directive art. 33(1))."
            ),
            "grant_ceiling": _("Grant round only: the amount available per year (Awb 4:22)."),
            "grant_regulation": _("Grant round only: the regulation the subsidy rests on (Awb 4:23)."),
            "grant_multi_year": _(
                "Grant round only: these questions decide whether it is a grant or a public contract."
            ),
            "wmo_price_basis": _("Wmo services only: the price is based on the cost price, with indexation."),
            "main_cpv": _(
                "Decides the regime: a code of Annex XIV of Directive 2014/24/EU (social and other specific "
                "services) makes the light regime apply; any other code the European threshold for services."
            ),
            "additional_cpv": _("Optional: other CPV codes that describe the services (at most 10)."),
        }

    def __init__(self, *args, now=None, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.policy = policy  # the owner's procurement policy (term caps); the defaults when None
        self.fields["distribution_rule"].required = False  # grant rounds only; there is one rule
        term = self.fields["term_years"]
        term.validators.append(MinValueValidator(1, message=_("The initial term must be at least one year.")))
        term.widget.attrs["min"] = 1
        for name, message in REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        self.fields["contract_start"].error_messages["invalid"] = _("Enter a date, for example 1-1-2028.")
        self.fields["main_cpv"].empty_label = _("(choose the main CPV code)")
        self.fields["main_cpv"].error_messages["invalid_choice"] = _("Choose a CPV code from the list.")
        self.fields["additional_cpv"].error_messages["invalid_choice"] = _("Choose CPV codes from the list.")

    def clean_distribution_rule(self):
        return self.cleaned_data.get("distribution_rule") or DistributionRule.QUALITY_RANKING

    def clean_contract_start(self):
        start = self.cleaned_data.get("contract_start")
        changed = self.instance.pk is None or start != self.instance.contract_start
        if start and changed and start <= timezone.localdate(self.now):
            raise forms.ValidationError(
                _("The contract cannot start today or in the past: choose a date after %(today)s."),
                params={"today": date_format(timezone.localdate(self.now), "j F Y")},
                code="in_the_past",
            )
        return start

    def clean(self):
        """Every design rule at once, so that one submit shows every mistake (the service checks the same again)."""
        data = super().clean()
        term, count, years = data.get("term_years"), data.get("option_count"), data.get("option_years")
        if term is not None and term >= 1 and count is not None and years is not None:
            for field, message in rules.term_errors(term, count, years, self.policy).items():
                self._field_error(field, message)
        if data.get("grant_ceiling") is not None and data["grant_ceiling"] <= 0:
            self._field_error("grant_ceiling", _("The subsidy ceiling must be more than € 0."))
        if data.get("max_candidates") is not None and data["max_candidates"] < 1:
            self._field_error("max_candidates", _("Admit at least one candidate."))
        phase_2 = data.get("max_dialogue_participants")
        if phase_2 is not None and phase_2 < 1:
            self._field_error("max_dialogue_participants", _("At least one participant goes on to dialogue phase 2."))
        elif phase_2 is not None and data.get("max_candidates") and phase_2 > data["max_candidates"]:
            self._field_error(
                "max_dialogue_participants",
                _("Dialogue phase 2 cannot have more participants than the candidates admitted to the dialogue."),
            )
        for field in ("title", "goals"):
            if field in data and not (data[field] or "").strip():
                self._field_error(field, REQUIRED[field])
        if data.get("main_cpv") is not None and data["main_cpv"] in (data.get("additional_cpv") or []):
            self._field_error("additional_cpv", _("The main CPV code is not also an additional code."))
        return data

    def _field_error(self, field, message):
        if field not in self.errors:  # one message per field: the first that applies
            self.add_error(field, message)

    def _post_clean(self):
        """The model's constraints are checked by the fields above, each with a Dutch message; a constraint that
        still fails (it should not) is reported without its technical name."""
        super()._post_clean()
        for field, errors in list(self.errors.items()):
            if any("commissioning_" in str(e) for e in errors):
                del self._errors[field]
                self.add_error(None if field == NON_FIELD_ERRORS else field, _("This value is not allowed."))


class LotForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    annual_budget = forms.DecimalField(label=_("Fixed budget per year (€)"), max_digits=14, decimal_places=2)
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"), queryset=District.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities taken over"),
        help_text=_(
            "Only the ticked activities are in the lot. Districts and target groups describe the lot; the activities "
            "they match are proposed below the form, not added by themselves."
        ),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    main_cpv = forms.ModelChoiceField(
        label=_("Main CPV code of the lot"),
        queryset=CPVCode.objects.all(),
        required=False,
        empty_label=_("(the commissioning's main CPV code)"),
        error_messages={"invalid_choice": _("Choose a CPV code from the list.")},
    )
    additional_cpv = forms.ModelMultipleChoiceField(
        label=_("Additional CPV codes of the lot"),
        queryset=CPVCode.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        error_messages={"invalid_choice": _("Choose CPV codes from the list.")},
    )

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, prefix="lot", **kwargs)
        municipalities = commissioning.municipalities()
        self.fields["districts"].queryset = District.objects.filter(municipality__in=municipalities)
        self.fields["activities"].queryset = Activity.objects.filter(
            organisation__municipality__in=municipalities
        ).select_related("organisation")
        self.fields["activities"].label_from_instance = lambda a: f"{a.title} ({a.organisation.name})"


class LotRectificationForm(LotForm):
    """A lot of a published commissioning changes through a rectification: the lot form, with the explanation and
    the deadline for submissions (a change of the budget, scope or CPV codes is material and needs it extended)."""

    explanation = forms.CharField(label=_("What is corrected, and why"), widget=forms.Textarea(attrs={"rows": 3}))
    submission_deadline = DateTimeField(label=_("Deadline for submissions (Amsterdam time)"))

    field_order = ["explanation", "title", "description", "annual_budget", "districts", "target_groups"]

    def __init__(self, *args, commissioning, deadline, **kwargs):
        super().__init__(*args, commissioning=commissioning, **kwargs)
        self.deadline = deadline
        self.initial["submission_deadline"] = deadline.at

    def rectification(self, lot) -> dict:
        """The arguments of services.rectify for this lot: only what differs."""
        data = self.cleaned_data
        current = {
            "title": lot.title,
            "description": lot.description,
            "annual_budget": lot.annual_budget,
            "activities": set(lot.activities.all()),
            "districts": set(lot.districts.all()),
            "target_groups": set(lot.target_groups.all()),
            "main_cpv": lot.main_cpv,  # a change of CPV codes is material, like the budget
            "additional_cpv": set(lot.additional_cpv.all()),
        }
        new = {
            name: data[name]
            for name in current
            if (set(data[name]) if isinstance(current[name], set) else data[name]) != current[name]
        }
        changed = data["submission_deadline"] != self.deadline.at.replace(second=0, microsecond=0)
        return {
            "explanation": data["explanation"],
            "lots": {lot.pk: new} if new else {},
            "deadlines": {self.deadline.kind: data["submission_deadline"]} if changed else {},
        }


class ReservedLineForm(forms.ModelForm):
    class Meta:
        model = ReservedBudgetLine
        fields = ["kind", "description", "annual_amount", "years"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="reserve", **kwargs)


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.DecimalField(label=_("Weight (%)"), max_digits=5, decimal_places=2)
    parent = forms.ChoiceField(label=_("Sub-criterion of"), required=False)

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, prefix="criterion", **kwargs)
        self.commissioning = commissioning
        main = commissioning.criteria.filter(parent__isnull=True)
        self.fields["parent"].choices = [("", _("(main criterion)"))] + [(str(c.pk), c.title) for c in main]
        for score in commissioning.scale:
            self.fields[f"anchor_{score}"] = forms.CharField(
                label=_("Anchor for score %(s)s") % {"s": score},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("What a bid must show to get this score."),
            )

        if commissioning.route != Route.GRANT_ROUND:  # a grant round has no minimums yet (rules.minimum_errors)
            self.fields["minimum_score"] = minimum_field(commissioning)

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        return self.commissioning.criteria.filter(pk=pk, parent__isnull=True).first() if pk else None

    def clean_minimum_score(self):
        return clean_minimum(self.cleaned_data.get("minimum_score"))

    def anchors(self) -> dict:
        return {s: self.cleaned_data.get(f"anchor_{s}", "") for s in self.commissioning.scale}


class CriterionMinimumForm(forms.Form):
    """Set or clear the knock-out minimum of a criterion without sub-criteria, while the commissioning is a draft."""

    criterion = forms.ChoiceField(label=_("Criterion"))

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, prefix="minimum", **kwargs)
        self.commissioning = commissioning
        criteria = list(commissioning.criteria.all())
        parents = {c.parent_id for c in criteria}
        self.fields["criterion"].choices = [(str(c.pk), c.title) for c in criteria if c.pk not in parents]
        self.fields["minimum_score"] = minimum_field(commissioning)

    def clean_criterion(self):
        return self.commissioning.criteria.get(pk=self.cleaned_data["criterion"])

    def clean_minimum_score(self):
        return clean_minimum(self.cleaned_data.get("minimum_score"))


class LibraryCriterionForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Criterion from the library"), queryset=LibraryCriterion.objects.all())
    weight = forms.DecimalField(label=_("Weight (%)"), max_digits=5, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="library", **kwargs)


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Deadline"), choices=Deadline.Kind.choices)
    at = DateTimeField(label=_("Date and time (Amsterdam time)"))

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, prefix="deadline", **kwargs)
        self.now = now or timezone.now()
        self.fields["kind"].error_messages["required"] = _("Choose which deadline you set.")
        self.fields["at"].error_messages.update(
            {"required": _("Give a date and time."), "invalid": _("Enter a date and time, for example 1-3-2028 12:00.")}
        )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= self.now:
            raise forms.ValidationError(
                _("A deadline cannot lie in the past: choose a moment after %(now)s."),
                params={"now": date_format(timezone.localtime(self.now), "j F Y H:i")},
                code="in_the_past",
            )
        return at
