"""Reference data of tenders: dated European thresholds for municipalities (sub-central contracting authorities),
the library of award criteria for the social base, each with an anchored 0/25/50/75/100 scale, and the CPV codes
(tenders/cpv_data.py).

Seeded by migration 0002 and again after every migrate and flush (post_migrate), so that transactional tests and a
fresh database always have it; update_or_create keeps it idempotent.
"""

from decimal import Decimal

from django.apps import apps as global_apps

from .cpv_data import seed_cpv

THRESHOLDS = [
    # (category, amount, valid_from, valid_until, source): the thresholds of Directive 2014/24/EU art. 4 for
    # sub-central contracting authorities, as revised every two years by a Commission delegated regulation.
    ("social", "750000", "2016-04-18", "2025-12-31", "Aw 2012 art. 2.38 / Richtlijn 2014/24/EU art. 4(d)"),
    (
        "social",
        "750000",
        "2026-01-01",
        "2027-12-31",
        "Richtlijn 2014/24/EU art. 4(d); Gedelegeerde Verordening (EU) 2025/2152 (2026–2027)",
    ),
    ("general", "209000", "2016-01-01", "2017-12-31", "EU-drempel decentrale overheden, diensten 2016–2017"),
    ("general", "221000", "2018-01-01", "2019-12-31", "EU-drempel decentrale overheden, diensten 2018–2019"),
    ("general", "214000", "2020-01-01", "2021-12-31", "EU-drempel decentrale overheden, diensten 2020–2021"),
    ("general", "215000", "2022-01-01", "2023-12-31", "EU-drempel decentrale overheden, diensten 2022–2023"),
    ("general", "221000", "2024-01-01", "2025-12-31", "EU-drempel decentrale overheden, diensten 2024–2025"),
    (
        "general",
        "216000",
        "2026-01-01",
        "2027-12-31",
        "EU-drempel decentrale overheden, diensten 2026–2027; Gedelegeerde Verordening (EU) 2025/2152",
    ),
]

LIBRARY = [
    (
        "subcontracting-small-organisations",
        "Onderaanneming van kleine organisaties",
        "Welk deel van het perceelbudget besteedt de inschrijver bij organisaties in de tweede en derde schil "
        "(vrijwilligersorganisaties met betaalde krachten, zelforganisaties, sociaal ondernemers), en voor hoe lang?",
        {
            0: "Geen toezegging aan organisaties in de tweede of derde schil.",
            25: "Minder dan 5% van het budget, of alleen contracten van één jaar.",
            50: "5–10% van het budget, met contracten van ten minste twee jaar.",
            75: "10–20% van het budget, met contracten voor de hele initiële looptijd.",
            100: "Meer dan 20% van het budget, met contracten voor de hele looptijd, benoemde organisaties en "
            "afspraken over betaaltermijnen en cofinanciering.",
        },
    ),
    (
        "continuity-volunteers-staff",
        "Continuïteit van huidige vrijwilligers en medewerkers",
        "Hoe behoudt de inschrijver de huidige vrijwilligers, medewerkers en lopende activiteiten bij de overgang?",
        {
            0: "Geen aanpak voor de overgang.",
            25: "Algemene intentie zonder concrete afspraken.",
            50: "Aanbod aan medewerkers en een plan voor vrijwilligers, zonder termijnen.",
            75: "Concreet overnameaanbod, plan per activiteit en termijnen voor de overgang.",
            100: "Als 75, en afspraken met de huidige organisaties en vrijwilligers zelf, met behoud van "
            "cofinanciering door fondsen.",
        },
    ),
    (
        "cooperation-district-teams",
        "Samenwerking met de sociale wijkteams",
        "Hoe werkt de inschrijver samen met de sociale wijkteams: doorverwijzen, terugverwijzen, overleg?",
        {
            0: "Geen samenwerking beschreven.",
            25: "Samenwerking genoemd, niet uitgewerkt.",
            50: "Afspraken over doorverwijzing in één richting.",
            75: "Afspraken over door- en terugverwijzing en vast overleg per wijk.",
            100: "Als 75, met gedeelde doelen per wijk en een aanpak om de druk op de wijkteams te verlagen.",
        },
    ),
    (
        "prevention",
        "Preventie",
        "Welk deel van de activiteiten is preventief, en hoe verwijst de inschrijver naar informele zorg?",
        {
            0: "Geen preventieve activiteiten.",
            25: "Preventie genoemd zonder activiteiten of aandeel.",
            50: "Benoemde preventieve activiteiten, zonder meetbaar doel.",
            75: "Benoemde preventieve activiteiten met een meetbaar doel per wijk.",
            100: "Als 75, met een aanpak voor verwijzing naar informele zorg en betrokkenheid van inwoners.",
        },
    ),
    (
        "professionals-consulted",
        "Inbreng van sociaal werkers",
        "Hoe betrekt de inschrijver de sociaal werkers bij het plan en de uitvoering?",
        {
            0: "Niet beschreven.",
            25: "Eenmalige raadpleging.",
            50: "Periodieke raadpleging zonder gevolgen voor het plan.",
            75: "Periodieke raadpleging met zichtbare gevolgen voor het plan.",
            100: "Als 75, met een wijkplan voor tien jaar dat samen met sociaal werkers en bewoners is opgesteld.",
        },
    ),
]


def seed(apps=None, **kwargs):
    """Idempotent: run by migration 0002 and after every migrate/flush (post_migrate, see apps.py)."""
    apps = apps or global_apps
    Threshold = apps.get_model("tenders", "Threshold")
    LibraryCriterion = apps.get_model("tenders", "LibraryCriterion")
    dated = any(f.name == "valid_until" for f in Threshold._meta.get_fields())  # not yet in migration 0002
    for category, amount, valid_from, valid_until, source in THRESHOLDS:
        defaults = {"amount": Decimal(amount), "source": source} | ({"valid_until": valid_until} if dated else {})
        Threshold.objects.update_or_create(category=category, valid_from=valid_from, defaults=defaults)
    for code, title, description, anchors in LIBRARY:
        LibraryCriterion.objects.update_or_create(
            code=code,
            defaults={"title": title, "description": description, "anchors": {str(k): v for k, v in anchors.items()}},
        )
    try:
        apps.get_model("tenders", "CPVCode")
    except LookupError:  # migration 0002 runs before the CPV table exists
        return
    seed_cpv(apps)
