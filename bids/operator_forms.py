"""Forms of the operator pages (registration, colleagues) and of the consortium pages (rings, commitments,
self-declaration). They only collect input: every check that matters is made by the services, whose
ValidationErrors are put back on these forms (`add_service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import OperatorKind, Participation


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has that field, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OperatorKind.choices)
    country = forms.CharField(label=_("Country (two letters)"), max_length=2, initial="NL")
    kvk_number = forms.CharField(label=_("KvK number"), max_length=12, required=False)
    foreign_registration = forms.CharField(
        label=_("Registration number abroad"),
        max_length=64,
        required=False,
        help_text=_("Only for an organisation without a KvK number."),
    )
    vat_number = forms.CharField(label=_("VAT number"), max_length=20, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=255)
    postcode = forms.CharField(label=_("Postcode"), max_length=16)
    city = forms.CharField(label=_("Place"), max_length=120)
    contact_name = forms.CharField(label=_("Contact person"), max_length=255)
    contact_email = forms.EmailField(
        label=_("E-mail address"), help_text=_("Also the username of your account; we send a link to confirm it.")
    )
    contact_phone = forms.CharField(label=_("Telephone"), max_length=32, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, required=False, strip=False)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, required=False, strip=False)

    def __init__(self, *args, with_account=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_account:
            self.fields["password"].required = self.fields["password_again"].required = True
            self.fields["password"].widget.attrs["autocomplete"] = "new-password"
        else:
            del self.fields["password"], self.fields["password_again"]
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        cleaned = super().clean()
        if "password" in self.fields and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The passwords are not the same."))
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your colleague"))


class NewAccountForm(forms.Form):
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The passwords are not the same."))
        return cleaned


class TotpForm(forms.Form):
    token = forms.CharField(label=_("Code from the app"), max_length=8)


class ParticipationForm(forms.Form):
    registration = forms.CharField(
        label=_("KvK number or registration number of the organisation"),
        max_length=64,
        help_text=_("The organisation must have registered itself and confirmed its e-mail address."),
    )
    ring = forms.TypedChoiceField(
        label=_("Place in the consortium"),
        coerce=int,
        choices=[(r.value, r.label) for r in Participation.Ring if r != Participation.Ring.LEAD],
    )
    parent = forms.ModelChoiceField(
        label=_("Works for (only for a subcontractor of a subcontractor)"),
        queryset=Participation.objects.none(),
        required=False,
    )
    role = forms.CharField(label=_("Role"), max_length=255, required=False)

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            submission.participations.filter(ring=Participation.Ring.SUBCONTRACTOR)
            .exclude(status=Participation.Status.DECLINED)
            .select_related("operator")
        )


class ConsortiumNameForm(forms.Form):
    consortium_name = forms.CharField(label=_("Name of the consortium"), max_length=255, required=False)


class CommitmentForm(forms.Form):
    amount_per_year = forms.DecimalField(
        label=_("Amount per year (€)"), max_digits=14, decimal_places=2, required=False
    )
    share_of_lot_budget = forms.DecimalField(
        label=_("Or: share of the lot budget (%)"), max_digits=5, decimal_places=2, required=False
    )
    years = forms.IntegerField(label=_("Number of years"), min_value=1)
    activities = forms.MultipleChoiceField(label=_("Activities"), required=False, widget=forms.CheckboxSelectMultiple)
    districts = forms.MultipleChoiceField(label=_("Districts"), required=False, widget=forms.CheckboxSelectMultiple)
    continues_activity = forms.ChoiceField(label=_("Continues an activity funded today"), required=False)
    description = forms.CharField(label=_("What the subcontractor does"), widget=forms.Textarea, required=False)

    def __init__(self, *args, activities=(), districts=(), funded=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].choices = [(a.pk, f"{a.title} ({a.organisation.name})") for a in activities]
        self.fields["districts"].choices = [(d.pk, d.name) for d in districts]
        self.fields["continues_activity"].choices = [("", _("No"))] + [
            (a.pk, f"{a.title} ({a.organisation.name})") for a in funded
        ]


class DeclarationForm(forms.Form):
    """One yes/no question per exclusion ground of Directive 2014/24/EU art. 57, with an explanation when yes."""

    def __init__(self, *args, initial_answers=None, others=(), relied_on=(), **kwargs):
        super().__init__(*args, **kwargs)
        initial_answers = initial_answers or {}
        for ground in rules.EXCLUSION_GROUNDS:
            answer = initial_answers.get(ground.code, {})
            self.fields[f"{ground.code}__applies"] = forms.TypedChoiceField(
                label=f"{ground.label} (art. {ground.article})",
                choices=[("no", _("No")), ("yes", _("Yes"))],
                widget=forms.RadioSelect,
                initial=("yes" if answer.get("applies") else "no") if answer else None,
            )
            self.fields[f"{ground.code}__explanation"] = forms.CharField(
                label=_("When yes: explanation and measures taken (art. %(article)s)") % {"article": ground.article},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=answer.get("explanation", ""),
            )
        self.fields["relies_on"] = forms.MultipleChoiceField(
            label=_("We rely on the capacity of (Directive 2014/24/EU art. 63)"),
            choices=[(p.pk, f"{p.operator.name} ({p.get_ring_display()})") for p in others],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=[p.pk for p in relied_on],
        )

    def answers(self) -> dict:
        return {
            ground.code: {
                "applies": self.cleaned_data[f"{ground.code}__applies"] == "yes",
                "explanation": self.cleaned_data[f"{ground.code}__explanation"],
            }
            for ground in rules.EXCLUSION_GROUNDS
        }
