"""Demo landscape: Leiden (GM0546) before its 3-lot tender, and Haarlem (GM0392) with small organisations and matched
external funds. Districts have their CBS codes (docs/demo.md says what was verified); the organisations, their names
and figures are fictional. Deterministic (figures come from a random generator seeded by the organisation's name),
idempotent (written through landscape.services' upserts, which change nothing when nothing differs).
"""

import random
from decimal import Decimal

from core.demo import demo_user, municipality
from core.models import Role

from . import services
from .models import Funding, Organisation
from .vocabulary import TARGET_GROUPS

ACTOR = "demo"
YEARS = range(2021, 2026)  # five years of funding lines; organisations funded later have three or four

LEIDEN_DISTRICTS = [
    ("WK054600", "Binnenstad-Zuid"),
    ("WK054601", "Binnenstad-Noord"),
    ("WK054602", "Stationsdistrict"),
    ("WK054603", "Leiden-Noord"),
    ("WK054604", "Roodenburgerdistrict"),
    ("WK054605", "Bos- en Gasthuisdistrict"),
    ("WK054606", "Morsdistrict"),
    ("WK054607", "Boerhaavedistrict"),
    ("WK054608", "Merenwijkdistrict"),
    ("WK054609", "Stevenshofdistrict"),
]
# Real Haarlem neighbourhood names; the codes could not be checked against the CBS Wijk- en buurtkaart (docs/demo.md).
HAARLEM_DISTRICTS = [
    ("WK039201", "Oude Stad"),
    ("WK039202", "Kleverpark"),
    ("WK039203", "Zijlwegkwartier"),  # verified: CBS wijk 03 of Haarlem
    ("WK039204", "Transvaalwijk"),
    ("WK039205", "Indische Wijk"),
    ("WK039206", "Rozenprieel"),
    ("WK039207", "Leidsebuurt"),
    ("WK039208", "Haarlemmerhoutkwartier"),
    ("WK039209", "Amsterdamse Buurt"),
    ("WK039210", "Parkwijk"),
    ("WK039211", "Slachthuisbuurt"),
    ("WK039212", "Europawijk"),
    ("WK039213", "Boerhaavewijk"),
    ("WK039214", "Molenwijk"),
    ("WK039215", "Meerwijk"),
]

# Activities per theme: (title, target group codes, preventive).
THEMES = {
    "youth": [
        ("Huiswerkbegeleiding", ["youth"], True),
        ("Opvoedspreekuur", ["families"], True),
        ("Tienerwerk", ["youth"], True),
        ("Praatgroep jonge mantelzorgers", ["young_informal_caregivers"], True),
        ("Speeltuinwerk", ["youth", "families"], True),
        ("Taalmaatjes voor ouders", ["families", "newcomers"], True),
        ("Buddy's voor jongeren", ["youth"], False),
        ("Zomerschool", ["youth"], True),
        ("Sporten met een maatje", ["youth"], True),
        ("Muziekles", ["youth"], True),
    ],
    "participation": [
        ("Ontmoetingsochtend", ["elderly", "loneliness"], True),
        ("Mantelzorgondersteuning", ["informal_caregivers"], True),
        ("Maaltijd in de buurt", ["elderly", "loneliness"], True),
        ("Bewegen voor ouderen", ["elderly"], True),
        ("Dagbesteding zonder indicatie", ["disabilities"], False),
        ("Huisbezoeken 75+", ["elderly"], True),
        ("Inloop voor nieuwkomers", ["newcomers"], True),
        ("Repair café", ["residents"], True),
        ("Vrouwenontmoeting", ["newcomers", "loneliness"], True),
        ("Vervoer voor ouderen", ["elderly"], False),
        ("Buurtmoestuin", ["residents", "loneliness"], True),
        ("Maatjes tegen eenzaamheid", ["loneliness"], True),
    ],
    "basic": [
        ("Spreekuur geldzorgen", ["money_worries"], True),
        ("Thuisadministratie", ["money_worries"], True),
        ("Vrijwilligerscentrale", ["volunteers"], True),
        ("Formulierenhulp", ["money_worries", "newcomers"], True),
        ("Buurtbemiddeling", ["residents"], True),
        ("Klussendienst", ["elderly", "residents"], False),
        ("Voedselhulp", ["money_worries"], False),
        ("Schuldhulpmaatjes", ["money_worries"], False),
        ("Inloop in de buurtkamer", ["residents"], True),
        ("Taalcafé", ["newcomers", "residents"], True),
        ("Leerwerkplekken in de fietsenmakerij", ["residents", "money_worries"], False),
    ],
}
BY_TITLE = {title: (title, groups, preventive) for pool in THEMES.values() for title, groups, preventive in pool}
# Leiden replaces its ~40 grants by three lots; the tender demo (tenders/demo.py) builds them on this mapping.
LEIDEN_LOTS = {
    "Samen Opgroeien": {"theme": "youth", "policy_area": "Jeugd en gezin"},
    "Samen Meedoen": {"theme": "participation", "policy_area": "Participatie, ouderen en mantelzorg"},
    "Basiskracht": {"theme": "basic", "policy_area": "Basisondersteuning, geldzorgen en vrijwilligers"},
}
POLICY_AREA = {lot["theme"]: lot["policy_area"] for lot in LEIDEN_LOTS.values()}

