"""Registry of transition guards (ADR 0007): later stages add conditions to a phase change of the procedure without
tenders importing them.

    from tenders import guards
    from tenders.models import Phase

    @guards.register(Phase.EVALUATION, Phase.AWARDED)
    def every_bid_is_scored(commissioning, now) -> list[str]:
        return [] if ... else [_("Score every bid first.")]

A guard gets the (locked) commissioning and the moment of the change and returns a list of Dutch (gettext) error
messages, empty when the change may happen. `tenders.rules.transition_errors` asks the guards of the pair after its
own rules (the transition table, the closing deadline, the candidates), so a guard never has to repeat them.
Register in the guarding app's `AppConfig.ready` (import the module that holds the decorated functions there).
A guard only reads: writing belongs in a receiver of `tenders.events.procedure_changed`.
"""

from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from .models import Phase
from .registry import Registry

Guard = Callable[[object, datetime], list]

registry = Registry("tenders.guards")  # keyed by (from_phase, to_phase)


def _check(from_phase: str, to_phase: str) -> tuple[str, str]:
    for phase in (from_phase, to_phase):
        if phase not in Phase.values:
            raise ValueError(f"Unknown phase {phase!r} for a transition guard.")
    return str(from_phase), str(to_phase)


def register(from_phase: str, to_phase: str):
    """Decorator: add `fn(commissioning, now) -> list[str]` as a guard of the change from_phase → to_phase.
    Registering the same function twice for a pair has no effect."""
    key = _check(from_phase, to_phase)

    def decorator(fn: Guard) -> Guard:
        return registry.add(fn, key=key)

    return decorator


def unregister(from_phase: str, to_phase: str, fn: Guard) -> None:
    registry.remove(fn, key=_check(from_phase, to_phase))


def guards_for(from_phase: str, to_phase: str) -> list[Guard]:
    return list(registry.functions((str(from_phase), str(to_phase))))


def errors(commissioning, to_phase: str, now) -> list[str]:
    """The messages of every guard registered for the commissioning's current phase → to_phase, in order of
    registration."""
    messages = []
    for guard in guards_for(commissioning.phase, to_phase):
        messages += [str(message) for message in guard(commissioning, now)]
    return messages


@contextmanager
def only_from(*apps: str):
    """Within the block, only the guards defined in these apps' modules apply (the others are restored after). For
    tests of one stage in isolation: tenders' own tests walk the procedure without the later stages' conditions,
    which those stages test themselves."""
    with registry.only(lambda fn: fn.__module__.split(".")[0] in apps):
        yield
