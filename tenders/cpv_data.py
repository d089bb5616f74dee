"""The CPV codes wijkwaarde ships, and Annex XIV of Directive 2014/24/EU (social and other specific services, the
light regime; Aw 2.38) as the Annex itself reads: single codes and ranges "from … to …" of codes.

ANNEX_XIV is a transcription of Annex XIV as published (OJ L 94, 28.3.2014, p. 128), heading by heading. Every code
in this module carries a check digit verified by the CPV rule (check_digit: the eight digits weighted 3, 7, 1, 3, 7, 1,
3, 7, summed, modulo 10, with the official exceptions in CHECK_DIGIT_EXCEPTIONS), so a mistyped digit is caught; a code
failing it would have been left out, and none did.
Cross-checked against published lists beyond that rule: the 40 codes shipped before the transcription (the eForms
business rule BR-0075 of the EU Publications Office lists the Article 77 codes, a part of Annex XIV; public CPV 2008
tables gave the other codes and the English descriptions). The transcription itself (which codes and ranges the Annex
names) could not be compared with the Official Journal text from here; the check digit rule does not catch a valid
code listed under the wrong heading or a range end mistyped into another valid code. The Dutch descriptions of the
codes added with the transcription follow the Dutch CPV 2008 as best known and were not compared with it.

Every single code and every range end of the Annex is a row (tests/test_cpv_check_digit.py checks this); codes inside
a range are rows only where listed in CODES. A code outside this table is refused with a message, never treated as
social by default.
"""

import re

from django.utils.translation import gettext as _

CPV_PATTERN = re.compile(r"^\d{8}-\d$")