K = Organisation.Kind
LEIDEN_ORGANISATIONS = [
    # Samen Opgroeien
    ("Stichting Kinderwerk Rijnoever", K.VOLUNTEER_WITH_STAFF, "youth"),
    ("Huiswerkhuis De Leeuwerik", K.VOLUNTEER_WITH_STAFF, "youth"),
    ("Speeltuinvereniging Het Klaverveld", K.VOLUNTEER_ONLY, "youth"),
    ("Stichting Tienerkracht Leiden", K.VOLUNTEER_WITH_STAFF, "youth"),
    ("Opvoedpunt De Vlinderhof", K.VOLUNTEER_WITH_STAFF, "youth"),
    ("Stichting Jonge Mantelzorg Zijlpoort", K.VOLUNTEER_ONLY, "youth"),
    ("Vereniging Buurtspeeltuin De Waaier", K.VOLUNTEER_ONLY, "youth"),
    ("Stichting Zomerschool aan de Mare", K.VOLUNTEER_ONLY, "youth"),
    ("Jongerenhuis De Schakelbrug", K.VOLUNTEER_WITH_STAFF, "youth"),
    ("Stichting Taalouders Sleutelstad", K.VOLUNTEER_ONLY, "youth"),
    ("Stichting Welzijnsgroep Lakenveld", K.LARGE_WELFARE, "youth"),
    ("Buddynetwerk Oude Vest", K.VOLUNTEER_ONLY, "youth"),
    ("Sportmaatjes Morskwartier", K.SELF_ORGANISATION, "youth"),
    # Samen Meedoen
    ("Stichting Ouderenwerk Hooglandse Kring", K.LARGE_WELFARE, "participation"),
    ("Ontmoetingshuis De Lindenboom", K.VOLUNTEER_WITH_STAFF, "participation"),
    ("Stichting Mantelzorgpunt Roodenburg", K.VOLUNTEER_WITH_STAFF, "participation"),
    ("Vereniging Buurtmaaltijd Stevenshof-West", K.VOLUNTEER_ONLY, "participation"),
    ("Stichting Samen Bewegen Merenwijk", K.VOLUNTEER_ONLY, "participation"),
    ("Inloophuis De Zonnewijzer", K.VOLUNTEER_WITH_STAFF, "participation"),
    ("Stichting Huisbezoek 75+ Sleutelstad", K.VOLUNTEER_ONLY, "participation"),
    ("Repair Café De Schroevendraaier", K.VOLUNTEER_ONLY, "participation"),
    ("Stichting Werkplaats aan de Mare", K.SOCIAL_ENTERPRISE, "participation"),
    ("Nieuwkomerscafé Het Welkom", K.SELF_ORGANISATION, "participation"),
    ("Stichting Vriendenkring De Oude Singel", K.VOLUNTEER_ONLY, "participation"),
    ("Vrouwencollectief De Brug", K.SELF_ORGANISATION, "participation"),
    ("Stichting Seniorenvervoer De Trekvaart", K.VOLUNTEER_ONLY, "participation"),
    ("Buurtcoöperatie Boerhaave", K.SOCIAL_ENTERPRISE, "participation"),
    # Basiskracht
    ("Stichting Geldwijs Sleutelstad", K.VOLUNTEER_WITH_STAFF, "basic"),
    ("Vrijwilligerscentrale Rijn en Mare", K.VOLUNTEER_WITH_STAFF, "basic"),
    ("Stichting Thuisadministratie Lakenveld", K.VOLUNTEER_ONLY, "basic"),
    ("Formulierenhulp De Sleutelbos", K.VOLUNTEER_ONLY, "basic"),
    ("Stichting Buurtbemiddeling Tussen de Vesten", K.VOLUNTEER_WITH_STAFF, "basic"),
    ("Klussendienst Handige Buren", K.SOCIAL_ENTERPRISE, "basic"),
    ("Stichting Voedselhulp De Graanbeurs", K.VOLUNTEER_ONLY, "basic"),
    ("Schuldhulpmaatjes Oostvest", K.VOLUNTEER_ONLY, "basic"),
    ("Stichting Welzijnshuis Sleutelstad", K.LARGE_WELFARE, "basic"),
    ("Stichting Informatiepunt Geldvragen Noord", K.VOLUNTEER_ONLY, "basic"),
    ("Wijkcoöperatie De Kooiwal", K.SOCIAL_ENTERPRISE, "basic"),
    ("Buurtkamer De Hofjes", K.SELF_ORGANISATION, "basic"),
    ("Vereniging Burenhulp Zuidwest", K.VOLUNTEER_ONLY, "basic"),
]
# What each organisation (other than the large welfare organisations, which do a bit of everything in their theme)
# does: activities that fit its name, so that a language café does not run a handyman service.
ACTIVITIES = {
    # Leiden: Samen Opgroeien
    "Stichting Kinderwerk Rijnoever": ["Speeltuinwerk", "Zomerschool"],
    "Huiswerkhuis De Leeuwerik": ["Huiswerkbegeleiding"],
    "Speeltuinvereniging Het Klaverveld": ["Speeltuinwerk"],
    "Stichting Tienerkracht Leiden": ["Tienerwerk", "Buddy's voor jongeren"],
    "Opvoedpunt De Vlinderhof": ["Opvoedspreekuur"],
    "Stichting Jonge Mantelzorg Zijlpoort": ["Praatgroep jonge mantelzorgers"],
    "Vereniging Buurtspeeltuin De Waaier": ["Speeltuinwerk"],
    "Stichting Zomerschool aan de Mare": ["Zomerschool"],
    "Jongerenhuis De Schakelbrug": ["Tienerwerk"],
    "Stichting Taalouders Sleutelstad": ["Taalmaatjes voor ouders"],
    "Buddynetwerk Oude Vest": ["Buddy's voor jongeren"],
    "Sportmaatjes Morskwartier": ["Sporten met een maatje"],
    # Leiden: Samen Meedoen
    "Ontmoetingshuis De Lindenboom": ["Ontmoetingsochtend", "Maaltijd in de buurt"],
    "Stichting Mantelzorgpunt Roodenburg": ["Mantelzorgondersteuning"],
    "Vereniging Buurtmaaltijd Stevenshof-West": ["Maaltijd in de buurt"],
    "Stichting Samen Bewegen Merenwijk": ["Bewegen voor ouderen"],
    "Inloophuis De Zonnewijzer": ["Ontmoetingsochtend", "Inloop voor nieuwkomers"],
    "Stichting Huisbezoek 75+ Sleutelstad": ["Huisbezoeken 75+"],
    "Repair Café De Schroevendraaier": ["Repair café"],
    "Stichting Werkplaats aan de Mare": ["Dagbesteding zonder indicatie"],
    "Nieuwkomerscafé Het Welkom": ["Inloop voor nieuwkomers"],
    "Stichting Vriendenkring De Oude Singel": ["Huisbezoeken 75+", "Maatjes tegen eenzaamheid"],
    "Vrouwencollectief De Brug": ["Vrouwenontmoeting"],
    "Stichting Seniorenvervoer De Trekvaart": ["Vervoer voor ouderen"],
    "Buurtcoöperatie Boerhaave": ["Repair café", "Maaltijd in de buurt"],
    # Leiden: Basiskracht
    "Stichting Geldwijs Sleutelstad": ["Spreekuur geldzorgen", "Thuisadministratie"],
    "Vrijwilligerscentrale Rijn en Mare": ["Vrijwilligerscentrale"],
    "Stichting Thuisadministratie Lakenveld": ["Thuisadministratie"],
    "Formulierenhulp De Sleutelbos": ["Formulierenhulp"],
    "Stichting Buurtbemiddeling Tussen de Vesten": ["Buurtbemiddeling"],
    "Klussendienst Handige Buren": ["Klussendienst"],
    "Stichting Voedselhulp De Graanbeurs": ["Voedselhulp"],
    "Schuldhulpmaatjes Oostvest": ["Schuldhulpmaatjes"],
    "Stichting Informatiepunt Geldvragen Noord": ["Spreekuur geldzorgen", "Formulierenhulp"],
    "Wijkcoöperatie De Kooiwal": ["Klussendienst", "Buurtbemiddeling"],
    "Buurtkamer De Hofjes": ["Inloop in de buurtkamer"],
    "Vereniging Burenhulp Zuidwest": ["Klussendienst"],
    # Haarlem
    "Buurtkamer De Spaarnebrug": ["Inloop in de buurtkamer", "Ontmoetingsochtend"],
    "Stichting Taalcafé Schalkwijk-Midden": ["Taalcafé"],
    "Kookstudio Eigenwijs": ["Maaltijd in de buurt"],
    "Fietsenmakerij Tweede Kans": ["Leerwerkplekken in de fietsenmakerij"],
    "Vrouwen van de Molenwijk": ["Vrouwenontmoeting"],
    "Seniorensoos Tropenhof": ["Ontmoetingsochtend", "Bewegen voor ouderen"],
    "Stichting Buurtmoestuin Rozenprieel": ["Buurtmoestuin"],
    "Stichting Huiswerkklas Boerhaavewijk": ["Huiswerkbegeleiding"],
    "Stichting Maatjesproject Kennemer Kring": ["Maatjes tegen eenzaamheid"],
    "Wijkrestaurant De Lange Tafel": ["Maaltijd in de buurt"],
    "Stichting Klusbus Haarlem-Oost": ["Klussendienst"],
    "Jongerencollectief Parkwijk": ["Tienerwerk"],
    "Stichting Muziekles voor Iedereen": ["Muziekles"],
    "Zorgcoöperatie Buren voor Buren Europawijk": ["Huisbezoeken 75+", "Klussendienst"],
    "Stichting Inloophuis De Vijfhoek": ["Inloop in de buurtkamer", "Spreekuur geldzorgen"],
    "Stichting Geldmaatjes Spaarndam-Oost": ["Schuldhulpmaatjes"],
}

