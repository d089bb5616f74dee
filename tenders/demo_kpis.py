"""The KPIs of the Leiden demo lots (tenders.demo): realistic targets for monitoring to build on."""

# Lot → its KPIs: (name, how it is measured, target, unit, reporting frequency).
LEIDEN_KPIS = {
    "Samen Opgroeien": [
        (
            "Jongeren bereikt",
            "Unieke jongeren (12–23) per jaar in jongerenwerk, uit de registratie",
            1800,
            "jongeren",
            "half_yearly",
        ),
        (
            "Ouders tevreden over opvoedsteun",
            "Aandeel ouders dat de steun een 7 of hoger geeft (jaarlijkse enquête)",
            80,
            "%",
            "yearly",
        ),
        (
            "Jonge mantelzorgers in beeld",
            "Jonge mantelzorgers met een vast steunpunt, per kwartaal geteld",
            150,
            "jongeren",
            "quarterly",
        ),
    ],
    "Samen Meedoen": [
        (
            "Minder eenzaamheid",
            "Deelnemers die na een half jaar minder eenzaamheid melden (De Jong Gierveld-schaal)",
            60,
            "%",
            "half_yearly",
        ),
        (
            "Mantelzorgers ondersteund",
            "Mantelzorgers met respijtzorg of een steungesprek, uit de registratie",
            900,
            "mantelzorgers",
            "quarterly",
        ),
    ],
    "Basiskracht": [
        (
            "Geldvragen snel opgepakt",
            "Aandeel vragen bij het informatiepunt geldvragen met een eerste gesprek binnen 5 werkdagen",
            90,
            "%",
            "monthly",
        ),
        (
            "Actieve vrijwilligers",
            "Vrijwilligers die minstens maandelijks actief zijn, op de peildatum",
            650,
            "vrijwilligers",
            "half_yearly",
        ),
        (
            "Schulden voorkomen",
            "Huishoudens die binnen een jaar na hulp niet bij schuldhulpverlening instromen",
            85,
            "%",
            "yearly",
        ),
    ],
}
