"""Forms of the bidder's pages: starting a submission, an answer, an attachment, a confidential mark, a check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Submission

REASON_HELP = _("Required when the part is confidential: why disclosing it would harm your organisation (Aw 2.57).")


class StartForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("Organisation (lead)"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of submission"), choices=Submission.Kind.choices, widget=forms.RadioSelect)
    lot = forms.ModelChoiceField(
        label=_("Lot"), queryset=None, required=False, help_text=_("A bid is made per lot; a request has no lot.")
    )
    consortium_name = forms.CharField(
        label=_("Name of the consortium"),
        max_length=255,
        required=False,
        help_text=_("Leave empty when the organisation submits alone."),
    )

    def __init__(self, *args, operators, kinds, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["kind"].choices = [(k, Submission.Kind(k).label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        self.fields["lot"].queryset = lots


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    confidential = forms.BooleanField(label=_("Confidential (Aw 2.57)"), required=False)
    confidential_reason = forms.CharField(
        label=_("Reason for confidentiality"), required=False, max_length=500, help_text=REASON_HELP
    )

    def __init__(self, *args, max_chars, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("At most %(n)s characters.") % {"n": max_chars}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"), help_text=_("PDF, Word (.docx) or Excel (.xlsx); the type is checked by the content.")
    )
    confidential = forms.BooleanField(label=_("Confidential (Aw 2.57)"), required=False)
    confidential_reason = forms.CharField(
        label=_("Reason for confidentiality"), required=False, max_length=500, help_text=REASON_HELP
    )


class ConfidentialForm(forms.Form):
    confidential = forms.BooleanField(label=_("Confidential (Aw 2.57)"), required=False)
    confidential_reason = forms.CharField(label=_("Reason for confidentiality"), required=False, max_length=500)


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Kept manifest (JSON) or file"),
        help_text=_("The manifest you downloaded after submitting, or one of the files you sent."),
    )
