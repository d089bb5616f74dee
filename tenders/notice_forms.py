"""The form that records the dispatch of the contract notice (services.record_notice decides)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .form_fields import DateTimeField


class NoticeForm(forms.Form):
    tenderned_id = forms.CharField(label=_("TenderNed publication number"), max_length=20, required=False)
    ted_id = forms.CharField(
        label=_("TED notice number"), max_length=20, required=False, help_text=_("For example 123456-2026.")
    )
    dispatched_at = DateTimeField(
        label=_("Notice dispatched at (Amsterdam time)"),
        help_text=_("The moment the notice was sent to TenderNed/TED; its date decides which thresholds apply."),
        error_messages={"required": _("Give the moment the notice was dispatched.")},
    )

    def __init__(self, *args, commissioning=None, **kwargs):
        super().__init__(*args, prefix="notice", **kwargs)
        if commissioning is not None and not self.is_bound:
            self.initial = {
                "tenderned_id": commissioning.tenderned_notice_id,
                "ted_id": commissioning.ted_notice_id,
                "dispatched_at": commissioning.notice_dispatched_at
                and timezone.localtime(commissioning.notice_dispatched_at),
            }
