"""What a bid means for the activities in its lot, for the continuity scenario "after award" (continuity.services.
moves_from_bids): which current activities continue with their own organisation, and under which name the bid's
consortium takes over the rest. Only opened bids can be read this way: before the opening a bid is sealed."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from landscape.models import Activity

from .models import OperatorMatch, Participation
from .opening_rules import is_opened

CONSORTIUM_RINGS = (Participation.Ring.LEAD, Participation.Ring.MEMBER)


def winning_name(bid) -> str:
    return bid.consortium_name or bid.lead.name


def continuing_activities(bid) -> set[int]:
    """Ids of the landscape activities that continue with their current organisation if this bid wins: every
    activity of an organisation that is lead or consortium member, and every activity a confirmed subcontractor
    commits to continue. An organisation is recognised by its confirmed match to the landscape registry."""
    if not is_opened(bid.commissioning_id, bid.kind):
        raise ValidationError(_("A bid can only be used after the opening."))
    confirmed = Participation.objects.filter(submission=bid, status=Participation.Status.CONFIRMED)
    matched = dict(
        OperatorMatch.objects.filter(
            operator__in=confirmed.values("operator"), status=OperatorMatch.Status.CONFIRMED
        ).values_list("organisation_id", "operator_id")
    )
    in_consortium = {p.operator_id for p in confirmed if p.ring in CONSORTIUM_RINGS}
    organisations = [org for org, operator in matched.items() if operator in in_consortium]
    continuing = set(Activity.objects.filter(organisation__in=organisations).values_list("pk", flat=True))
    for p in confirmed.exclude(ring__in=CONSORTIUM_RINGS).prefetch_related("commitments"):
        for commitment in p.commitments.all():
            activity = commitment.continues_activity
            if activity is not None and matched.get(activity.organisation_id) == p.operator_id:
                continuing.add(activity.pk)
    return continuing
