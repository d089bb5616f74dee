"""When the submissions of a commissioning may be opened, and the guards that keep the procedure from moving on
before they are (Directive 2014/24/EU Annex IV; ADR 0008). Reads only; bids.services.opening enforces them.

- The opening moment of bids is the route's submission deadline, of requests to participate the deadline for
  requests (tenders.rules.SUBMISSION_DEADLINE, Deadline.Kind.REQUESTS): set and changed only by the procurement
  officer through the tenders services (design before publication, a published rectification after).
- Opening is possible once the server clock has passed that moment, by two different appointed openers who each
  confirm with a fresh second-factor code within OPENING_WINDOW of the first confirmation.
- The procedure cannot leave the phase that received the submissions while submissions of that kind are sealed.
"""

from datetime import timedelta

from django.utils.translation import gettext as _

from tenders import guards
from tenders import rules as tender_rules
from tenders.models import Deadline, Phase

from .models import Opener, Opening, SealedVersion, Submission

# A first confirmation expires after this long: the second opener must confirm within it, else it starts over.
OPENING_WINDOW = timedelta(minutes=30)
OPENERS_NEEDED = 2

Kind = Submission.Kind


def opening_deadline_kind(commissioning, kind: str) -> str:
    """The deadline at which the submissions of `kind` are opened."""
    return Deadline.Kind.REQUESTS if kind == Kind.REQUEST else tender_rules.SUBMISSION_DEADLINE[commissioning.route]


def opening_moment(commissioning, kind: str):
    """The moment from which `kind` may be opened, or None when the commissioning has no such deadline."""
    deadline = commissioning.deadlines.filter(kind=opening_deadline_kind(commissioning, kind)).first()
    return deadline.at if deadline else None


def is_opener(user, commissioning) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and Opener.objects.filter(commissioning=commissioning, user=user).exists()
    )


def opening_errors(commissioning, kind: str, now) -> list[str]:
    """Why the submissions of `kind` cannot be opened at `now` (before any opener confirms)."""
    if kind not in Kind.values:
        return [_("Unknown kind of submission.")]
    if not commissioning.is_published:
        return [_("The commissioning has not been published.")]
    moment = opening_moment(commissioning, kind)
    if moment is None:
        return [_("This commissioning has no deadline for these submissions.")]
    if now < moment:
        return [_("The submissions can only be opened after the deadline.")]
    return []


def window_start(now):
    """Confirmations made before this moment have expired."""
    return now - OPENING_WINDOW


def is_opened(commissioning, kind: str) -> bool:
    return Opening.objects.filter(commissioning=commissioning, kind=kind, opened_at__isnull=False).exists()


def has_sealed(commissioning, kind: str) -> bool:
    return SealedVersion.objects.filter(submission__commissioning=commissioning, submission__kind=kind).exists()


def _open_first(commissioning, kind: str) -> list[str]:
    if has_sealed(commissioning, kind) and not is_opened(commissioning, kind):
        if kind == Kind.REQUEST:
            return [_("Open the requests to participate first (two openers).")]
        return [_("Open the bids first (two openers).")]
    return []


# --- Guards of the procedure (ADR 0007): no evaluation of sealed bids, no selection of sealed requests ----------
@guards.register(Phase.TENDERING, Phase.EVALUATION)
@guards.register(Phase.INVITATION, Phase.EVALUATION)
@guards.register(Phase.FINAL_BIDS, Phase.EVALUATION)
@guards.register(Phase.APPLICATION_PERIOD, Phase.EVALUATION)
def bids_opened_before_evaluation(commissioning, now) -> list[str]:
    return _open_first(commissioning, Kind.BID)


@guards.register(Phase.SELECTION, Phase.INVITATION)
@guards.register(Phase.SELECTION, Phase.DIALOGUE_1)
def requests_opened_before_selection_ends(commissioning, now) -> list[str]:
    return _open_first(commissioning, Kind.REQUEST)
