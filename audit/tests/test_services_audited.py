"""Issue #9: every public function of every app's services (a services.py module or a services/ package) either
writes with an audit event in the same call, or writes nothing at all.

The functions are discovered by introspection, so a new service cannot escape: the test fails until it is given a
recipe below (how to call it with factories) or is declared read-only/exempt with a reason. Each recipe's setup runs
first; only the call itself is watched: when it sends an INSERT, UPDATE or DELETE to a table outside the audit trail
and appends no audit event, the test fails. Recipes are keyed "<app>.<function>", so they survive a module being
split into a package (tenders/services.py -> tenders/services/).
"""

import datetime
import importlib
import inspect
import pkgutil
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
NOT_AUDITED_TABLES = ("audit_", "django_session", "django_cache")  # the trail itself; sessions and cache

# Functions that never write (checks, reads, pure helpers); a recipe, if any, also proves they write nothing.
READ_ONLY = {
    "audit.compute_hash",
    "audit.diff",
    "audit.municipality_codes",
    "audit.verify_chain",
    "landscape.check_records",
    "landscape.find_organisation",
    "tenders.applications_open",
    "tenders.may_cancel",
    "tenders.publish_errors",
    "tenders.questions_open",
    "tenders.transition_errors",
    "publication.notify_subscribers",  # sends mail, writes nothing
    "publication.send_confirmation",  # sends mail, writes nothing
    "publication.single_line",
}
# Writes without an event of their own, on purpose; the reason is the review.
EXEMPT = {
    "audit.record": "writes the audit event itself",
    "core.ensure_municipalities": "bulk helper of the synthetic generator, which records one event for the run",
}


def _project_apps():
    base = str(settings.BASE_DIR)
    return [a for a in apps.get_app_configs() if a.path.startswith(base) and ".venv" not in a.path]


def discover():
    """{"<app>.<function>": function} for every public function defined in an app's services module or package."""
    found = {}
    for app in _project_apps():
        try:
            root = importlib.import_module(f"{app.name}.services")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.services":
                raise
            continue
        modules = [root]
        if hasattr(root, "__path__"):  # a package: every submodule
            modules += [
                importlib.import_module(m.name) for m in pkgutil.walk_packages(root.__path__, root.__name__ + ".")
            ]
        for module in modules:
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if not name.startswith("_") and fn.__module__ == module.__name__:
                    found[f"{app.label}.{name}"] = fn
    return found


# --- recipes: setup(w) returns the call ------------------------------------------------------------------------


def _world():
    from core.models import Role
    from core.testing import MunicipalityFactory, user_with_role

    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    return SimpleNamespace(
        m=m,
        officer=user_with_role(Role.PROCUREMENT_OFFICER, m, username="inkoper"),
        advisor=user_with_role(Role.POLICY_ADVISOR, m, username="beleid"),
    )


def _draft(w, **kw):
    from tenders.tests.factories import draft

    return draft(w.m, w.officer, **kw)


def _published(w, **kw):
    from tenders.tests.factories import published

    return published(w.m, user=w.officer, **kw)


def _org(w, name="Buurthuis De Linde"):
    from landscape import services

    return services.upsert_organisation(w.m, name=name, kind="volunteer_only")


def _scenario(w):
    from continuity import services

    return services.create_scenario(municipality=w.m, name="Aanbesteding", kind="tender")


def _dialogue(w):
    from tenders.models import Phase, Route
    from tenders.tests.factories import advance_to, candidate

    c = _published(w, route=Route.COMPETITIVE_DIALOGUE)
    a = candidate(c, "A", admit=True, user=w.officer, consortium_name="Consortium A")
    candidate(c, "B", admit=True, user=w.officer, consortium_name="Consortium B")
    advance_to(c, w.officer, Phase.DIALOGUE_1)
    return c, a


