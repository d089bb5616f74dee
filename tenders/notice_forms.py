"""The form that records the contract notice: its dispatch, the confirmation of its receipt and its publication on
TED (services.record_notice decides)."""

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
    receipt_confirmed_at = DateTimeField(
        label=_("Receipt confirmed by the Publications Office at (Amsterdam time)"),
        required=False,
        help_text=_(
            "The moment in the confirmation of receipt of the notice. If TED has not published the notice 48 hours "
            "later, the commissioning may be published here anyway (Directive 2014/24/EU art. 52(1))."
        ),
    )
    ted_published_at = DateTimeField(
        label=_("Notice published on TED at (Amsterdam time)"),
        required=False,
        help_text=_("The commissioning is published here only after TED has published the notice (art. 52(1))."),
    )

    def __init__(self, *args, commissioning=None, **kwargs):
        super().__init__(*args, prefix="notice", **kwargs)
        if commissioning is not None and not self.is_bound:
            self.initial = {
                "tenderned_id": commissioning.tenderned_notice_id,
                "ted_id": commissioning.ted_notice_id,
                "dispatched_at": _local(commissioning.notice_dispatched_at),
                "receipt_confirmed_at": _local(commissioning.notice_receipt_confirmed_at),
                "ted_published_at": _local(commissioning.notice_published_at),
            }


def _local(moment):
    return moment and timezone.localtime(moment)