HAARLEM_ORGANISATIONS = [
    ("Buurtkamer De Spaarnebrug", K.VOLUNTEER_ONLY, "participation"),
    ("Stichting Taalcafé Schalkwijk-Midden", K.VOLUNTEER_ONLY, "basic"),
    ("Kookstudio Eigenwijs", K.SOCIAL_ENTERPRISE, "participation"),
    ("Fietsenmakerij Tweede Kans", K.SOCIAL_ENTERPRISE, "basic"),
    ("Vrouwen van de Molenwijk", K.SELF_ORGANISATION, "participation"),
    ("Seniorensoos Tropenhof", K.SELF_ORGANISATION, "participation"),
    ("Stichting Buurtmoestuin Rozenprieel", K.VOLUNTEER_ONLY, "participation"),
    ("Stichting Huiswerkklas Boerhaavewijk", K.VOLUNTEER_WITH_STAFF, "youth"),
    ("Stichting Maatjesproject Kennemer Kring", K.VOLUNTEER_WITH_STAFF, "participation"),
    ("Wijkrestaurant De Lange Tafel", K.SOCIAL_ENTERPRISE, "participation"),
    ("Stichting Klusbus Haarlem-Oost", K.VOLUNTEER_ONLY, "basic"),
    ("Jongerencollectief Parkwijk", K.SELF_ORGANISATION, "youth"),
    ("Stichting Muziekles voor Iedereen", K.VOLUNTEER_ONLY, "youth"),
    ("Zorgcoöperatie Buren voor Buren Europawijk", K.SOCIAL_ENTERPRISE, "participation"),
    ("Stichting Inloophuis De Vijfhoek", K.VOLUNTEER_WITH_STAFF, "basic"),
    ("Stichting Geldmaatjes Spaarndam-Oost", K.VOLUNTEER_ONLY, "basic"),
]
LEIDEN_GRANT_SCHEME = "Subsidieregeling Welzijn en Maatschappelijke Ondersteuning Leiden"
HAARLEM_GRANT_SCHEME = "Subsidieregeling Sociale Basis Haarlem"
EXTERNAL_FUNDS = ["Fonds DOEN", "VSBfonds", "Oranje Fonds", "Kansfonds", "Spaarnefonds (lokaal fonds, demo)"]

