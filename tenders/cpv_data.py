"""The CPV codes wijkwaarde ships, and Annex XIV of Directive 2014/24/EU (social and other specific services, the
light regime; Aw 2.38) as the Annex itself reads: single codes and ranges "from … to …" of codes.

Only what could be checked is shipped: every code below, with its check digit, was compared with a published list
(the eForms business rule BR-0075 of the EU Publications Office lists the Article 77 codes, a part of Annex XIV;
public CPV 2008 tables give the other codes and the English descriptions). Annex XIV entries whose codes could not be
checked are left out (see ANNEX_XIV_NOT_SHIPPED) rather than guessed; add them, with their check digits, when
verified. A code outside this table is refused with a message, never treated as social by default.
"""

import re

from django.utils.translation import gettext as _

CPV_PATTERN = re.compile(r"^\d{8}-\d$")

# Annex XIV of Directive 2014/24/EU: (heading, entries); an entry is a code or a (first, last) range, inclusive.
ANNEX_XIV = [
    (
        "Health, social and related services",
        [
            "79611000-0",
            "79622000-0",
            "79624000-4",
            "79625000-1",
            ("85000000-9", "85323000-9"),
            "98133000-4",
            ("98500000-8", "98514000-9"),
        ],
    ),
    (
        "Administrative social, educational, healthcare and cultural services",
        [
            "85321000-5",
            "85322000-2",
            "75121000-0",
            "75122000-7",
            ("79995000-5", "79995200-7"),
            ("80000000-4", "80660000-8"),
            ("92000000-1", "92700000-8"),
        ],
    ),
    (
        "Other community, social and personal services including services furnished by trade unions, political "
        "organisations, youth associations and other membership organisation services",
        ["98000000-3", "98133110-8"],
    ),
    ("Legal services, to the extent not excluded by Article 10(d)", [("79100000-5", "79140000-7")]),
    ("Other administrative services and government services", ["75123000-4"]),
    ("Investigation and security services", [("79700000-1", "79723000-8")]),
]

# Headings of Annex XIV whose codes are not shipped yet because their check digits were not verified.
ANNEX_XIV_NOT_SHIPPED = [
    "Health, social and related services: 75200000-8, 75231200-6, 75231240-8, 98133100-5, 98200000-5",
    "Administrative social, educational, healthcare and cultural services: 75000000-6, 75124000-1, 79950000-8 ff.",
    "Compulsory social security services (75300000-9)",
    "Benefit services (75310000-2 ff.)",
    "Religious services (98131000-0); services of trade unions and political organisations (98120000-0, 98132000-7)",
    "Hotel and restaurant services (55100000-1 to 55410000-7 ff.)",
    "Other administrative and government services (75100000-7 to 75120000-3; 75125000-8 to 75131000-3)",
    "Provision of services to the community; prison related, public security and rescue services (75200000-8 ff.)",
    "International services (98900000-2, 98910000-5); postal services (64000000-6 ff.); miscellaneous services",
]

