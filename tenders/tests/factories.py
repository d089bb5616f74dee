"""Builders of commissionings in a given state, through the services (so that tests exercise the real write path)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import Role
from core.testing import MunicipalityFactory, user_with_role
from tenders import rules, services
from tenders.models import Deadline, Phase, Route

K = Deadline.Kind


def officer(municipality):
    return user_with_role(Role.PROCUREMENT_OFFICER, municipality)


def anchors(scale=rules.DEFAULT_SCALE):
    return {s: f"Wat een inschrijving laat zien voor {s} punten." for s in scale}


def draft(municipality=None, user=None, route=Route.OPEN, **fields):
    municipality = municipality if municipality is not None else MunicipalityFactory()
    user = user or officer(municipality)
    defaults = {
        "title": "Samen Opgroeien",
        "goals": "Kinderen en jongeren groeien veilig op in hun wijk.",
        "route": route,
        "term_years": 5,
        "option_count": 4,
        "option_years": 1,
    }
    if route in (Route.PRESELECTION, Route.COMPETITIVE_DIALOGUE):
        defaults |= {"selection_criteria": "Ervaring met welzijnswerk in alle wijken.", "max_candidates": 2}
    if route == Route.GRANT_ROUND:
        defaults |= {"grant_ceiling": Decimal("10000000"), "term_years": 2, "option_count": 0}
    return services.create_commissioning(user, municipality=municipality, **(defaults | fields))


def complete(c, user, *, budget=Decimal("1000000"), now=None):
    """Lots, criteria with anchors and every deadline the route needs, in the future."""
    now = now or timezone.now()
    services.save_lot(c, user, title="Perceel 1", annual_budget=budget)
    services.add_criterion(c, user, title="Plan van aanpak", weight=60, anchors=anchors(c.scale))
    services.add_criterion(c, user, title="Samenwerking", weight=40, anchors=anchors(c.scale))
    for i, kind in enumerate(rules.REQUIRED_DEADLINES[c.route], start=1):
        services.set_deadline(c, user, kind, now + timedelta(days=10 * i))
    return c


def published(municipality=None, route=Route.OPEN, user=None, **fields):
    municipality = municipality if municipality is not None else MunicipalityFactory()
    user = user or officer(municipality)
    c = complete(draft(municipality, user, route=route, **fields), user)
    services.publish(c, user)
    c.refresh_from_db()
    return c


def after(c, kind) -> timezone.datetime:
    return c.deadlines.get(kind=kind).at + timedelta(minutes=1)


def advance_to(c, user, phase):
    """Walk the route's happy path up to `phase`, with the server clock just past each closing deadline."""
    for step in rules.phases_of(c.route)[rules.phases_of(c.route).index(c.phase) + 1 :]:
        closing = rules.CLOSES_AT.get(c.phase)
        now = after(c, closing) if closing else timezone.now()
        if step == Phase.DIALOGUE_2:
            services.select_for_phase_2(c, user, list(c.dialogue_participants.all())[: c.max_candidates])
        services.transition(c, user, step, now=now)
        c.refresh_from_db()
        if step == phase:
            return c
    return c
