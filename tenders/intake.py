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
"""

from collections.abc import Callable

Provider = Callable[[object], bool]
_providers: list[Provider] = []


def register(fn: Provider) -> Provider:
    """Decorator: add `fn(commissioning) -> bool`; registering the same function twice has no effect."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister(fn: Provider) -> None:
    if fn in _providers:
        _providers.remove(fn)


def sealed_requests(commissioning) -> bool:
    """Are the requests to participate of this procedure received as sealed submissions?"""
    return any(fn(commissioning) for fn in _providers)
