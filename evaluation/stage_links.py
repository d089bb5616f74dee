"""Evaluation's links on the commissioning's manage page (tenders.stage_links) — the officer's committees and
award pages, a member's own seat — and on the bidder's submission page (bids.stage_links.SUBMISSION): its award
letters."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from bids.stage_links import SUBMISSION
from core.access import has_role
from core.models import Role
from tenders import stage_links
from tenders.models import Phase

from .access import operator_ids_of
from .models import AwardLetter, Committee, Member

EVALUATED = (Phase.EVALUATION, Phase.AWARDED)


@stage_links.register
def officer(commissioning, user, municipality) -> list[stage_links.Link]:
    """The committees per lot and, for each lot with a committee, its ranking and award page."""
    if commissioning.phase not in EVALUATED or not has_role(user, [Role.PROCUREMENT_OFFICER], municipality):
        return []
    code = municipality.cbs_code
    overview = reverse("evaluation:overview", args=[code, commissioning.pk])
    found = [stage_links.Link(_("Evaluation committees"), overview)]
    for committee in Committee.objects.filter(commissioning=commissioning).select_related("lot"):
        url = reverse("evaluation:award", args=[code, commissioning.pk, committee.lot_id])
        found.append(stage_links.Link(_("Ranking and award decision: %(lot)s") % {"lot": committee.lot}, url))
    return found


@stage_links.register
def seats(commissioning, user, municipality) -> list[stage_links.Link]:
    """The user's own seats on this commissioning's committees (the chair's leads to the consensus)."""
    if not user.is_authenticated:
        return []
    found = []
    mine = Member.objects.filter(user=user, committee__commissioning=commissioning).select_related("committee__lot")
    for seat in mine:
        if seat.role == Member.Role.CHAIR:
            label, url = _("Consensus as chair: %(lot)s"), reverse("evaluation:consensus", args=[seat.pk])
        else:
            label, url = _("My scores: %(lot)s"), reverse("evaluation:seat", args=[seat.pk])
        found.append(stage_links.Link(label % {"lot": seat.committee.lot}, url))
    return found


@stage_links.register(place=SUBMISSION)
def award_letters(submission, user, municipality) -> list[stage_links.Link]:
    """The award letters to this submission, for the users who act for its lead operator (never another bidder)."""
    if submission.lead_id not in operator_ids_of(user):
        return []
    return [
        stage_links.Link(
            _("Award letter of %(date)s (PDF)") % {"date": date_format(localtime(letter.created_at), "j F Y")},
            reverse("evaluation:my_letter", args=[letter.pk]),
        )
        for letter in AwardLetter.objects.filter(submission=submission).order_by("created_at")
    ]
