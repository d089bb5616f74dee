"""Builders of commissionings in a given state, through the services (so that tests exercise the real write path)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import Role
from core.testing import MunicipalityFactory, user_with_role
from landscape.models import Organisation
from tenders import regime, rules, services
from tenders.models import CPVCode, Deadline, Phase, Route, ServiceCategory

K = Deadline.Kind
HOUR = timedelta(hours=1)


# A grant round that satisfies tenders.grant_rules: its substance recorded (pointing to a grant), a ceiling per year
# announced before the period with its distribution rule, and the subsidy regulation it rests on.
GRANT_ROUND_DEFAULTS = {
    "grant_ceiling": Decimal("10000000"),
    "term_years": 2,
    "option_count": 0,
    "grant_multi_year": True,
    "grant_enforceable_obligations": False,
    "grant_fixed_budget_for_defined_services": False,
    "grant_acquires_services": False,
    "grant_assessment_reasons": "Subsidie voor activiteiten van bewoners; de gemeente neemt geen diensten af.",
    "grant_regulation": "Subsidieregeling Sociale Basis 2027",
    "grant_regulation_reference": "Gemeenteblad 2026, 123456",
    "grant_ceiling_announced_on": timezone.localdate() - timedelta(days=1),
}


def officer(municipality):
    return user_with_role(Role.PROCUREMENT_OFFICER, municipality)


def anchors(scale=rules.DEFAULT_SCALE):
    return {s: f"Wat een inschrijving laat zien voor {s} punten." for s in scale}


SOCIAL_CPV = "85310000-5"  # Social work services: Annex XIV, the light regime
GENERAL_CPV = "79000000-4"  # Business services: not in Annex XIV


def cpv(code: str) -> CPVCode:
    return CPVCode.objects.get(code=code)


# What every route announces before publication (tenders.selection_rules.method_errors): complete() adds it to a
# commissioning created without the factory.
ANNOUNCED = {
    "tie_break": "Bij gelijke score beslist de hoogste score op het eerste criterium, daarna loting bij de notaris.",
    "lot_reasons": "Eén perceel: de opdracht vraagt om samenhang tussen alle onderdelen.",
}


def draft(municipality=None, user=None, route=Route.OPEN, **fields):
    """A draft through the services. Procurement routes get a social main CPV code unless `main_cpv` is given;
    `service_category=ServiceCategory.GENERAL` is accepted as a shorthand for a general-services main CPV code."""
    municipality = municipality if municipality is not None else MunicipalityFactory()
    user = user or officer(municipality)
    category = fields.pop("service_category", ServiceCategory.SOCIAL)
    defaults = {
        "title": "Samen Opgroeien",
        "goals": "Kinderen en jongeren groeien veilig op in hun wijk.",
        "route": route,
        "term_years": 5,
        "option_count": 4,
        "option_years": 1,
        **ANNOUNCED,
        # The factories' periods (10 days apart) are shorter than the European minimum: fine under the light regime
        # the default lots fall in, with reasons (proportionality, Aw 1.10).
        "short_period_reasons": "Eenvoudige opdracht voor bekende aanbieders in de regio.",
    }
    if route != Route.GRANT_ROUND:
        defaults["main_cpv"] = cpv(SOCIAL_CPV if category == ServiceCategory.SOCIAL else GENERAL_CPV)
    if route in (Route.PRESELECTION, Route.COMPETITIVE_DIALOGUE):
        defaults |= {
            "selection_criteria": "Ervaring met welzijnswerk in alle wijken.",
            "selection_scoring": "Eén score van 0 tot 100 op de gepubliceerde selectiecriteria.",
            "max_candidates": 2,
        }
    if route == Route.COMPETITIVE_DIALOGUE:
        defaults |= {
            "max_candidates": 3,
            "max_dialogue_participants": 2,
            "dialogue_reduction": True,
            "dialogue_reduction_method": "De gunningscriteria worden toegepast op de oplossingen uit fase 1.",
            "procedure_grounds": "De opdracht vraagt om innovatieve oplossingen die vooraf niet te omschrijven zijn.",
        }
    if route == Route.GRANT_ROUND:
        defaults |= GRANT_ROUND_DEFAULTS | {"contract_start": timezone.localdate() + timedelta(days=365)}
    return services.create_commissioning(user, municipality=municipality, **(defaults | fields))


def complete(c, user, *, budget=Decimal("1000000"), now=None):
    """Lots, criteria with anchors and every deadline the route needs, in the future; under the European and light
    regimes also the contract notice at `now`: dispatched, its receipt confirmed and published on TED (Directive
    2014/24/EU art. 52(1); see dispatch_notice)."""
    now = now or timezone.now()
    if missing := {field: text for field, text in ANNOUNCED.items() if not getattr(c, field)}:
        c = services.update_commissioning(c, user, **missing)
    services.save_lot(c, user, title="Perceel 1", annual_budget=budget)
    services.add_criterion(c, user, title="Plan van aanpak", weight=60, anchors=anchors(c.scale))
    services.add_criterion(c, user, title="Samenwerking", weight=40, anchors=anchors(c.scale))
    for i, kind in enumerate(rules.REQUIRED_DEADLINES[c.route], start=1):
        services.set_deadline(c, user, kind, now + timedelta(days=10 * i))
    dispatch_notice(c, user, now=now)
    return c


NOTICE_FIELDS = [
    "tenderned_notice_id",
    "ted_notice_id",
    "notice_dispatched_at",
    "notice_receipt_confirmed_at",
    "notice_published_at",
]


def dispatch_notice(c, user, *, now=None, receipt=True, ted_published=True):
    """Record the contract notice at `now` when the regime on that day requires a notice: its dispatch and, unless
    left out with `receipt=False` / `ted_published=False`, the confirmation of its receipt and its publication on TED
    at the same moment, so that the commissioning may be published at once (Directive 2014/24/EU art. 52(1))."""
    now = now or timezone.now()
    if regime.notice_required(rules.check_threshold(c, timezone.localdate(now))):
        services.record_notice(
            c,
            user,
            tenderned_id="412345",
            dispatched_at=now,
            receipt_confirmed_at=now if receipt else None,
            ted_published_at=now if ted_published else None,
            now=now,
        )
        c.refresh_from_db(fields=NOTICE_FIELDS)
    return c


def published(municipality=None, route=Route.OPEN, user=None, **fields):
    municipality = municipality if municipality is not None else MunicipalityFactory()
    user = user or officer(municipality)
    c = complete(draft(municipality, user, route=route, **fields), user)
    services.publish(c, user)
    c.refresh_from_db()
    return c


def provider(municipality, name="Wijkkracht", username=None):
    """A provider representative and the landscape organisation they speak for."""
    org = Organisation.objects.create(municipality=municipality, name=f"Stichting {name}", kind="large_welfare")
    names = {"username": username} if username else {}
    user = user_with_role(Role.PROVIDER_REPRESENTATIVE, municipality, organisation=org, **names)
    return user, org


def candidate(c, name="Wijkkracht", *, admit=None, user=None, consortium_name="", partners=()):
    """A candidate as the opening of its request to participate creates it (ADR 0011): received an hour before the
    deadline for requests, registered just after it, led by the landscape organisation "Stichting <name>" (with
    `partners` as confirmed consortium members); with `admit` True/False also decided by `user` (an officer)."""
    rep, org = provider(c.owner if c.municipality_id else c.municipalities()[0], name)
    members = [{"name": org.name, "ring": 0}] + [{"name": p, "ring": 1} for p in partners]
    applied = services.register_candidate(
        c,
        user or rep,
        display_name=consortium_name or org.name,
        members=members,
        organisation=org,
        applied_by=rep,
        applied_at=c.deadlines.get(kind=K.REQUESTS).at - HOUR,
        now=after(c, K.REQUESTS),
    )
    if admit is not None:
        # An admitted candidate scores 70; a rejected one fails a requirement and has no score (does not qualify).
        reasons = "" if admit else "Voldoet niet aan de selectie-eisen."
        now = after(c, K.REQUESTS)
        score = 70 if admit else None
        return services.decide_candidate(applied, user, admit=admit, reasons=reasons, score=score, now=now)
    return applied


def after(c, kind) -> timezone.datetime:
    return c.deadlines.get(kind=kind).at + timedelta(minutes=1)


def advance_to(c, user, phase):
    """Walk the route's happy path up to `phase`, with the server clock just past each closing deadline."""
    for step in rules.phases_of(c.route)[rules.phases_of(c.route).index(c.phase) + 1 :]:
        closing = rules.CLOSES_AT.get(c.phase)
        now = after(c, closing) if closing else timezone.now()
        if step == Phase.DIALOGUE_2:
            select_best_solutions(c, user)
        services.transition(c, user, step, now=now)
        c.refresh_from_db()
        if step == phase:
            return c
    return c


def select_best_solutions(c, user):
    """After dialogue phase 1: the participants' solutions score 90, 89, ... in the order they applied; the best
    go on up to the maximum, the others are told why."""
    admitted = list(c.candidates.filter(status="admitted").order_by("applied_at", "id"))
    keep = admitted[: c.max_dialogue_participants or len(admitted)]
    scores = {p.pk: 90 - i for i, p in enumerate(admitted)}
    reasons = {p.pk: "Uw oplossing scoort lager op de gunningscriteria." for p in admitted[len(keep) :]}
    services.select_for_phase_2(c, user, keep, scores=scores, reasons=reasons)
