"""The evaluation's forms. They only read and validate input; the services decide and write."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import User

from .access import COMMITTEE_ROLES
from .rules import MIN_REASON_CHARS


def add_errors(form, exc: ValidationError):
    """A service's ValidationError as form errors (beside the field it names, otherwise above the form)."""
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in pairs:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def eligible_users(commissioning):
    """Municipal staff and social workers of the commissioning's municipalities (directly or through a purchasing
    organisation)."""
    municipalities = commissioning.municipalities()
    return (
        User.objects.filter(
            Q(role_assignments__municipality__in=municipalities)
            | Q(role_assignments__purchasing_organisation__municipalities__in=municipalities),
            role_assignments__role__in=COMMITTEE_ROLES,
        )
        .distinct()
        .order_by("last_name", "username")
    )


class CommitteeForm(forms.Form):
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("Scoring members"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous evaluation: members see “Inschrijving A/B/C”, not the bidder"), required=False
    )

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("chair", "members"):
            self.fields[name].queryset = eligible_users(commissioning)
            self.fields[name].label_from_instance = _name


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a relation with one of these organisations that could affect your impartiality?"),
        choices=[("no", _("No, I have no such relation")), ("yes", _("Yes, I have a relation"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    relations = forms.CharField(
        label=_("Describe the relation (organisation, what kind, since when)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Score"), coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (refer to the anchor)"),
        min_length=MIN_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "minlength": MIN_REASON_CHARS}),
    )

    def __init__(self, *args, criterion, **kwargs):
        super().__init__(*args, **kwargs)
        anchors = criterion.get("anchors", {})
        self.criterion = criterion
        self.fields["score"].choices = [
            (level, f"{level} — {anchors.get(str(level), '')}".rstrip(" —")) for level in criterion["scale"]
        ]


class ConsensusForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Consensus score"), coerce=int)
    reason = forms.CharField(
        label=_("Reason (refer to the anchor)"),
        min_length=MIN_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 2, "minlength": MIN_REASON_CHARS}),
    )
    deviation_reason = forms.CharField(
        label=_("Why it differs from the members' median"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [(level, level) for level in scale]


class AwardForm(forms.Form):
    winner = forms.TypedChoiceField(label=_("Winning bid"), coerce=int)
    characteristics = forms.CharField(
        label=_("Characteristics and relative advantages of the winning bid (Aw 2.130)"),
        min_length=MIN_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    tie_break = forms.CharField(
        label=_("How the published tie-break rule decided (equal totals)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winner"].choices = choices


class TextForm(forms.Form):
    """One required text: a withdrawal reason, a claimant, a judgment, an answer or a question."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class GrantDecisionsForm(forms.Form):
    """The grant decisions of a round: the amount per year each opened application asks for, and where equal totals
    decide, their order under the published tie-break rule with the reasons (ADR 0010)."""

    tie_order = forms.CharField(
        label=_("Order of applications with equal totals"),
        help_text=_("Their numbers, first the one the published tie-break rule puts first, separated by commas."),
        required=False,
        max_length=500,
    )
    tie_break = forms.CharField(
        label=_("How the published tie-break rule decided"), widget=forms.Textarea, required=False, max_length=4000
    )

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        amounts = {}
        for pk, label in applications:
            amounts[f"amount_{pk}"] = forms.DecimalField(
                label=_("Amount per year asked by %(application)s (€)") % {"application": label},
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0.01"),
                localize=True,
            )
        self.fields = {**amounts, **self.fields}

    def clean_tie_order(self):
        text = self.cleaned_data["tie_order"].strip()
        if not text:
            return []
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise ValidationError(_("Give the numbers of the applications, separated by commas."))
        return [int(p) for p in parts]

    def requested(self) -> dict[int, Decimal]:
        return {
            int(name.removeprefix("amount_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("amount_")
        }