def _without_sealed_requests(call):
    """Run `call` as tenders alone would (no stage receives requests sealed, ADR 0011): the free apply route."""
    from tenders import intake

    with intake.providers.replaced():
        return call()


def _question(w):
    from tenders import services
    from tenders.tests.factories import provider

    c = _published(w)
    rep, _org = provider(w.m)
    return c, services.ask_question(c, rep, "Mag een consortium inschrijven?")


def r_core(name):
    from core import services

    def recipe(w):
        from core.testing import UserFactory

        if name == "assign_role":
            user = UserFactory()
            return lambda: services.assign_role(user, "auditor", municipality=w.m, actor=w.officer)
        if name == "confirm_totp_device":
            user = UserFactory()
            return lambda: services.confirm_totp_device(user, "ab" * 20, actor=user)
        if name == "ensure_totp_device":
            user = UserFactory()
            return lambda: services.ensure_totp_device(user)
        if name == "set_password":
            return lambda: services.set_password(w.advisor, "een nieuw wachtwoord 123")
        if name == "upsert_municipality":
            return lambda: services.upsert_municipality("GM0392", name="Haarlem")
        if name == "upsert_purchasing_organisation":
            return lambda: services.upsert_purchasing_organisation("Inkoop Regio", municipalities=[w.m])
        if name == "upsert_user":
            return lambda: services.upsert_user("nieuw", first_name="Nieuw")
        if name == "ensure_municipalities":
            return lambda: services.ensure_municipalities([("GM0392", "Haarlem")])
        raise KeyError(name)

    return recipe


def r_landscape(name):
    from landscape import services

    def recipe(w):
        from landscape.imports.records import DistrictRecord, ImportData

        if name == "upsert_district":
            return lambda: services.upsert_district(w.m, cbs_code="WK054601", name="Centrum")
        if name == "upsert_organisation":
            return lambda: services.upsert_organisation(w.m, name="Stichting Buurtkracht", kind="volunteer_only")
        if name == "save_grant_mapping":
            return lambda: services.save_grant_mapping(w.m, columns={"Ontvanger": "applicant"}, amount="granted")
        if name == "upsert_activity":
            org = _org(w)
            return lambda: services.upsert_activity(org, title="Taalcafé")
        if name == "upsert_funding":
            org = _org(w)
            return lambda: services.upsert_funding(
                org, year=2026, kind="municipal_grant", source_name="Gemeente Leiden", amount_granted=Decimal("1000")
            )
        if name == "find_organisation":
            _org(w)
            return lambda: services.find_organisation(w.m, name="Buurthuis De Linde")
        data = ImportData(districts=[DistrictRecord("wijken", 2, "WK054601", "Centrum")])
        if name == "check_records":
            return lambda: services.check_records(w.m, data)
        if name == "import_records":
            return lambda: services.import_records(w.m, data, actor=w.advisor)
        raise KeyError(name)

    return recipe