# (code, Dutch description, English description)
CODES = [
    ("60000000-8", "Vervoersdiensten (uitg. vervoer van afval)", "Transport services (excl. Waste transport)"),
    (
        "71000000-8",
        "Dienstverlening op het gebied van architectuur, bouwkunde, civiele techniek en inspectie",
        "Architectural, construction, engineering and inspection services",
    ),
    (
        "72000000-5",
        "IT-diensten: adviezen, softwareontwikkeling, internet en ondersteuning",
        "IT services: consulting, software development, Internet and support",
    ),
    ("75121000-0", "Administratieve diensten voor onderwijs", "Administrative educational services"),
    ("75122000-7", "Administratieve diensten voor gezondheidszorg", "Administrative healthcare services"),
    ("75123000-4", "Administratieve diensten voor huisvesting", "Administrative housing services"),
    (
        "79000000-4",
        "Zakelijke dienstverlening: juridisch, marketing, consulting, drukkerij en beveiliging",
        "Business services: law, marketing, consulting, recruitment, printing and security",
    ),
    ("79100000-5", "Juridische dienstverlening", "Legal services"),
    ("79110000-8", "Juridisch advies en juridische vertegenwoordiging", "Legal advisory and representation services"),
    ("79140000-7", "Juridische adviezen en informatie", "Legal advisory and information services"),
    ("79200000-6", "Boekhoudkundige, audit- en fiscale diensten", "Accounting, auditing and fiscal services"),
    ("79611000-0", "Diensten voor het zoeken naar banen", "Job search services"),
    (
        "79620000-6",
        "Diensten voor de terbeschikkingstelling van personeel, met inbegrip van tijdelijk personeel",
        "Supply services of personnel including temporary staff",
    ),
    ("79622000-0", "Terbeschikkingstelling van huishoudelijk personeel", "Supply services of domestic help personnel"),
    ("79624000-4", "Terbeschikkingstelling van verpleegkundigen", "Supply services of nursing personnel"),
    ("79625000-1", "Terbeschikkingstelling van medisch personeel", "Supply services of medical personnel"),
    ("79700000-1", "Opsporings- en beveiligingsdiensten", "Investigation and security services"),
    ("79723000-8", "Diensten voor afvalanalyse", "Waste analysis services"),
    ("79995000-5", "Bibliotheekbeheer", "Library management services"),
    ("79995100-6", "Archiveringsdiensten", "Archiving services"),
    ("79995200-7", "Catalogiseringsdiensten", "Cataloguing services"),
    ("80000000-4", "Diensten voor onderwijs en opleiding", "Education and training services"),
    ("80100000-5", "Diensten voor basisonderwijs", "Primary education services"),
    ("80110000-8", "Diensten voor kleuteronderwijs", "Pre-school education services"),
    ("80300000-7", "Diensten voor hoger onderwijs", "Higher education services"),
    ("80400000-8", "Volwasseneneducatie en andere vormen van onderwijs", "Adult and other education services"),
    ("80420000-4", "E-learning", "E-learning services"),
    ("80430000-7", "Volwasseneneducatie op universitair niveau", "Adult-education services at university level"),
    ("80511000-9", "Opleiding van personeel", "Staff training services"),
    ("80520000-5", "Opleidingsfaciliteiten", "Training facilities"),
    ("80590000-6", "Diensten voor bijles", "Tutorial services"),
    (
        "80660000-8",
        "Opleiding en simulatie voor militaire elektronische systemen",
        "Training and simulation in military electronic systems",
    ),
    ("85000000-9", "Gezondheidszorg en maatschappelijk werk", "Health and social work services"),
    ("85100000-0", "Gezondheidsdiensten", "Health services"),
    ("85300000-2", "Maatschappelijk werk en aanverwante diensten", "Social work and related services"),
    ("85310000-5", "Maatschappelijk werk", "Social work services"),
    ("85311000-2", "Maatschappelijk werk met huisvesting", "Social work services with accommodation"),
    ("85311100-3", "Maatschappelijk werk voor ouderen", "Welfare services for the elderly"),
    ("85311200-4", "Maatschappelijk werk voor mensen met een beperking", "Welfare services for the handicapped"),
    ("85311300-5", "Maatschappelijk werk voor kinderen en jongeren", "Welfare services for children and young people"),
    ("85312000-9", "Maatschappelijk werk zonder huisvesting", "Social work services without accommodation"),
    ("85312100-0", "Dagopvang", "Daycare services"),
    ("85312110-3", "Kinderdagverblijven", "Child daycare services"),
    (
        "85312120-6",
        "Dagopvang voor kinderen en jongeren met een beperking",
        "Daycare services for handicapped children and young people",
    ),
    ("85312200-1", "Thuisbezorging van levensmiddelen", "Homedelivery of provisions"),
    ("85312300-2", "Begeleiding en advisering", "Guidance and counselling services"),
    ("85312310-5", "Begeleiding", "Guidance services"),
    ("85312320-8", "Advisering", "Counselling services"),
    ("85312330-1", "Gezinsplanning", "Family-planning services"),
    (
        "85312400-3",
        "Welzijnszorg niet verleend via instellingen",
        "Welfare services not delivered through residential institutions",
    ),
    ("85312500-4", "Revalidatie", "Rehabilitation services"),
    ("85312510-7", "Beroepsrevalidatie", "Vocational rehabilitation services"),
    ("85320000-8", "Sociale diensten", "Social services"),
    ("85321000-5", "Administratieve sociale diensten", "Administrative social services"),
    ("85322000-2", "Gemeenschapsactieprogramma", "Community action programme"),
    ("85323000-9", "Gemeenschapsgezondheidszorg", "Community health services"),
    (
        "90000000-7",
        "Diensten inzake afvalwater, afval, reiniging en milieu",
        "Sewage, refuse, cleaning and environmental services",
    ),
    ("92000000-1", "Cultuur-, sport- en recreatiediensten", "Recreational, cultural and sporting services"),
    (
        "92500000-6",
        "Diensten van bibliotheken, archieven, musea en overige culturele diensten",
        "Library, archives, museums and other cultural services",
    ),
    ("92600000-7", "Sportdiensten", "Sporting services"),
    ("92700000-8", "Cybercafédiensten", "Cybercafé services"),
    (
        "98000000-3",
        "Overige gemeenschaps-, sociale en persoonlijke diensten",
        "Other community, social and personal services",
    ),
    (
        "98133000-4",
        "Diensten verleend door maatschappelijke organisaties",
        "Services furnished by social membership organisations",
    ),
    ("98133110-8", "Diensten verleend door jongerenverenigingen", "Services provided by youth associations"),
    ("98500000-8", "Particuliere huishoudens met personeel", "Private households with employed persons"),
    ("98514000-9", "Huishoudelijke diensten", "Domestic services"),
]


