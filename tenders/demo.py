"""Demo commissionings, built through tenders.services like a procurement officer would:

- Leiden (GM0546): the published 3-lot commissioning "Samen Opgroeien", "Samen Meedoen", "Basiskracht" (seed 002):
  open procedure, quality only, fixed budgets per lot (the current grants of the activities each lot takes over),
  5 years + 4 × 1 year options; 2–3 KPIs per lot (tenders.demo_kpis).
- Haarlem (GM0392): the competitive dialogue "Gewoon in de Wijk" (seed 003), standing in its second dialogue phase
  with two selected consortia, a Spotlight info session, questions and two clarifications documents, a reserved
  budget for community self-organisations and a transition budget.

Both carry CPV codes of Annex XIV (the light regime) and a recorded contract notice: dispatched two days before they
were published here, its receipt confirmed and published on TED a day before (Directive 2014/24/EU art. 52(1)).

Past steps of the procedure are replayed with the dates on which they happened (relative to today), so that the
server-clock guards hold. Idempotent: a commissioning that already exists is left alone. Without the municipality
(core demo) or its landscape (landscape demo) the commissioning is skipped with a message.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.access import represented_organisation_ids
from core.demo import demo_user
from core.models import Municipality, Role
from landscape.models import Activity, District, Organisation, TargetGroup

from . import regime, rules, selectors, services
from .demo_kpis import LEIDEN_KPIS
from .models import Commissioning, CPVCode, Deadline, LibraryCriterion, Phase, ReservedBudgetLine, Route

K = Deadline.Kind
# CPV codes (Annex XIV of Directive 2014/24/EU: the light regime) and the fictional identifiers of their notices.
LEIDEN_CPV = ("85320000-8", ["85310000-5", "85312400-3"])
LEIDEN_LOT_CPV = {"Basiskracht": "85312320-8"}  # money advice: counselling; the other lots have the main code
HAARLEM_CPV = ("85310000-5", ["85312100-0", "85312300-2", "85320000-8"])
LEIDEN_TITLE = "Welzijn Leiden: Samen Opgroeien, Samen Meedoen, Basiskracht"
HAARLEM_TITLE = "Gewoon in de Wijk"

# Lot → the activities (by title, as in the landscape registry) and target groups it takes over.
LEIDEN_LOTS = [
    (
        "Samen Opgroeien",
        "Jeugd en gezin: kinderen en jongeren groeien veilig op, ouders en jonge mantelzorgers krijgen steun.",
        ["youth", "families", "young_informal_caregivers"],
    ),
    (
        "Samen Meedoen",
        "Participatie, ouderen en mantelzorg: ontmoeting, meedoen en ondersteuning van mantelzorgers.",
        ["elderly", "loneliness", "informal_caregivers", "disabilities"],
    ),
    (
        "Basiskracht",
        "Basisondersteuning: geldzorgen (een informatiepunt geldvragen in elke wijk), vrijwilligers, buren.",
        ["money_worries", "volunteers", "residents"],
    ),
]
LEIDEN_CRITERIA = [  # (library code or None, title, weight)
    ("continuity-volunteers-staff", None, 25),
    ("cooperation-district-teams", None, 20),
    ("prevention", None, 20),
    ("subcontracting-small-organisations", None, 15),
    (None, "Prestatieafspraken en effectrapportage", 20),
]
HAARLEM_CRITERIA = [
    ("subcontracting-small-organisations", None, 30),
    ("prevention", None, 25),
    ("cooperation-district-teams", None, 25),
    ("continuity-volunteers-staff", None, 20),
]
OWN_ANCHORS = {
    0: "Geen prestatieafspraken of rapportage.",
    25: "Alleen aantallen activiteiten en deelnemers.",
    50: "Meetbare doelen per perceel, jaarlijkse rapportage.",
    75: "Meetbare effecten per wijk, halfjaarlijkse effectrapportage, dashboards voor professionals.",
    100: "Als 75, en samen met inwoners en sociaal werkers bijgesteld, met openbare rapportage.",
}
HAARLEM_QUESTIONS = [
    (
        "Onderaanneming",
        "Hoe wordt geborgd dat kleine vrijwilligersorganisaties met betaalde krachten als onderaannemer meedoen, "
        "en voor hoe lang?",
        "Het gunningscriterium ‘Onderaanneming van kleine organisaties’ (30%) waardeert het aandeel van het "
        "budget dat naar de tweede en derde schil gaat en de looptijd van die contracten.",
    ),
    (
        "Budget",
        "Is het budget voor zelforganisaties onderdeel van de opdracht?",
        "Nee. Het gereserveerde budget van € 300.000 per jaar voor zelforganisaties valt buiten de opdracht en "
        "wordt als subsidie verstrekt.",
    ),
    (
        "Cofinanciering",
        "Fondsen betalen alleen mee als de gemeente ook betaalt. Hoe gaat de gemeente hiermee om?",
        "Het transitiebudget is bedoeld om tijdelijke gaten op te vangen, zodat cofinanciering niet wegvalt.",
    ),
]


def _noon(at):
    """12:00 Europe/Amsterdam on the local day of `at`: demo deadlines are stored at noon, and every later step of
    the replayed procedure is computed from these stored values, never from the hour at which the demo is loaded."""
    return timezone.localtime(at).replace(hour=12, minute=0, second=0, microsecond=0)


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _library(code):
    return LibraryCriterion.objects.get(code=code)


def _add_criteria(c, user, criteria):
    for code, title, weight in criteria:
        if code:
            services.add_library_criterion(c, user, _library(code), weight)
        else:
            services.add_criterion(c, user, title=title, weight=weight, anchors=OWN_ANCHORS)


def _grants(m, activities) -> Decimal:
    """The lot's fixed budget: today's municipal grants for the activities it takes over, rounded to € 10,000."""
    all_activities = list(Activity.objects.filter(organisation__municipality=m))
    per_activity = selectors.grants_per_activity([m], selectors.latest_grant_year([m]), all_activities)
    total = sum((per_activity[a.pk] for a in activities), Decimal("0"))
    return (total / 10_000).quantize(Decimal("1")) * 10_000


def _cpv(code):
    return CPVCode.objects.get(code=code)


def _cpv_fields(main, additional) -> dict:
    return {"main_cpv": _cpv(main), "additional_cpv": [_cpv(code) for code in additional]}


def _dispatch(c, officer, at, tenderned_id):
    """The contract notice went to TenderNed/TED two days before the publication here, the Publications Office
    confirmed its receipt within the hour and TED published it a day later, before the publication here (Directive
    art. 52(1))."""
    services.record_notice(
        c,
        officer,
        tenderned_id=tenderned_id,
        ted_id=f"{tenderned_id[:6]}-{at.year}",
        dispatched_at=at,
        receipt_confirmed_at=at + timedelta(minutes=40),
        ted_published_at=at + timedelta(days=1),
    )


def _regime(c) -> str:
    c.refresh_from_db()
    return str(rules.REGIME_LABELS[rules.check_threshold(c, regime.regime_date(c)).regime])


def _prerequisites(stdout, code, title):
    m = Municipality.objects.filter(cbs_code=code).first()
    if m is None:
        stdout.write(f"tenders: {code} is missing (load the core demo first); “{title}” skipped")
        return None
    if Commissioning.objects.filter(municipality=m, title=title).exists():
        stdout.write(f"tenders: “{title}” ({code}) already loaded")
        return None
    if not Activity.objects.filter(organisation__municipality=m).exists():
        stdout.write(f"tenders: {code} has no landscape (load the landscape demo first); “{title}” skipped")
        return None
    return m


@transaction.atomic
def load_leiden(stdout):
    m = _prerequisites(stdout, "GM0546", LEIDEN_TITLE)
    if m is None:
        return None
    officer = _user("leiden.inkoop")
    now = timezone.now()
    c = services.create_commissioning(
        officer,
        municipality=m,
        title=LEIDEN_TITLE,
        goals=(
            "Een overzichtelijk, toegankelijk en samenhangend aanbod van welzijnswerk dichtbij inwoners, in drie "
            "percelen in plaats van veertig losse subsidies. Langjarige afspraken, prestatieafspraken en regelmatige "
            "effectrapportages. Beoordeling alleen op kwaliteit: het budget per perceel ligt vast."
        ),
        route=Route.OPEN,
        contract_start=(now + timedelta(days=240)).date().replace(day=1),
        term_years=5,
        option_count=4,
        option_years=1,
        **_cpv_fields(*LEIDEN_CPV),
        tie_break=TIE_BREAK,
        lot_reasons=(
            "Drie percelen naar levensfase en doelgroep (Samen Opgroeien, Samen Meedoen, Basiskracht): groot genoeg "
            "voor samenhang en regie, klein genoeg dat ook middelgrote welzijnsorganisaties kunnen inschrijven."
        ),
    )
    districts = list(District.objects.filter(municipality=m))
    for title, description, group_codes in LEIDEN_LOTS:
        groups = list(TargetGroup.objects.filter(code__in=group_codes))
        activities = list(
            Activity.objects.filter(organisation__municipality=m, target_groups__in=groups)
            .exclude(lots__commissioning=c)
            .distinct()
        )
        budget = _grants(m, activities) or Decimal("1000000")
        lot = services.save_lot(
            c,
            officer,
            title=title,
            description=description,
            annual_budget=budget,
            activities=activities,
            districts=districts,
            target_groups=groups,
            main_cpv=_cpv(LEIDEN_LOT_CPV[title]) if title in LEIDEN_LOT_CPV else None,
        )
        for name, measurement, target, unit, frequency in LEIDEN_KPIS[title]:
            services.add_kpi(
                lot, officer, name=name, measurement=measurement, target_value=target, unit=unit, frequency=frequency
            )
    services.add_reserved_line(
        c,
        officer,
        kind=ReservedBudgetLine.Kind.TRANSITION,
        description="Overgangsbudget voor activiteiten die tussen wal en schip vallen",
        annual_amount=Decimal("250000"),
        years=1,
    )
    _add_criteria(c, officer, LEIDEN_CRITERIA)
    for kind, days in ((K.QUESTIONS, 21), (K.BIDS, 49), (K.AWARD_PLANNED, 90)):
        services.set_deadline(c, officer, kind, _noon(now + timedelta(days=days)))
    _dispatch(c, officer, _noon(now - timedelta(days=2)), "412345")
    services.publish(c, officer)
    provider = _user("leiden.aanbieder1")
    if provider is not None:
        q = services.ask_question(
            c, provider, "Moeten de huidige vrijwilligers van de activiteiten in het perceel worden overgenomen?"
        )
        services.answer_question(
            q,
            officer,
            answer="Er is geen overnameplicht. Het criterium ‘Continuïteit van huidige vrijwilligers en "
            "medewerkers’ (25%) waardeert een concreet plan daarvoor.",
            topic="Continuïteit",
        )
        services.publish_clarification(c, officer, introduction="Antwoorden op de vragen van de eerste weken.")
    stdout.write(f"tenders: Leiden “{LEIDEN_TITLE}” published with {c.lots.count()} lots ({_regime(c)})")
    return c


TIE_BREAK = (
    "Bij gelijke totaalscore gaat voor wie hoger scoort op het zwaarst wegende criterium; is dat ook gelijk, dan "
    "beslist loting onder toezicht van een notaris."
)


@transaction.atomic
def load_haarlem(stdout):
    m = _prerequisites(stdout, "GM0392", HAARLEM_TITLE)
    if m is None:
        return None
    officer = _user("haarlem.inkoop")
    now = timezone.now()
    start = now - timedelta(days=150)
    c = services.create_commissioning(
        officer,
        municipality=m,
        title=HAARLEM_TITLE,
        goals=(
            "Meer samenhang tussen sociale basis, sociaal wijkteam, ambulante begeleiding en dagopvang, met een "
            "herkenbaar aanbod en minder versnippering: een strategisch partnerschap met één samenwerkingsverband. "
            "Niet geselecteerd op prijs: het budget ligt vast."
        ),
        route=Route.COMPETITIVE_DIALOGUE,
        contract_start=(now + timedelta(days=200)).date().replace(day=1),
        term_years=4,
        option_count=2,
        option_years=2,
        selection_criteria=(
            "Ervaring met alle dienstverlening binnen de opdracht (sociale basis, wijkteams, ambulante "
            "begeleiding, dagopvang); samenwerking met vrijwilligersorganisaties en sociaal ondernemers."
        ),
        selection_scoring=(
            "Elk selectiecriterium krijgt 0, 25, 50, 75 of 100 punten; de score is het gemiddelde, van 0 tot 100."
        ),
        selection_minimum_score=50,
        max_candidates=3,
        max_dialogue_participants=2,
        **_cpv_fields(*HAARLEM_CPV),
        dialogue_reduction=True,
        dialogue_reduction_method=(
            "Na dialoogfase 1 worden de gunningscriteria toegepast op de ingediende oplossingen; de twee best "
            "scorende samenwerkingsverbanden gaan door naar dialoogfase 2. De anderen horen waarom."
        ),
        tie_break=TIE_BREAK,
        procedure_grounds=(
            "De gemeente kan de oplossing niet vooraf omschrijven: de samenhang tussen sociale basis, wijkteams, "
            "ambulante begeleiding en dagopvang vraagt om een nieuw ontwerp en om onderhandeling over de inrichting "
            "(Aw 2.28 lid 1, onder a en b)."
        ),
        lot_reasons=(
            "Eén perceel van € 9,5 miljoen per jaar: het doel is één samenhangend aanbod in de wijk zonder "
            "versnippering; verdelen in percelen zou de samenhang tussen de onderdelen verbreken. Kleine organisaties "
            "doen mee als onderaannemer; het criterium ‘Onderaanneming van kleine organisaties’ waardeert dat."
        ),
        short_period_reasons=(
            "De aanbieders in Haarlem kennen de opdracht uit de marktconsultatie en de Spotlights; vier weken voor "
            "de verzoeken tot deelneming is daarom proportioneel."
        ),
    )
    services.save_lot(
        c,
        officer,
        title="Gewoon in de Wijk",
        description="Alle ondersteuning in de wijk binnen de opdracht, uitgevoerd door één samenwerkingsverband.",
        annual_budget=Decimal("9500000"),
        districts=list(District.objects.filter(municipality=m)),
        activities=list(Activity.objects.filter(organisation__municipality=m)),
    )
    services.add_reserved_line(
        c,
        officer,
        kind=ReservedBudgetLine.Kind.SELF_ORGANISATIONS,
        description="Subsidie voor zelforganisaties (buiten de opdracht)",
        annual_amount=Decimal("300000"),
        years=4,
    )
    services.add_reserved_line(
        c,
        officer,
        kind=ReservedBudgetLine.Kind.TRANSITION,
        description="Transitiebudget voor tijdelijke subsidies om lacunes op te vangen",
        annual_amount=Decimal("300000"),
        years=1,
    )
    _add_criteria(c, officer, HAARLEM_CRITERIA)
    deadlines = {
        K.QUESTIONS: _noon(start + timedelta(days=14)),
        K.REQUESTS: _noon(start + timedelta(days=28)),
        K.DIALOGUE_1_SUBMISSIONS: _noon(now - timedelta(days=14)),
        K.FINAL_BIDS: _noon(now + timedelta(days=60)),
        K.AWARD_PLANNED: _noon(now + timedelta(days=100)),
    }
    for kind, at in deadlines.items():
        services.set_deadline(c, officer, kind, at)
    _dispatch(c, officer, _noon(start - timedelta(days=2)), "398765")
    services.publish(c, officer, now=start)
    services.add_info_session(
        c,
        officer,
        title="Spotlight: Gewoon in de Wijk",
        held_at=start + timedelta(days=7),
        location="Stadhuis Haarlem en online",
        summary="Uitleg over de procedure voor de hele stad: de twee dialoogfasen, het vaste budget, het "
        "budget voor zelforganisaties en hoe kleine organisaties als onderaannemer kunnen meedoen.",
    )
    asker = _user("haarlem.aanbieder1")
    if asker is not None:
        for i, (topic, text, answer) in enumerate(HAARLEM_QUESTIONS):
            q = services.ask_question(c, asker, text, now=start + timedelta(days=8 + i))
            services.answer_question(q, officer, answer=answer, topic=topic)
            if i == 0:
                services.publish_clarification(
                    c, officer, introduction="Nota van inlichtingen na de Spotlight.", now=start + timedelta(days=9)
                )
        services.publish_clarification(
            c, officer, introduction="Aanvulling op de eerste nota van inlichtingen.", now=start + timedelta(days=12)
        )
    participants = _select_candidates(c, m, officer, start, deadlines[K.REQUESTS])
    c.refresh_from_db()
    services.transition(c, officer, Phase.DIALOGUE_1, now=deadlines[K.REQUESTS] + timedelta(hours=1))
    for i, p in enumerate(participants):
        services.record_dialogue_session(
            p,
            officer,
            held_at=deadlines[K.REQUESTS] + timedelta(days=10 + i),
            minutes=f"Dialoog fase 1 (scope) met {p.name}: wat valt wel en niet binnen de opdracht; "
            "aansluiting van de sociale basis op de wijkteams.",
        )
    services.transition(
        c, officer, Phase.DIALOGUE_SELECTION, now=deadlines[K.DIALOGUE_1_SUBMISSIONS] + timedelta(hours=1)
    )
    services.select_for_phase_2(
        c,
        officer,
        participants[:2],
        scores=dict(zip(participants, HAARLEM_SOLUTION_SCORES, strict=False)),
        reasons=dict.fromkeys(participants[2:], HAARLEM_REDUCTION),
    )
    services.transition(c, officer, Phase.DIALOGUE_2, now=deadlines[K.DIALOGUE_1_SUBMISSIONS] + timedelta(days=2))
    for p in participants[:2]:
        services.record_dialogue_session(
            p,
            officer,
            held_at=now - timedelta(days=5),
            minutes=f"Dialoog fase 2 (inhoud) met {p.name}: preventie, onderaanneming van kleine organisaties "
            "voor de hele looptijd, en de overgang van vrijwilligers.",
        )
    stdout.write(
        f"tenders: Haarlem “{HAARLEM_TITLE}” in dialogue phase 2 with {len(participants[:2])} consortia ({_regime(c)})"
    )
    return c


# Consortia that apply in the Haarlem selection stage: (lead's username, consortium name, score, reasons).
HAARLEM_CANDIDATES = [
    ("haarlem.penvoerder1", "Samenwerkingsverband Wijkkracht Haarlem", 85, "Ervaring met alle onderdelen."),
    ("haarlem.penvoerder2", "Consortium Haarlem Samen", 75, "Ervaring met alle onderdelen."),
    ("haarlem.penvoerder3", "Consortium Kennemer Wijken", 60, "Voldoet; dagopvang via een onderaannemer."),
]
# Dialogue phase 1 → 2: the award criteria applied to the three consortia's solutions; the third is told why.
HAARLEM_SOLUTION_SCORES = [80, 72, 55]
HAARLEM_REDUCTION = (
    "Uw oplossing scoort 55 van 100 op de gunningscriteria, lager dan die van de twee samenwerkingsverbanden die "
    "doorgaan: de aansluiting op de wijkteams en de onderaanneming van kleine organisaties zijn minder uitgewerkt."
)
HAARLEM_REJECTION = (
    "Voldoet niet aan de selectie-eis ‘ervaring met alle dienstverlening binnen de opdracht’: geen ervaring met "
    "ambulante begeleiding en dagopvang. Als onderaannemer van een samenwerkingsverband kan de organisatie wel "
    "meedoen; het criterium ‘Onderaanneming van kleine organisaties’ waardeert dat."
)


def _select_candidates(c, m, officer, start, requests_deadline):
    """The selection stage as it happened: three consortia (led by the largest organisations, each with two
    confirmed members) and one small organisation requested to participate; the opening of the requests just after
    the deadline made them candidates (ADR 0011); the officer admits the three and rejects the small one with
    reasons."""
    ranked = list(Organisation.objects.filter(municipality=m).order_by("-paid_staff_fte", "name")[:9])
    leads, partners = ranked[:3], ranked[3:]
    opened_at = requests_deadline + timedelta(minutes=10)
    applications = []
    for i, (org, (username, name, score, reasons)) in enumerate(zip(leads, HAARLEM_CANDIDATES, strict=False)):
        lead = demo_user(
            username,
            first_name="Penvoerder",
            last_name=name,
            role=Role.PROVIDER_REPRESENTATIVE,
            municipality=m,
            organisation=org,
        )
        members = [{"name": org.name, "ring": 0, "role": "penvoerder"}]
        members += [{"name": p.name, "ring": 1, "role": "lid"} for p in partners[2 * i : 2 * i + 2]]
        candidate = services.register_candidate(
            c,
            officer,
            display_name=name,
            members=members,
            organisation=org,
            applied_by=lead,
            applied_at=start + timedelta(days=15 + i),
            now=opened_at,
        )
        applications.append((candidate, True, score, reasons))
    small = _user("haarlem.aanbieder1")
    if small is not None:
        org = (
            Organisation.objects.filter(pk__in=represented_organisation_ids(small))
            .exclude(pk__in=[o.pk for o in leads])
            .first()
        )
        if org is not None:
            candidate = services.register_candidate(
                c,
                officer,
                display_name=org.name,
                members=[{"name": org.name, "ring": 0}],
                organisation=org,
                applied_by=small,
                applied_at=start + timedelta(days=20),
                now=opened_at,
            )
            applications.append((candidate, False, 30, HAARLEM_REJECTION))
    decided_at = requests_deadline + timedelta(minutes=30)
    for candidate, admit, score, reasons in applications:
        services.decide_candidate(candidate, officer, admit=admit, score=score, reasons=reasons, now=decided_at)
    return [candidate for candidate, admit, *_ in applications if admit]


def load(stdout) -> None:
    load_leiden(stdout)
    load_haarlem(stdout)
