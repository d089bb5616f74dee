"""The municipal procurement policy page: the municipality's administrator or procurement officer sets the minimum
periods of the light and national regimes, the minimum extension after a material change and the term caps."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import role_view
from core.models import Role

from . import services, time_limits
from .policy import DEFAULTS, ProcurementPolicy

EDITORS = (Role.ADMINISTRATOR, Role.PROCUREMENT_OFFICER)


class PolicyForm(forms.ModelForm):
    """The municipal procurement policy: periods in calendar days, term caps in years."""

    class Meta:
        model = ProcurementPolicy
        fields = [
            "light_minimum_days",
            "national_minimum_days",
            "minimum_extension_days",
            "max_initial_years",
            "max_total_years",
        ]
        help_texts = {
            "light_minimum_days": gettext_lazy(
                "Bids or requests to participate, from the notice (social and other specific "
                "services above the threshold)."
            ),
            "national_minimum_days": gettext_lazy(
                "Bids or requests to participate, from the notice, below the thresholds."
            ),
            "minimum_extension_days": gettext_lazy(
                "Every following deadline moves at least this many days when criteria, "
                "budgets or a lot's scope change after publication."
            ),
        }

    def clean(self):
        data = super().clean()
        initial, total = data.get("max_initial_years"), data.get("max_total_years")
        if initial and total and total < initial:
            message = _("The maximum total term cannot be shorter than the maximum initial term.")
            self.add_error("max_total_years", message)
        return data

    def _post_clean(self):
        pass  # the owner is set by the service; the constraints are checked in clean() and by the service


@role_view(*EDITORS)
def policy(request, municipality):
    current = time_limits.policy_for(request.municipality)
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(request.municipality, request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The procurement policy was saved."))
            return redirect("tenders:policy", municipality)
    context = {"form": form, "policy": current, "defaults": DEFAULTS, "is_default": current.pk is None}
    return render(request, "tenders/policy.html", context, status=400 if form.errors else 200)