def r_continuity(name):
    from continuity import services

    def recipe(w):
        from continuity import selectors
        from landscape import services as landscape_services

        org = _org(w)
        activity = landscape_services.upsert_activity(org, title="Taalcafé", target_groups=["elderly"])
        landscape_services.upsert_funding(
            org, year=2026, kind="municipal_grant", source_name="Gemeente Leiden", amount_granted=Decimal("1000")
        )
        if name == "create_scenario":
            return lambda: services.create_scenario(municipality=w.m, name="Subsidie", kind="tender")
        s = _scenario(w)
        if name == "update_scenario":
            return lambda: services.update_scenario(s, name="Aanbesteding 2027")
        if name == "set_moves":
            return lambda: services.set_moves(s, [(activity.pk, "ends", "", "")])
        if name == "clear_moves":
            services.set_moves(s, [(activity.pk, "ends", "", "")])
            return lambda: services.clear_moves(s, [activity.pk])
        if name == "store_impact":
            return lambda: services.store_impact(s, selectors.compute_impact(s))
        if name == "set_published":
            services.store_impact(s, selectors.compute_impact(s))
            return lambda: services.set_published(s, True)
        if name == "delete_scenario":
            return lambda: services.delete_scenario(s)
        if name == "save_transition_plan":
            return lambda: services.save_transition_plan(
                s, name="Plan", budget=Decimal("1000"), result={"status": "optimal"}
            )
        if name == "moves_from_lots":
            from tenders import services as tender_services

            c = _draft(w)
            tender_services.save_lot(
                c,
                w.officer,
                title="Ouderen",
                annual_budget=Decimal("1000"),
                activities=[activity],
            )
            return lambda: services.moves_from_lots(s, c)
        if name == "moves_from_bids":
            from django.utils import timezone

            from bids.models import EconomicOperator, Opening, Submission
            from tenders import services as tender_services

            c = _draft(w)
            lot = tender_services.save_lot(
                c, w.officer, title="Ouderen", annual_budget=Decimal("1000"), activities=[activity]
            )
            lead = EconomicOperator.objects.create(
                name="Lead", kind="welfare", kvk_number="12121212", street="S 1", postcode="2311 CS", city="L",
                contact_name="C", contact_email="c@example.org",
            )  # fmt: skip
            now = timezone.now()
            bid = Submission.objects.create(commissioning=c, lot=lot, kind="bid", lead=lead, created_at=now)
            Opening.objects.create(commissioning=c, kind="bid", started_at=now, opened_at=now)
            return lambda: services.moves_from_bids(s, c, {lot.number: bid})
        if name == "set_lot_budgets":
            return lambda: services.set_lot_budgets(s, {"Ouderen": Decimal("1000")})
        raise KeyError(name)

    return recipe


