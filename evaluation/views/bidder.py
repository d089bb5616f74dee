"""A bidder's account: the award letters addressed to bids led by an operator the user acts for
(bids.OperatorMember), the PDF, and a debriefing request (Directive art. 55(2)). Never another bidder's letter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import login_view

from .. import services
from ..access import operator_ids_of
from ..forms import TextForm, add_errors
from ..models import AwardLetter
from . import private
from .award import letter_response

QUESTION = gettext_lazy("Your question about the reasons of the decision")


def _own_letters(user):
    return (
        AwardLetter.objects.filter(submission__lead__in=operator_ids_of(user))
        .select_related("decision__lot__commissioning", "submission__lead")
        .order_by("-created_at")
    )


def _own_letter(user, pk):
    row = _own_letters(user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _page(request, form_for=None, form=None, status=200):
    rows = [
        {
            "letter": letter,
            "standing": letter.decision.standing,
            "debriefings": letter.decision.debriefings.filter(submission=letter.submission_id),
            "form": form if letter.pk == form_for else TextForm(label=QUESTION, prefix=f"q{letter.pk}"),
        }
        for letter in _own_letters(request.user)
    ]
    return private(render(request, "evaluation/my_letters.html", {"rows": rows}, status=status))


@login_view
def my_letters(request):
    return _page(request)


@login_view
def download(request, letter):
    return private(letter_response(_own_letter(request.user, letter)))


@require_POST
@login_view
def debriefing(request, letter):
    row = _own_letter(request.user, letter)
    form = TextForm(request.POST, label=QUESTION, prefix=f"q{row.pk}")
    if form.is_valid():
        try:
            services.request_debriefing(
                row.decision, actor=request.user, submission=row.submission, question=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent. The answer is due within 15 days."))
            return redirect("evaluation:my_letters")
    return _page(request, form_for=row.pk, form=form, status=400)
