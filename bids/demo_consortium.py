"""Demo data of the bids stage for the Leiden commissioning (issue 11, docs/demo.md): economic operators with demo
logins, each matched to its organisation in the Leiden landscape registry; the lead's draft bid on the lot
"Samen Meedoen" with two consortium members (ring 1) and three small subcontractors (ring 2) whose participations
stay *pending*, because each confirms from its own account (by hand in the demo, or in
bids/tests/test_browser_bid_flow.py); a lone bidder's draft on the same lot (the late-bid case); two openers.

Everything goes through the services. Idempotent: what exists is left alone, so a second run records no event.
Deadlines are the Leiden demo's (noon, weeks ahead): the draft is only made while the lot still receives bids.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo import demo_user
from core.models import Municipality, Role
from landscape.models import Activity, Organisation
from tenders.models import Commissioning

from . import services, submission_rules
from .models import EconomicOperator, Opener, OperatorKind, OperatorMatch, Participation, Submission

LEIDEN = "GM0546"
COMMISSIONING_TITLE = "Welzijn Leiden: Samen Opgroeien, Samen Meedoen, Basiskracht"  # tenders.demo.LEIDEN_TITLE
LOT_TITLE = "Samen Meedoen"
CONSORTIUM_NAME = "Coalitie Samen Meedoen Leiden"
LEAD = "leiden.penvoerder"
LONE_BIDDER = "leiden.inschrijver"
OPENERS = ("leiden.beleid", "leiden.beoordelaar")

Ring = Participation.Ring
K = OperatorKind
# username, landscape organisation, operator kind, fictional KvK number, ring, role in the consortium, € per year
OPERATORS = [
    (LEAD, "Stichting Ouderenwerk Hooglandse Kring", K.WELFARE, "90000011", Ring.LEAD, "", None),
    ("leiden.lid1", "Ontmoetingshuis De Lindenboom", K.VOLUNTEER, "90000021", Ring.MEMBER, "Ontmoeting", None),
    ("leiden.lid2", "Stichting Mantelzorgpunt Roodenburg", K.VOLUNTEER, "90000031", Ring.MEMBER, "Mantelzorg", None),
    (
        "leiden.onderaannemer1",
        "Stichting Huisbezoek 75+ Sleutelstad",
        K.VOLUNTEER,
        "90000041",
        Ring.SUBCONTRACTOR,
        "Huisbezoeken bij 75-plussers",
        Decimal("24000"),
    ),
    (
        "leiden.onderaannemer2",
        "Stichting Werkplaats aan de Mare",
        K.SOCIAL_ENTERPRISE,
        "90000051",
        Ring.SUBCONTRACTOR,
        "Werkplaats en klussen met deelnemers",
        Decimal("36000"),
    ),
    (
        "leiden.onderaannemer3",
        "Nieuwkomerscafé Het Welkom",
        K.SELF_ORGANISATION,
        "90000061",
        Ring.SUBCONTRACTOR,
        "Ontmoeting voor nieuwkomers",
        Decimal("15000"),
    ),
    (LONE_BIDDER, "Buurtcoöperatie Boerhaave", K.SOCIAL_ENTERPRISE, "90000071", None, "", None),
]
COMMITMENT_YEARS = 5
LONE_ANSWER = "Wij bieden ontmoeting en vervoer in het Boerhaavedistrict, samen met bewoners."


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _operator(m, username, org_name, kind, kvk) -> EconomicOperator:
    """The operator of a landscape organisation: a demo login (provider representative of that organisation), the
    registration, its confirmed demo address, and the municipality's confirmation of the proposed match."""
    org = Organisation.objects.get(municipality=m, name=org_name)
    user = demo_user(
        username,
        first_name="Inschrijver",
        last_name=org_name,
        role=Role.PROVIDER_REPRESENTATIVE,
        municipality=m,
        organisation=org,
    )
    operator = EconomicOperator.objects.filter(kvk_number=kvk).first()
    if operator is None:
        operator = services.register_operator(
            user=user,
            name=org_name,
            kind=kind,
            kvk_number=kvk,
            country="NL",
            street="Breestraat 1",
            postcode="2311 CS",
            city="Leiden",
            contact_name=f"Contactpersoon {org_name}",
            contact_email=user.email,
        )
    if operator.email_confirmed_at is None:
        operator = services.confirm_demo_operator_email(operator)
    match = OperatorMatch.objects.filter(operator=operator, organisation=org).first()
    if match is None:  # registered before the organisation was in the registry
        services.propose_matches(operator)
        match = OperatorMatch.objects.filter(operator=operator, organisation=org).first()
    if match is not None and match.status == OperatorMatch.Status.PROPOSED:
        services.decide_match(match, _user("leiden.beleid"), confirm=True)
    return operator