def r_tenders(name):
    from tenders import services

    def recipe(w):  # noqa: PLR0911, PLR0912 (one branch per service)
        from tenders import rules
        from tenders.models import Deadline, LibraryCriterion, Phase, Route
        from tenders.tests.factories import advance_to, after, anchors, candidate, complete, provider

        if name == "create_commissioning":
            return lambda: services.create_commissioning(
                w.officer, municipality=w.m, title="Samen Meedoen", goals="Meedoen", route="open"
            )
        if name in ("answer_question",):
            _c, q = _question(w)
            return lambda: services.answer_question(q, w.officer, answer="Ja.")
        if name == "publish_clarification":
            c, q = _question(w)
            services.answer_question(q, w.officer, answer="Ja.")
            return lambda: services.publish_clarification(c, w.officer, introduction="Eerste nota")
        if name == "ask_question":
            c = _published(w)
            rep, _org = provider(w.m)
            return lambda: services.ask_question(c, rep, "Hoe groot is het budget?")
        if name in ("cancel", "rectify", "add_info_session", "questions_open", "may_cancel"):
            c = _published(w)
            return {
                "cancel": lambda: services.cancel(c, w.officer, reason="Budget vervalt."),
                "rectify": lambda: services.rectify(
                    c, w.officer, explanation="Doelen verduidelijkt", fields={"goals": "Nieuwe doelen"}
                ),
                "add_info_session": lambda: services.add_info_session(
                    c, w.officer, title="Spotlight", held_at=timezone.now(), summary="Uitleg"
                ),
                "questions_open": lambda: services.questions_open(c),
                "may_cancel": lambda: services.may_cancel(c),
            }[name]
        if name == "transition":
            c = _published(w)
            nxt = rules.phases_of(c.route)[rules.phases_of(c.route).index(c.phase) + 1]
            closing = rules.CLOSES_AT.get(c.phase)
            return lambda: services.transition(c, w.officer, nxt, now=after(c, closing) if closing else None)
        if name in ("apply_as_candidate", "decide_candidate", "applications_open", "register_candidate"):
            c = _published(w, route=Route.PRESELECTION)
            if name == "applications_open":
                return lambda: services.applications_open(c)
            if name == "register_candidate":
                at = c.deadlines.get(kind=Deadline.Kind.REQUESTS).at
                return lambda: services.register_candidate(
                    c,
                    w.officer,
                    display_name="Samen Sterk",
                    members=[{"name": "Stichting A", "ring": 0}],
                    applied_at=at - datetime.timedelta(hours=1),
                    now=after(c, Deadline.Kind.REQUESTS),
                )
            if name == "decide_candidate":
                applied = candidate(c, "A")
                now = after(c, Deadline.Kind.REQUESTS)
                return lambda: services.decide_candidate(applied, w.officer, admit=True, score=70, now=now)
            rep, org = provider(w.m, "B")
            now = c.deadlines.get(kind=Deadline.Kind.REQUESTS).at - datetime.timedelta(hours=1)
            return lambda: _without_sealed_requests(
                lambda: services.apply_as_candidate(c, rep, organisation=org, now=now)
            )
        if name in ("select_for_phase_2", "record_dialogue_session"):
            c, a = _dialogue(w)
            if name == "record_dialogue_session":
                return lambda: services.record_dialogue_session(a, w.officer, held_at=timezone.now(), minutes="Notulen")
            advance_to(c, w.officer, Phase.DIALOGUE_SELECTION)
            admitted = list(c.candidates.filter(status="admitted"))[: c.max_dialogue_participants]
            return lambda: services.select_for_phase_2(c, w.officer, admitted)
        if name == "save_policy":
            return lambda: services.save_policy(w.m, w.officer, minimum_extension_days=14)
        c = _draft(w)
        if name == "record_notice":
            return lambda: services.record_notice(c, w.officer, tenderned_id="412345", dispatched_at=timezone.now())
        if name == "update_commissioning":
            return lambda: services.update_commissioning(c, w.officer, title="Samen Opgroeien 2027")
        if name == "save_lot":
            return lambda: services.save_lot(c, w.officer, title="Perceel 1", annual_budget=Decimal("1000"))
        if name == "delete_lot":
            lot = services.save_lot(c, w.officer, title="Perceel 1", annual_budget=Decimal("1000"))
            return lambda: services.delete_lot(lot, w.officer)
        if name in ("add_kpi", "delete_kpi"):
            lot = services.save_lot(c, w.officer, title="Perceel 1", annual_budget=Decimal("1000"))
            kpi = {"name": "Bereik", "measurement": "Deelnemers per jaar", "target_value": "120", "unit": "deelnemers"}
            if name == "add_kpi":
                return lambda: services.add_kpi(lot, w.officer, frequency="yearly", **kpi)
            made = services.add_kpi(lot, w.officer, frequency="yearly", **kpi)
            return lambda: services.delete_kpi(made, w.officer)
        if name == "add_reserved_line":
            return lambda: services.add_reserved_line(
                c, w.officer, kind="transition", description="Transitiebudget", annual_amount=Decimal("1000")
            )
        if name == "add_criterion":
            return lambda: services.add_criterion(c, w.officer, title="Plan", weight=60, anchors=anchors(c.scale))
        if name == "add_library_criterion":
            item = LibraryCriterion.objects.get(code="subcontracting-small-organisations")
            return lambda: services.add_library_criterion(c, w.officer, item, 40)
        if name in ("set_anchor", "delete_criterion", "set_criterion_minimum"):
            criterion = services.add_criterion(c, w.officer, title="Plan", weight=60, anchors=anchors(c.scale))
            if name == "set_criterion_minimum":
                return lambda: services.set_criterion_minimum(criterion, w.officer, sorted(c.scale)[1])
            if name == "delete_criterion":
                return lambda: services.delete_criterion(criterion, w.officer)
            return lambda: services.set_anchor(criterion, w.officer, c.scale[0], "Geen plan.")
        if name == "set_deadline":
            at = timezone.now() + datetime.timedelta(days=60)
            return lambda: services.set_deadline(c, w.officer, rules.REQUIRED_DEADLINES[c.route][0], at)
        if name in ("publish", "publish_errors", "transition_errors"):
            complete(c, w.officer)
            return {
                "publish": lambda: services.publish(c, w.officer),
                "publish_errors": lambda: services.publish_errors(c),
                "transition_errors": lambda: services.transition_errors(c, Phase.TENDERING),
            }[name]
        raise KeyError(name)

    return recipe