# Annex XIV of Directive 2014/24/EU (OJ L 94, 28.3.2014, p. 128): (heading, entries); an entry is a code or a
# (first, last) range "from … to …", inclusive. Transcribed heading by heading; every check digit verified by the rule.
ANNEX_XIV = [
    (
        "Health, social and related services",
        [
            "75200000-8",
            "75231200-6",
            "75231240-8",
            "79611000-0",
            "79622000-0",
            "79624000-4",
            "79625000-1",
            ("85000000-9", "85323000-9"),
            "98133100-5",
            "98133000-4",
            "98200000-5",
            "98500000-8",
            ("98513000-2", "98514000-9"),
        ],
    ),
    (
        "Administrative social, educational, healthcare and cultural services",
        [
            "85321000-5",
            "85322000-2",
            "75000000-6",
            "75121000-0",
            "75122000-7",
            "75124000-1",
            ("79995000-5", "79995200-7"),
            ("80000000-4", "80660000-8"),
            ("92000000-1", "92700000-8"),
            "79950000-8",
            "79951000-5",
            "79952000-2",
            "79952100-3",
            "79953000-9",
            "79954000-6",
            "79955000-3",
            "79956000-0",
        ],
    ),
    ("Compulsory social security services", ["75300000-9"]),
    (
        "Benefit services",
        [
            "75310000-2",
            "75311000-9",
            "75312000-6",
            "75313000-3",
            "75313100-4",
            "75314000-0",
            "75320000-5",
            "75330000-8",
            "75340000-1",
        ],
    ),
    (
        "Other community, social and personal services including services furnished by trade unions, political "
        "organisations, youth associations and other membership organisation services",
        ["98000000-3", "98120000-0", "98132000-7", "98133110-8", "98130000-3"],
    ),
    ("Religious services", ["98131000-0"]),
    (
        "Hotel and restaurant services",
        [
            ("55100000-1", "55410000-7"),
            ("55521000-8", "55521200-0"),
            "55520000-1",
            "55522000-5",
            "55523000-2",
            "55524000-9",
            "55510000-8",
            "55511000-5",
            "55512000-2",
            "55523100-3",
        ],
    ),
    ("Legal services, to the extent not excluded by Article 10(d)", [("79100000-5", "79140000-7"), "75231100-5"]),
    (
        "Other administrative services and government services",
        [("75100000-7", "75120000-3"), "75123000-4", ("75125000-8", "75131000-3")],
    ),
    ("Provision of services to the community", [("75200000-8", "75231000-4")]),
    (
        "Prison related services, public security and rescue services, to the extent not excluded by Article 10(h)",
        [("75231210-9", "75231230-5"), ("75240000-0", "75252000-7"), "79430000-7", "98113100-9"],
    ),
    ("Investigation and security services", [("79700000-1", "79721000-4"), "79722000-1", "79723000-8"]),
    ("International services", ["98900000-2", "98910000-5"]),
    (
        "Postal services",
        [
            "64000000-6",
            "64100000-7",
            "64110000-0",
            "64111000-7",
            "64112000-4",
            "64113000-1",
            "64114000-8",
            "64115000-5",
            "64116000-2",
            "64122000-7",
        ],
    ),
    ("Miscellaneous services", ["50116510-9", "71550000-8"]),
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
    # Annex XIV codes and range ends (Dutch names as in the Dutch CPV 2008 as best known; English names of CPV 2008)
    ("50116510-9", "Coveren van banden", "Tyre-remoulding services"),
    ("55100000-1", "Hoteldiensten", "Hotel services"),
    ("55410000-7", "Beheer van bars", "Bar management services"),
    ("55510000-8", "Kantinediensten", "Canteen services"),
    (
        "55511000-5",
        "Kantinediensten en andere cafetariadiensten voor een beperkte klantenkring",
        "Canteen and other restricted-clientele cafeteria services",
    ),
    ("55512000-2", "Kantinebeheer", "Canteen management services"),
    ("55520000-1", "Cateringdiensten", "Catering services"),
    ("55521000-8", "Catering voor particuliere huishoudens", "Catering services for private households"),
    ("55521100-9", "Tafeltje-dek-je (maaltijden aan huis)", "Meals-on-wheels services"),
    ("55521200-0", "Maaltijdbezorging", "Meal delivery service"),
    ("55522000-5", "Catering voor vervoerbedrijven", "Catering services for transport enterprises"),
    (
        "55523000-2",
        "Catering voor andere bedrijven of andere instellingen",
        "Catering services for other enterprises or other institutions",
    ),
    ("55523100-3", "Verstrekken van schoolmaaltijden", "School-meal services"),
    ("55524000-9", "Catering voor scholen", "School catering services"),
    ("64000000-6", "Post- en telecommunicatiediensten", "Postal and telecommunications services"),
    ("64100000-7", "Post- en koeriersdiensten", "Post and courier services"),
    ("64110000-0", "Postdiensten", "Postal services"),
    (
        "64111000-7",
        "Postdiensten voor kranten en tijdschriften",
        "Postal services related to newspapers and periodicals",
    ),
    ("64112000-4", "Postdiensten voor brieven", "Postal services related to letters"),
    ("64113000-1", "Postdiensten voor pakketten", "Postal services related to parcels"),
    ("64114000-8", "Postloketdiensten", "Post-office counter services"),
    ("64115000-5", "Verhuur van postbussen", "Mailbox rental"),
    ("64116000-2", "Poste-restantediensten", "Poste-restante services"),
    ("64122000-7", "Interne post- en koeriersdiensten", "Internal office mail and messenger services"),
    ("71550000-8", "Smidsdiensten", "Blacksmith services"),
    (
        "75000000-6",
        "Diensten op het gebied van openbaar bestuur, defensie en sociale zekerheid",
        "Administration, defence and social security services",
    ),
    ("75100000-7", "Bestuursdiensten", "Administration services"),
    ("75120000-3", "Administratieve diensten van instanties", "Administrative services of agencies"),
    (
        "75124000-1",
        "Administratieve diensten voor recreatie, cultuur en religie",
        "Administrative recreational, cultural and religious services",
    ),
    ("75125000-8", "Administratieve diensten voor toerisme", "Administrative services related to tourism affairs"),
    ("75131000-3", "Overheidsdiensten", "Government services"),
    ("75200000-8", "Dienstverlening aan de gemeenschap", "Provision of services to the community"),
    ("75231000-4", "Gerechtelijke diensten", "Judicial services"),
    ("75231100-5", "Juridische diensten in verband met de rechtbank", "Legal services related to the courts"),
    (
        "75231200-6",
        "Diensten in verband met de opsluiting of rehabilitatie van criminelen",
        "Services related to the detention or rehabilitation of criminals",
    ),
    ("75231210-9", "Opsluitingsdiensten", "Imprisonment services"),
    ("75231230-5", "Gevangenisdiensten", "Prison services"),
    ("75231240-8", "Reclasseringsdiensten", "Probation services"),
    (
        "75240000-0",
        "Diensten voor openbare veiligheid en openbare orde",
        "Public security, law and order services",
    ),
    ("75252000-7", "Reddingsdiensten", "Rescue services"),
    ("75300000-9", "Diensten in het kader van verplichte sociale verzekering", "Compulsory social security services"),
    ("75310000-2", "Uitkeringen", "Benefit services"),
    ("75311000-9", "Uitkeringen bij ziekte", "Sickness benefits"),
    ("75312000-6", "Uitkeringen bij zwangerschap en bevalling", "Maternity benefits"),
    ("75313000-3", "Uitkeringen bij arbeidsongeschiktheid", "Disability benefits"),
    ("75313100-4", "Uitkeringen bij tijdelijke arbeidsongeschiktheid", "Temporary disablement benefits"),
    ("75314000-0", "Werkloosheidsuitkeringen", "Unemployment compensation benefits"),
    ("75320000-5", "Pensioenregelingen voor overheidspersoneel", "Government employee pension schemes"),
    ("75330000-8", "Gezinstoelagen", "Family allowances"),
    ("75340000-1", "Kinderbijslag", "Child allowances"),
    ("79430000-7", "Crisisbeheersing", "Crisis management services"),
    (
        "79950000-8",
        "Organiseren van tentoonstellingen, beurzen en congressen",
        "Exhibition, fair and congress organisation services",
    ),
    ("79951000-5", "Organiseren van seminars", "Seminar organisation services"),
    ("79952000-2", "Diensten voor evenementen", "Event services"),
    ("79952100-3", "Organiseren van culturele evenementen", "Cultural event organisation services"),
    ("79953000-9", "Organiseren van festivals", "Festival organisation services"),
    ("79954000-6", "Organiseren van feesten", "Party organisation services"),
    ("79955000-3", "Organiseren van modeshows", "Fashion shows organisation services"),
    ("79956000-0", "Organiseren van beurzen en tentoonstellingen", "Fair and exhibition organisation services"),
    ("79721000-4", "Opsporingsdiensten", "Investigation services"),
    ("79722000-1", "Grafologische diensten", "Graphology services"),
    ("98113100-9", "Diensten op het gebied van nucleaire veiligheid", "Nuclear safety services"),
    ("98120000-0", "Diensten verleend door vakbonden", "Services furnished by trade unions"),
    (
        "98130000-3",
        "Diensten verleend door diverse ledenorganisaties",
        "Miscellaneous membership organisations services",
    ),
    ("98131000-0", "Religieuze diensten", "Religious services"),
    ("98132000-7", "Diensten verleend door politieke organisaties", "Services furnished by political organisations"),
    (
        "98133100-5",
        "Diensten voor verbetering van het burgerschap en ondersteuning van gemeenschapsvoorzieningen",
        "Civic betterment and community facility support services",
    ),
    ("98200000-5", "Adviezen inzake gelijke kansen", "Equal opportunities consultancy services"),
    ("98513000-2", "Terbeschikkingstelling van personeel voor huishoudens", "Manpower services for households"),
    (
        "98900000-2",
        "Diensten verleend door extraterritoriale organisaties en instanties",
        "Services provided by extra-territorial organisations and bodies",
    ),
    (
        "98910000-5",
        "Diensten die specifiek zijn voor internationale organisaties en instanties",
        "Services specific to international organisations and bodies",
    ),
]


CHECK_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)

# Official codes whose check digit the weighting does not give ({eight digits: check digit}). The weighting is not
# stated in Regulation (EC) No 213/2008; it was derived from published codes and reproduces 252 of 253 codes read on
# 2 December 2026 (the eForms business rule BR-0075 of the EU Publications Office, which lists every code from
# 85000000-9 to 85323000-9, and a French CPV 2008 table). The one it misses is listed here, as BR-0075 writes it, so
# that an official code is never refused.
CHECK_DIGIT_EXCEPTIONS = {
    "85210000": 3,  # Domestic animal nurseries (BR-0075; the weighting would give 4)
}


def check_digit(eight_digits: str) -> int:
    """The check digit of a CPV code: the eight digits weighted 3, 7, 1, 3, 7, 1, 3, 7, summed, modulo 10, except for
    the official codes in CHECK_DIGIT_EXCEPTIONS."""
    if len(eight_digits) != 8 or not eight_digits.isdigit():
        raise ValueError(f"eight digits expected, not {eight_digits!r}")
    if eight_digits in CHECK_DIGIT_EXCEPTIONS:
        return CHECK_DIGIT_EXCEPTIONS[eight_digits]
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
