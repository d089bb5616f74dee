"""Bids' links on the commissioning's manage page (tenders.stage_links), and the plug point of the bidder's own
submission page: a later stage (evaluation: the award letter) adds its links there with
`@tenders.stage_links.register(place=SUBMISSION)` on `fn(submission, user, municipality) -> list[Link]`
(`municipality` is None: the bidder's pages have no municipality in their URL)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import has_role
from core.models import MUNICIPAL_ROLES
from tenders import stage_links

from . import access

SUBMISSION = "bids.submission"


@stage_links.register
def opening(commissioning, user, municipality) -> list[stage_links.Link]:
    """The opening page (openers, the two-person confirmation, the opened submissions) once the commissioning is
    published, for those the opening page itself admits."""
    if not commissioning.is_published or not has_role(user, MUNICIPAL_ROLES, municipality):
        return []
    if not access.may_see_opening(user, commissioning):
        return []
    url = reverse("bids:opening", args=[municipality.cbs_code, commissioning.pk])
    return [stage_links.Link(_("Opening and opened submissions"), url)]
