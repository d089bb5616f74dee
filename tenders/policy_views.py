"""The municipal procurement policy page: the municipality's administrator or procurement officer sets the minimum
periods of the light and national regimes, the minimum extension after a material change and the term caps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import role_view
from core.models import Role

from . import forms, services, time_limits
from .policy import DEFAULTS

EDITORS = (Role.ADMINISTRATOR, Role.PROCUREMENT_OFFICER)


@role_view(*EDITORS)
def policy(request, municipality):
    current = time_limits.policy_for(request.municipality)
    form = forms.PolicyForm(request.POST or None, instance=current)
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