def r_publication(name):
    from publication import services

    def recipe(w):
        from tenders.tests.factories import provider

        c = _published(w)
        rep, _org = provider(w.m)
        if name == "commissioning_changed":
            return lambda: services.commissioning_changed(c, "tenderUpdate", "Gewijzigd")
        if name == "notify_subscribers":
            services.confirm_subscription(services.subscribe(c, rep, "lid@example.org").confirm_token)
            return lambda: services.notify_subscribers(c.pk, "Gewijzigd")
        if name == "subscribe":
            return lambda: services.subscribe(c, rep, "lid@example.org")
        if name == "unsubscribe":
            token = services.subscribe(c, rep, "lid@example.org").token
            return lambda: services.unsubscribe(token)
        if name == "confirm_subscription":
            token = services.subscribe(c, rep, "lid@example.org").confirm_token
            return lambda: services.confirm_subscription(token)
        if name == "send_confirmation":
            pk = services.subscribe(c, rep, "lid@example.org").pk
            return lambda: services.send_confirmation(pk)
        if name == "single_line":
            return lambda: services.single_line("Buurtwerk\nLeiden")
        raise KeyError(name)

    return recipe


def r_bids_operators_consortium(name):
    """bids (B2): operators, matches, consortia, commitments, declarations."""
    from bids import services
    from bids.models import OperatorMatch
    from bids.tests import factories_b2 as f

    def recipe(w):
        from core.models import Role
        from core.testing import user_with_role

        if name == "register_operator":
            return lambda: services.register_operator(password="een lang wachtwoord 2026", **f.operator_values())
        if name in ("confirm_operator_email", "resend_confirmation"):
            operator, user = f.register("Nieuw", confirmed=False)
            raw, digest = "token-voor-de-test", f.token_digest("token-voor-de-test")
            operator.tokens.update(token_sha256=digest)
            if name == "resend_confirmation":
                return lambda: services.resend_confirmation(operator, user)
            return lambda: services.confirm_operator_email(raw)
        if name in ("invite_colleague", "accept_invitation"):
            operator, user = f.register("Buurtkracht")
            token = services.invite_colleague(operator, user, "collega@example.org")
            token.token_sha256 = f.token_digest("uitnodiging")
            token.save()
            if name == "invite_colleague":
                return lambda: services.invite_colleague(operator, user, "tweede@example.org")
            return lambda: services.accept_invitation("uitnodiging", password="een lang wachtwoord 2026")
        if name in ("propose_matches", "decide_match"):
            operator, user = f.register("De Linde")
            _org(w, name=operator.name)
            if name == "propose_matches":
                return lambda: services.propose_matches(operator, user)
            services.propose_matches(operator, user)
            match = OperatorMatch.objects.get(operator=operator)
            return lambda: services.decide_match(match, user_with_role(Role.POLICY_ADVISOR, w.m), confirm=True)
        s, lead_user = f.submission(_published(w))
        if name == "ensure_lead_participation":
            s.participations.all().delete()
            return lambda: services.ensure_lead_participation(s, lead_user)
        if name == "add_participation":
            other, _user = f.register("Buurtmoeders")
            return lambda: services.add_participation(s, lead_user, operator=other, ring=2)
        if name == "set_consortium_name":
            return lambda: services.set_consortium_name(s, lead_user, "Samen Sterk")
        p, p_user = f.invited(s, lead_user, "Buurtmoeders", confirm=None)
        if name == "decide_participation":
            return lambda: services.decide_participation(p, p_user, confirm=True)
        if name == "save_commitment":
            return lambda: f.commit(p, lead_user)
        if name == "delete_commitment":
            c = f.commit(p, lead_user)
            return lambda: services.delete_commitment(c, lead_user)
        if name == "declare":
            return lambda: services.declare(p, p_user, f.no_exclusion_grounds())
        if name == "set_reliance":
            return lambda: services.set_reliance(p, p_user, [s.participations.get(ring=0)])
        raise KeyError(name)

    return recipe


