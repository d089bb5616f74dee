"""Who applied in a grant register: a private individual (whose name is never stored) or an organisation (whose
legal form is read from its name).

Privacy: grant registers also list private individuals (e.g. a resident's street party). Their names are personal
data and are never stored. An applicant counts as a private individual (`is_private_individual`) when
- a column such as "Type aanvrager" or "Particulier" says so ("particulier", "natuurlijk persoon", "ja"), or the
  municipality already anonymised the name ("Particulier", "Anoniem", "N.N."); otherwise, when
- the name holds no legal-form or organisation word (stichting, vereniging, BV, coöperatie, VOF, buurt, huis, club, …)
  and looks like a person's name: a title (Dhr., Mevr., Fam.), initials and a surname ("J. de Vries", "A.B. Jansen"),
  "Surname, initials", or first name(s), a Dutch name particle and a surname ("Jan de Vries", "Anna van den Berg").
A type column saying "organisatie", or a KvK number, overrules the name rule (a plain "Jan Jansen" is not caught:
it cannot be told from an organisation called "Humanitas Leiden"; registers that name people should say so in a
type column). Rows of private individuals are added up per scheme and
year under one anonymous organisation per municipality, PRIVATE_APPLICANTS_NAME; only the number of such rows is
reported (and recorded in the audit event), never a name.
"""

import re

from ..models import Organisation

PRIVATE_APPLICANTS_NAME = "Particuliere aanvragers"
PRIVATE_APPLICANTS = {
    "kind": Organisation.Kind.SELF_ORGANISATION,
    "legal_form": Organisation.LegalForm.INFORMAL,
    "description": "Subsidies aan particulieren uit het subsidieregister, per regeling en jaar opgeteld. "
    "Namen van personen worden niet opgeslagen.",
}
PRIVATE_TYPE_WORDS = {
    "particulier",
    "particulieren",
    "natuurlijk persoon",
    "prive",
    "privé",
    "persoon",
    "inwoner",
    "bewoner",
    "ja",
    "j",
    "x",
}
ORGANISATION_TYPE_WORDS = {"organisatie", "rechtspersoon", "stichting", "vereniging", "bedrijf", "nee", "n"}
ANONYMISED = re.compile(r"^(particulier(en)?|anoniem|geanonimiseerd|n\.?\s?n\.?|privacy|afgeschermd)\b", re.I)
ORGANISATION_WORDS = re.compile(
    r"(stichting|\bstg\b|vereniging|\bver\.|\bvzw\b|\bb\.?\s?v\.?(?!\w)|\bn\.?\s?v\.?(?!\w)|co[öo]peratie|\bu\.?a\.?(?!\w)|"
    r"\bv\.?o\.?f\.?(?!\w)|\bc\.?v\.?(?!\w)|maatschap|fonds|kerk|parochie|moskee|gemeente|school|club|bond|federatie|"
    r"raad\b|comit[ée]|collectief|platform|werkgroep|buurt|wijk|bewoners|huis|centrum|museum|theater|koor|orkest|"
    r"\bteam|netwerk|organisatie|verband|welzijn|zorg|sport|festival|atelier|bibliotheek|speeltuin|boerderij|"
    r"vrienden|jongeren|ouderen|kinder|foundation|association|\bgroep|project|initiatief|kring|academie|\bs\.?v\.?\b|"
    r"&|\d)",
    re.I,
)
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|in|op|la|le|du|da|di|el|al|bin|ben|von|zu)"
_WORD = r"[A-ZÀ-Þ][a-zß-ÿ']+(?:-[A-ZÀ-Þ][a-zß-ÿ']+)?"
PERSON_PATTERNS = [
    re.compile(r"^(dhr|mevr|mw|mr|dr|ir|drs|ing|de heer|mevrouw|fam|familie)\.?\s", re.I),
    re.compile(rf"^(?:[A-Z]\.\s?){{1,5}}\s*(?:{_PARTICLE}\s+)*{_WORD}$"),
    re.compile(rf"^{_WORD},\s*(?:[A-Z]\.\s?){{1,5}}(?:\s*{_PARTICLE})*$"),
    re.compile(rf"^{_WORD}(?:\s+{_WORD})?(?:\s+{_PARTICLE})+\s+{_WORD}$"),
]


def is_private_individual(name: str, applicant_type: str = "", kvk_number: str = "") -> bool:
    """Whether a register row names a private individual (the rule is in the module docstring)."""
    kind = applicant_type.strip().lower()
    if kind in PRIVATE_TYPE_WORDS:
        return True
    if ANONYMISED.match(name.strip()):
        return True
    if kind in ORGANISATION_TYPE_WORDS or kvk_number or ORGANISATION_WORDS.search(name):
        return False
    return any(p.match(name.strip()) for p in PERSON_PATTERNS)


def legal_form_from_name(name: str) -> str:
    lowered = name.lower()
    rules = [
        (r"stichting|\bstg\b", Organisation.LegalForm.FOUNDATION),
        (r"vereniging|\bver\.", Organisation.LegalForm.ASSOCIATION),
        (r"co[öo]peratie|\bu\.?a\.?(?!\w)", Organisation.LegalForm.COOPERATIVE),
        (r"\bb\.?\s?v\.?(?!\w)", Organisation.LegalForm.PRIVATE_COMPANY),
        (r"\bv\.?o\.?f\.?(?!\w)|\bn\.?\s?v\.?(?!\w)|\bc\.?v\.?(?!\w)|maatschap", Organisation.LegalForm.OTHER),
    ]
    return next((form for pattern, form in rules if re.search(pattern, lowered)), "")
