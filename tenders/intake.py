"""How a procedure receives its requests to participate (ADR 0011). Tenders alone lets a provider representative
apply for their organisation (`services.apply_as_candidate`); a later stage that receives requests as sealed
submissions (bids) says so here, without tenders importing it (ADR 0007):

    from tenders import intake

    @intake.register
    def sealed(commissioning) -> bool:
        return commissioning.route in tender_rules.SELECTION_ROUTES

Register in the providing app's `AppConfig.ready`. A provider only reads. When any provider answers True, the
candidates of that procedure are created by the opening of the requests (`services.register_candidate`) and the
apply route is closed.

Such a candidate may have no landscape organisation, so "the candidates this user speaks for" cannot be found
through `represented_organisation_ids` alone: the same stage says which candidates a user acts for with
`@intake.register_speaker` on `fn(user, commissioning) -> iterable of candidate ids` (bids: the members of the lead
operator of the request). `own_candidates` combines both.
"""

from collections.abc import Callable, Iterable

from django.db.models import Q

from core.access import represented_organisation_ids

from .registry import Registry

Provider = Callable[[object], bool]
providers = Registry("tenders.intake")


def register(fn: Provider) -> Provider:
    """Decorator: add `fn(commissioning) -> bool`; registering the same function twice has no effect."""
    return providers.add(fn)


def unregister(fn: Provider) -> None:
    providers.remove(fn)


def sealed_requests(commissioning) -> bool:
    """Are the requests to participate of this procedure received as sealed submissions?"""
    return any(fn(commissioning) for fn in providers.functions())


SpeakerProvider = Callable[[object, object], Iterable[int]]
speakers = Registry("tenders.intake.speakers")


def register_speaker(fn: SpeakerProvider) -> SpeakerProvider:
    """Decorator: add `fn(user, commissioning) -> candidate ids the user acts for`; registering twice has no effect."""
    return speakers.add(fn)


def own_candidates(user, commissioning):
    """The candidates of `commissioning` that `user` speaks for: through a landscape organisation they represent, or
    as a member of the operator whose request became the candidate (registered speakers)."""
    if not getattr(user, "is_authenticated", False):
        return commissioning.candidates.none()
    ids = set()
    for fn in speakers.functions():
        ids |= set(fn(user, commissioning))
    return commissioning.candidates.filter(
        Q(organisation_id__in=represented_organisation_ids(user)) | Q(pk__in=sorted(ids))
    )