def r_audit(name):
    from audit import services

    def recipe(w):
        return {
            "compute_hash": lambda: services.compute_hash("0" * 64, AuditEvent(seq=1, timestamp=timezone.now())),
            "diff": lambda: services.diff({"a": 1}, {"a": 2}),
            "municipality_codes": lambda: services.municipality_codes([w.m]),
            "verify_chain": lambda: services.verify_chain(),
            "record": lambda: services.record("test.event"),
        }[name]

    return recipe


def r_bids_opening(name):
    from bids import services
    from bids.models import Opener
    from bids.tests import factories_opening as f

    def recipe(w):
        c = f.commissioning_with_key(w.m, user=w.officer)
        version = f.seal(c, f.operator("Wijkkracht"))
        if name == "appoint_opener":
            return lambda: services.appoint_opener(c, w.officer, f.municipal_user(c))
        first = f.opener(c)
        if name == "remove_opener":
            return lambda: services.remove_opener(Opener.objects.get(user=first), w.officer)
        if name == "confirm_opening":
            second = f.opener(c)
            after = f.deadline(c) + datetime.timedelta(minutes=1)
            services.confirm_opening(c, first, "bid", f.token(first), now=after)
            return lambda: services.confirm_opening(c, second, "bid", f.token(second), now=after)
        if name == "record_read":
            f.open_submissions(c, first, f.opener(c))
            return lambda: services.record_read(version, w.officer, "answers")
        raise KeyError(name)

    return recipe


def r_bids(name):
    """bids has a recipe factory per topic (module of bids.services): drafts, keys and submission keep theirs beside
    their tests (bids/tests/audit_recipes_*.py, RECIPES); the opening's and the operators' are above."""
    import importlib
    import pkgutil

    import bids.tests
    from bids.services import opening

    recipes = {}
    for module in pkgutil.iter_modules(bids.tests.__path__):
        if module.name.startswith("audit_recipes"):
            recipes |= importlib.import_module(f"bids.tests.{module.name}").RECIPES
    if name in recipes:
        return recipes[name]
    return r_bids_opening(name) if hasattr(opening, name) else r_bids_operators_consortium(name)


def r_evaluation(name):
    from evaluation import services
    from evaluation.tests.factories import REASON, declare_all, score_all, world

    def recipe(w):
        scoring = {"freeze_criteria", "appoint_committee", "declare_interests", "save_score", "submit_scores"}
        if name == "take_grant_decisions":
            from decimal import Decimal

            from evaluation.tests.grant_factories import grant_world

            g = grant_world((75, 50))
            asked = {b.pk: Decimal(40000) for b in g.bids}
            return lambda: services.take_grant_decisions(g.c, actor=g.officer, requested=asked)
        if name not in scoring | {"record_consensus"}:
            return _award_recipe(name)
        e = world()
        if name == "freeze_criteria":
            e.snapshot.delete()
            return lambda: services.freeze_criteria(e.c, actor=e.officer)
        if name == "appoint_committee":
            e.committee.members.all().delete()
            e.committee.delete()
            return lambda: services.appoint_committee(e.lot, actor=e.officer, chair=e.chair, members=e.people)
        if name == "declare_interests":
            return lambda: services.declare_interests(e.member(e.people[0]), actor=e.people[0], has_conflict=False)
        declare_all(e)
        first = e.member(e.people[0])
        if name == "save_score":
            return lambda: services.save_score(
                first, actor=e.people[0], submission=e.bids[0], criterion_key=e.keys[0], score=50, reason=REASON
            )
        if name == "submit_scores":
            for b in e.bids:
                for key in e.keys:
                    services.save_score(first, actor=e.people[0], submission=b, criterion_key=key, score=50,
                                        reason=REASON)  # fmt: skip
            return lambda: services.submit_scores(first, actor=e.people[0])
        if name == "record_consensus":
            score_all(e, {})
            return lambda: services.record_consensus(
                e.committee, actor=e.chair, submission=e.bids[0], criterion_key=e.keys[0], score=50, reason=REASON
            )
        raise KeyError(name)

    return recipe