# (municipality, organisation name, username): provider representatives among the demo logins.
PROVIDER_REPRESENTATIVES = [
    ("GM0546", "Stichting Kinderwerk Rijnoever", "leiden.aanbieder1"),
    ("GM0546", "Stichting Geldwijs Sleutelstad", "leiden.aanbieder2"),
    ("GM0392", "Kookstudio Eigenwijs", "haarlem.aanbieder1"),
    ("GM0392", "Buurtkamer De Spaarnebrug", "haarlem.aanbieder2"),
]

# Figures per kind: paid staff FTE, volunteers, own income share (%), yearly municipal grant (euros).
PROFILE = {
    K.LARGE_WELFARE: {"fte": (20, 60), "volunteers": (150, 400), "own": (3, 12), "grant": (400_000, 1_200_000)},
    K.VOLUNTEER_WITH_STAFF: {"fte": (1, 8), "volunteers": (25, 150), "own": (5, 25), "grant": (45_000, 220_000)},
    K.VOLUNTEER_ONLY: {"fte": (0, 0), "volunteers": (6, 60), "own": (5, 40), "grant": (2_500, 25_000)},
    K.SOCIAL_ENTERPRISE: {"fte": (2, 12), "volunteers": (5, 40), "own": (30, 70), "grant": (15_000, 90_000)},
    K.SELF_ORGANISATION: {"fte": (0, 1), "volunteers": (5, 35), "own": (10, 50), "grant": (3_000, 20_000)},
}