CHECK_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)


def check_digit(eight_digits: str) -> int:
    """The check digit of a CPV code: the eight digits weighted 3, 7, 1, 3, 7, 1, 3, 7, summed, modulo 10."""
    if len(eight_digits) != 8 or not eight_digits.isdigit():
        raise ValueError(f"eight digits expected, not {eight_digits!r}")
    return sum(int(digit) * weight for digit, weight in zip(eight_digits, CHECK_WEIGHTS, strict=True)) % 10


def is_valid_cpv(code: str) -> bool:
    """Whether `code` is written as a CPV code ("85310000-5") and its last digit is the check digit of the eight."""
    return bool(CPV_PATTERN.match(code or "")) and check_digit(code[:8]) == int(code[9])


def cpv_code_errors(code: str) -> list[str]:
    """What is wrong with a CPV code as entered or imported, in the active language (Dutch by default)."""
    if not CPV_PATTERN.match(code or ""):
        message = _("%(code)s is not a CPV code: write eight digits, a hyphen and the check digit (85310000-5).")
        return [message % {"code": code}]
    if not is_valid_cpv(code):
        return [
            _("%(code)s has a wrong check digit: the check digit of %(digits)s is %(expected)s.")
            % {"code": code, "digits": code[:8], "expected": check_digit(code[:8])}
        ]
    return []


def _number(code: str) -> int:
    return int(code[:8])


def in_annex_xiv(code: str) -> bool:
    """Whether a CPV code (with its check digit) is listed in Annex XIV, by code or within a "from … to …" range."""
    for _heading, entries in ANNEX_XIV:
        for entry in entries:
            if isinstance(entry, tuple):
                if _number(entry[0]) <= _number(code) <= _number(entry[1]):
                    return True
            elif entry == code:
                return True
    return False


def seed_cpv(apps):
    """Idempotent: the shipped codes with their Annex XIV flag (run from tenders.seed after every migrate)."""
    refused = [error for code, _nl, _en in CODES for error in cpv_code_errors(code)]
    if refused:
        raise ValueError(" ".join(refused))
    CPVCode = apps.get_model("tenders", "CPVCode")
    for code, nl, en in CODES:
        CPVCode.objects.update_or_create(
            code=code, defaults={"description_nl": nl, "description_en": en, "annex_xiv": in_annex_xiv(code)}
        )
