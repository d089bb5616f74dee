"""Forms of the selection stage (preselection, competitive dialogue): applying, deciding on candidates, the
selection for dialogue phase 2 and the dialogue sessions. They only parse input; the services decide. Re-exported by
tenders.forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .form_fields import DateTimeField


class ApplyForm(forms.Form):
    """Applying for an organisation one represents, alone, where requests to participate are not received sealed
    (a consortium requests to participate with a sealed request, ADR 0011)."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("admit", _("Admit")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    score = forms.IntegerField(
        label=_("Score on the selection criteria (0–100)"), min_value=0, max_value=100, required=False
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting: the candidate reads them. Admitting requires a score."),
    )


class SelectForm(forms.Form):
    """Who goes on to dialogue phase 2; with an announced reduction also the score of each participant's solution on
    the award criteria and the reasons told to each participant left out (services.select_for_phase_2)."""

    participants = forms.ModelMultipleChoiceField(
        label=_("Go on to dialogue phase 2"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, prefix="select", **kwargs)
        admitted = commissioning.candidates.filter(status="admitted").select_related("organisation")
        self.fields["participants"].queryset = admitted
        self.participants = list(admitted) if commissioning.dialogue_reduction else []
        for p in self.participants:
            self.fields[f"score_{p.pk}"] = forms.IntegerField(
                label=_("Score of the solution of %(name)s on the award criteria (0–100)") % {"name": p.name},
                min_value=0,
                max_value=100,
                required=False,
                initial=p.solution_score,
            )
            self.fields[f"reasons_{p.pk}"] = forms.CharField(
                label=_("Reasons for %(name)s") % {"name": p.name},
                required=False,
                initial=p.solution_reasons,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required when the participant does not go on: it reads them."),
            )

    def scores(self) -> dict:
        return {p.pk: self.cleaned_data.get(f"score_{p.pk}") for p in self.participants}

    def reasons(self) -> dict:
        return {p.pk: self.cleaned_data.get(f"reasons_{p.pk}", "") for p in self.participants}


class DialogueSessionForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=None)
    held_at = DateTimeField(label=_("Date and time (Amsterdam time)"))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, prefix="session", **kwargs)
        self.fields["participant"].queryset = commissioning.candidates.filter(status="admitted").select_related(
            "organisation"
        )