def _legal_form(name: str, kind: str) -> str:
    lower = name.lower()
    if lower.startswith("stichting"):
        return Organisation.LegalForm.FOUNDATION
    if "vereniging" in lower:
        return Organisation.LegalForm.ASSOCIATION
    if "coöperatie" in lower:
        return Organisation.LegalForm.COOPERATIVE
    if kind == K.SELF_ORGANISATION:
        return Organisation.LegalForm.INFORMAL
    if kind == K.SOCIAL_ENTERPRISE:
        return Organisation.LegalForm.PRIVATE_COMPANY
    return Organisation.LegalForm.FOUNDATION


DUTCH_GROUP_NAMES = dict(TARGET_GROUPS)


def _description(title: str, groups) -> str:
    """E.g. "Maaltijd in de buurt voor eenzame inwoners en ouderen.": Dutch names of the target groups, never codes."""
    names = sorted(DUTCH_GROUP_NAMES[code].lower() for code in groups)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
    return f"{title} voor {listed}."


def _round(amount: float, step: int = 100) -> Decimal:
    return Decimal(int(round(amount / step)) * step)


def _organisation(m, districts, name, kind, theme, *, grant_scheme, external_share, conditional_share):
    """One organisation with its activities and yearly funding lines; figures drawn from a generator seeded by
    the municipality and the name, so they are the same on every run and every machine."""
    rng = random.Random(f"{m.cbs_code}:{name}")
    p = PROFILE[kind]
    first_year = rng.randint(1995, 2023)
    org = services.upsert_organisation(
        m,
        name=name,
        kind=kind,
        legal_form=_legal_form(name, kind),
        paid_staff_fte=Decimal(str(round(rng.uniform(*p["fte"]), 1))),
        volunteers=rng.randint(*p["volunteers"]),
        own_income_share=Decimal(rng.randint(*p["own"])),
        first_funded_year=first_year,
        description=f"Fictieve demo-organisatie ({POLICY_AREA[theme].lower()}).",
        actor=ACTOR,
    )
    pool = THEMES[theme]
    count = 3 if kind == K.LARGE_WELFARE else rng.randint(1, 2)
    chosen = rng.sample(pool, count)  # drawn always, so that the figures drawn after it stay the same
    if name in ACTIVITIES:
        chosen = [BY_TITLE[title] for title in ACTIVITIES[name]]
    for title, groups, preventive in chosen:
        served = len(districts) if kind == K.LARGE_WELFARE else rng.randint(1, 3)
        services.upsert_activity(
            org,
            title=title,
            description=_description(title, groups),
            districts=sorted(rng.sample(districts, served)),
            target_groups=groups,
            reach=rng.randint(15, 90) * (20 if kind == K.LARGE_WELFARE else 3),
            volunteer_hours=org.volunteers * rng.randint(40, 120),
            since_year=min(max(first_year, 2000) + rng.randint(0, 3), YEARS[-1]),
            preventive=preventive,
            actor=ACTOR,
        )
    grant = rng.uniform(*p["grant"])
    external = rng.random() < external_share
    fund = rng.choice(EXTERNAL_FUNDS)
    fund_share = rng.uniform(0.2, 0.8)
    conditional = rng.random() < conditional_share
    for year in YEARS:
        if year < first_year:
            continue
        granted = _round(grant * (1 + 0.02 * (year - YEARS.start)))
        services.upsert_funding(
            org,
            year=year,
            kind=Funding.Kind.MUNICIPAL_GRANT,
            source_name=grant_scheme,
            policy_area=POLICY_AREA[theme],
            periodic=kind == K.LARGE_WELFARE or rng.random() < 0.7,
            amount_requested=_round(float(granted) * rng.uniform(1.0, 1.25)),
            amount_granted=granted,
            amount_settled=None if year == YEARS[-1] else _round(float(granted) * rng.uniform(0.9, 1.0)),
            actor=ACTOR,
        )
        if external:
            services.upsert_funding(
                org,
                year=year,
                kind=Funding.Kind.EXTERNAL,
                source_name=fund,
                description="Cofinanciering",
                amount_granted=_round(float(granted) * fund_share),
                conditional=conditional,
                actor=ACTOR,
            )
    return org


