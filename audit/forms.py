from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from . import labels

PROJECT_APPS = ("core", "audit", "landscape", "continuity", "tenders", "publication", "auth", "otp_totp")


def _action_choices():
    codes = set(labels.ACTION_LABELS)
    for app in PROJECT_APPS:
        codes |= {f"{app}.admin_{verb}" for verb in labels.ADMIN_VERBS}
    return [("", _("All actions"))] + sorted(
        ((code, labels.action_display(code)) for code in codes if labels.action_label(code)), key=lambda c: str(c[1])
    )


def _object_choices():
    models = [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]
    return [("", _("All objects"))] + sorted(
        ((m._meta.label, str(m._meta.verbose_name).capitalize()) for m in models), key=lambda c: c[1]
    )


class AuditFilterForm(forms.Form):
    """The filters of the audit page; the same parameters select the export."""

    van = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    gebruiker = forms.CharField(label=_("User"), required=False, max_length=150)
    rol = forms.ChoiceField(label=_("Role"), required=False)
    soort = forms.ChoiceField(label=_("Kind of action"), required=False)
    actie = forms.ChoiceField(label=_("Action"), required=False)
    object = forms.ChoiceField(label=_("Object"), required=False)
    objectnummer = forms.CharField(label=_("Object number"), required=False, max_length=64)

    def __init__(self, *args, role_choices=(), **kwargs):
        """`role_choices`: the roles (code, label) of core.models.Role, passed in so that audit imports no app."""
        super().__init__(*args, **kwargs)
        self.fields["rol"].choices = [("", _("All roles"))] + list(role_choices)
        self.fields["soort"].choices = [("", _("All kinds"))] + [(k, v) for k, v in labels.KIND_LABELS.items()]
        self.fields["actie"].choices = _action_choices()
        self.fields["object"].choices = _object_choices()

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            self.add_error("tot", _("The end of the period lies before its start."))
        return data