def _award_recipe(name):  # noqa: PLR0911 (one branch per service)
    from evaluation import services
    from evaluation.tests.test_award import CHARACTERISTICS, ranked_world

    e = ranked_world()
    if name == "decide_award":
        return lambda: services.decide_award(e.lot, actor=e.officer, winner=e.bids[0], characteristics=CHARACTERISTICS)
    d = services.decide_award(e.lot, actor=e.officer, winner=e.bids[0], characteristics=CHARACTERISTICS)
    calls = {
        "withdraw_award": lambda: services.withdraw_award(d, actor=e.officer, reason="Fout."),
        "request_evidence": lambda: services.request_evidence(d, actor=e.officer),
        "record_evidence": lambda: services.record_evidence(d, actor=e.officer),
        "register_proceedings": lambda: services.register_proceedings(d, actor=e.officer, claimant="X"),
        "request_debriefing": lambda: services.request_debriefing(
            d, actor=e.officer, submission=e.bids[1], question="Waarom?"
        ),
    }
    if name in calls:
        return calls[name]
    if name == "record_judgment":
        case = services.register_proceedings(d, actor=e.officer, claimant="X")
        return lambda: services.record_judgment(case, actor=e.officer, judgment="Afgewezen.")
    if name == "answer_debriefing":
        request = services.request_debriefing(d, actor=e.officer, submission=e.bids[1], question="Waarom?")
        return lambda: services.answer_debriefing(request, actor=e.officer, answer="Zie de ankers.")
    services.record_evidence(d, actor=e.officer)
    if name == "make_definitive":
        return lambda: services.make_definitive(d, actor=e.officer, now=d.standstill_ends_at)
    raise KeyError(name)


def r_contracts(name):
    def recipe(w):
        from contracts import services
        from evaluation import services as evaluation
        from evaluation.models import AwardDecision
        from evaluation.tests.test_award import CHARACTERISTICS, ranked_world

        e = ranked_world()
        d = evaluation.decide_award(e.lot, actor=e.officer, winner=e.bids[0], characteristics=CHARACTERISTICS)
        AwardDecision.objects.filter(pk=d.pk).update(definitive_at=d.standstill_ends_at)  # as make_definitive does
        if name == "create_from_award":
            return lambda: services.create_from_award(d, actor=e.officer)
        if name == "generate_report":
            return lambda: services.generate_report(d, actor=e.officer)
        if name == "report_measurement":
            from bids.models import OperatorMember
            from contracts.models import Contract
            from core.testing import UserFactory

            contract = services.create_from_award(d, actor=e.officer)
            Contract.objects.filter(pk=contract.pk).update(contract_start=datetime.date(2027, 1, 1))
            kpi = contract.kpis.create(name="Bereik", measurement="Deelnemers", target_value=100, unit="mensen",
                                       frequency="yearly")  # fmt: skip
            contractor = UserFactory()
            OperatorMember.objects.create(operator=e.bids[0].lead, user=contractor, joined_at=timezone.now())
            moment = datetime.datetime(2028, 1, 5, 12, tzinfo=datetime.UTC)
            return lambda: services.report_measurement(kpi, actor=contractor, period_start=datetime.date(2027, 1, 1),
                                                       value=Decimal("98"), now=moment)  # fmt: skip
        if name in ("report_payment", "answer_payment"):
            from bids.models import OperatorMember
            from contracts.models import Contract, ContractCommitment
            from core.testing import UserFactory

            contract = services.create_from_award(d, actor=e.officer)
            Contract.objects.filter(pk=contract.pk).update(contract_start=datetime.date(2027, 1, 1))
            small = e.bids[1].lead  # any other operator will do as the subcontractor
            commitment = ContractCommitment.objects.create(contract=contract, operator=small,
                                                           amount_per_year=Decimal("24000"), years=5)  # fmt: skip
            contractor, subcontractor = UserFactory(), UserFactory()
            OperatorMember.objects.create(operator=e.bids[0].lead, user=contractor, joined_at=timezone.now())
            OperatorMember.objects.create(operator=small, user=subcontractor, joined_at=timezone.now())
            moment = datetime.datetime(2028, 1, 5, 12, tzinfo=datetime.UTC)
            if name == "report_payment":
                return lambda: services.report_payment(commitment, actor=contractor, year=1, amount=Decimal("24000"),
                                                       now=moment)  # fmt: skip
            payment = services.report_payment(commitment, actor=contractor, year=1, amount=Decimal("20000"),
                                              now=moment)  # fmt: skip
            return lambda: services.answer_payment(payment, actor=subcontractor, agree=False, reason="Minder")
        raise KeyError(name)

    return recipe