def _load_municipality(code, district_rows, organisations, **funding):
    m = municipality(code)
    for cbs_code, name in district_rows:
        services.upsert_district(m, cbs_code=cbs_code, name=name, actor=ACTOR)
    codes = [c for c, _ in district_rows]
    for name, kind, theme in organisations:
        _organisation(m, codes, name, kind, theme, **funding)
    return m


def load(stdout) -> None:
    _load_municipality(
        "GM0546",
        LEIDEN_DISTRICTS,
        LEIDEN_ORGANISATIONS,
        grant_scheme=LEIDEN_GRANT_SCHEME,
        external_share=0.25,
        conditional_share=0.5,
    )
    # Haarlem: small organisations whose external funds mostly pay only while the municipality pays too.
    _load_municipality(
        "GM0392",
        HAARLEM_DISTRICTS,
        HAARLEM_ORGANISATIONS,
        grant_scheme=HAARLEM_GRANT_SCHEME,
        external_share=0.85,
        conditional_share=0.75,
    )
    for code, org_name, username in PROVIDER_REPRESENTATIVES:
        m = municipality(code)
        org = Organisation.objects.get(municipality=m, name=org_name)
        demo_user(
            username,
            first_name="Aanbieder",
            last_name=org_name,
            role=Role.PROVIDER_REPRESENTATIVE,
            municipality=m,
            organisation=org,
        )
    stdout.write(
        f"landscape: Leiden {len(LEIDEN_DISTRICTS)} districts, {len(LEIDEN_ORGANISATIONS)} organisations; "
        f"Haarlem {len(HAARLEM_DISTRICTS)} districts, {len(HAARLEM_ORGANISATIONS)} organisations"
    )