def _commit(submission, participation, lead_user, amount):
    org = Organisation.objects.get(municipality=submission.commissioning.municipality, name=participation.operator.name)
    activities = list(Activity.objects.filter(organisation=org).order_by("pk"))
    funded = next((a for a in activities if a.fundings.exists()), None)
    services.save_commitment(
        participation,
        lead_user,
        amount_per_year=amount,
        years=COMMITMENT_YEARS,
        activities=activities,
        districts=sorted({d.pk for a in activities for d in a.districts.all()}),
        continues_activity=funded,
        description=participation.role,
    )


def _consortium(c, lot, operators, now):
    lead, lead_user = operators[LEAD], _user(LEAD)
    s = Submission.objects.filter(commissioning=c, lot=lot, lead=lead, kind=Submission.Kind.BID).first()
    if s is not None:
        return s
    s = services.create_submission(
        lead_user, lead, c, kind=Submission.Kind.BID, lot=lot, consortium_name=CONSORTIUM_NAME, now=now
    )
    for username, _org, _kind, _kvk, ring, role, amount in OPERATORS:
        if ring in (Ring.MEMBER, Ring.SUBCONTRACTOR):
            p = services.add_participation(s, lead_user, operator=operators[username], ring=ring, role=role, now=now)
            if amount is not None:
                _commit(s, p, lead_user, amount)
    return s


def _lone_bid(c, lot, operator, now):
    user = _user(LONE_BIDDER)
    s = Submission.objects.filter(commissioning=c, lot=lot, lead=operator, kind=Submission.Kind.BID).first()
    if s is None:
        s = services.create_submission(user, operator, c, kind=Submission.Kind.BID, lot=lot, now=now)
        criterion = next(x for x in c.criteria.order_by("pk") if not x.children.exists())
        services.save_answer(s, user, criterion, LONE_ANSWER)
    return s


def load(stdout) -> None:
    m = Municipality.objects.filter(cbs_code=LEIDEN).first()
    c = Commissioning.objects.filter(municipality=m, title=COMMISSIONING_TITLE).first() if m else None
    if c is None:
        stdout.write("bids: the Leiden demo commissioning is missing (load the tenders demo first); skipped")
        return
    operators = {row[0]: _operator(m, *row[:4]) for row in OPERATORS}
    officer = _user("leiden.inkoop")
    for username in OPENERS:
        if not Opener.objects.filter(commissioning=c, user__username=username).exists():
            services.appoint_opener(c, officer, _user(username))
    lot = c.lots.get(title=LOT_TITLE)
    now = timezone.now()
    exists = Submission.objects.filter(commissioning=c, lot=lot, lead=operators[LEAD]).exists()
    if not exists and not submission_rules.receiving(c, Submission.Kind.BID, now):
        stdout.write(f"bids: “{c.title}” no longer receives bids; no demo consortium made")
        return
    s = _consortium(c, lot, operators, now)
    _lone_bid(c, lot, operators[LONE_BIDDER], now)
    pending = s.participations.filter(status=Participation.Status.PENDING).count()
    stdout.write(
        f"bids: {len(operators)} operators, 2 openers; draft bid of “{s.consortium_name}” on “{lot.title}” "
        f"({pending} participations awaiting confirmation)"
    )