RECIPE_FACTORIES = {
    "evaluation": r_evaluation,
    "contracts": r_contracts,
    "core": r_core,
    "landscape": r_landscape,
    "continuity": r_continuity,
    "tenders": r_tenders,
    "publication": r_publication,
    "audit": r_audit,
    "bids": r_bids,  # one recipe factory per topic of bids, chosen by the service's module
}


def _activity_scope_only(w):
    """An existing activity whose districts or target groups change, and nothing else."""
    from landscape import services

    org = _org(w)
    services.upsert_activity(org, title="Taalcafé", target_groups=["elderly"])
    return lambda: services.upsert_activity(org, title="Taalcafé", target_groups=["youth"])


# More than one call of a service, where a write path differs.
EXTRA_CASES = {"landscape.upsert_activity:target_groups_only": _activity_scope_only}

# Services whose call with factories is not written yet: they are still discovered and listed here on purpose.
NOT_CALLED = {}

SERVICES = discover()


def test_every_service_function_is_declared():
    undeclared = sorted(k for k in SERVICES if k.split(".")[0] not in RECIPE_FACTORIES and k not in NOT_CALLED)
    assert not undeclared, f"services without a recipe, read-only or exempt declaration: {undeclared}"
    assert len(SERVICES) > 40, sorted(SERVICES)


def _writes(queries) -> set[str]:
    tables = set()
    for q in queries:
        match = WRITE.match(q["sql"])
        if match and not match.group(1).lower().startswith(NOT_AUDITED_TABLES):
            tables.add(match.group(1))
    return tables


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(k for k in SERVICES if k not in NOT_CALLED) + sorted(EXTRA_CASES))
def test_service_writes_only_with_an_audit_event(key, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    app, name = key.split(".", 1)
    w = _world()
    try:
        call = EXTRA_CASES[key](w) if key in EXTRA_CASES else RECIPE_FACTORIES[app](name)(w)
    except KeyError:
        pytest.fail(f"{key} has no recipe: add one to audit/tests/test_services_audited.py (or declare it)")
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        call()
    written = _writes(captured.captured_queries)
    events = AuditEvent.objects.count() - before
    if key in READ_ONLY:
        assert not written, f"{key} is declared read-only but wrote to {sorted(written)}"
    elif key in EXEMPT:
        pass
    else:
        assert written, f"{key}: the recipe wrote nothing, so it proves nothing; fix the recipe"
        assert events > 0, f"{key} wrote to {sorted(written)} without an audit event"
