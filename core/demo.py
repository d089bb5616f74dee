"""Demo municipalities (Leiden, Haarlem) with their themes, a regional purchasing organisation, and demo users for
every role. Idempotent: written through core.services, which change nothing when nothing differs.

Every demo user shares one documented password (DEMO_PASSWORD, docs/demo.md). Municipal roles get a TOTP device;
`make demo` sets DEMO_SHOW_TOTP so that the login page shows the current code.
"""

from functools import cache

from django.contrib.auth.hashers import make_password

from . import services
from .models import MUNICIPAL_ROLES, Municipality, Role, RoleAssignment, User
from .otp import DEMO_DEVICE_NAME

DEMO_PASSWORD = "wijkwaarde-demo"  # noqa: S105  (documented demo password, never used outside the demo)
DEMO_EMAIL_DOMAIN = "demo.wijkwaarde.example"  # RFC 2606 reserved: no mail ever leaves for it
ACTOR = "demo"

# Design tokens (NL Design System `--basis-*` overrides, without the leading "--"). Not the municipalities' own
# token packages (docs/adr/0002-design-tokens.md): Leiden-like red, Haarlem-like blue-green.
LEIDEN_TOKENS = {
    "basis-color-action-1-inverse-bg-default": "#c8102e",
    "basis-color-action-1-inverse-bg-hover": "#9b1c1f",
    "basis-color-action-1-inverse-color-default": "#ffffff",
    "basis-color-action-1-border-default": "#c8102e",
    "basis-color-action-1-color-default": "#c8102e",
    "basis-color-action-2-color-default": "#a6192e",
    "basis-color-action-2-color-hover": "#7a0c14",
    "basis-heading-color": "#7a0c14",
    "basis-color-accent-1-bg-default": "#fbe9ea",
    "basis-color-default-color-document": "#1a1a1a",
    "basis-color-default-bg-document": "#ffffff",
}
HAARLEM_TOKENS = {
    "basis-color-action-1-inverse-bg-default": "#00607a",
    "basis-color-action-1-inverse-bg-hover": "#004a5e",
    "basis-color-action-1-inverse-color-default": "#ffffff",
    "basis-color-action-1-border-default": "#00607a",
    "basis-color-action-1-color-default": "#00607a",
    "basis-color-action-2-color-default": "#005a87",
    "basis-color-action-2-color-hover": "#003d5c",
    "basis-heading-color": "#003d5c",
    "basis-color-accent-1-bg-default": "#e6f1f5",
    "basis-color-default-color-document": "#1a1a1a",
    "basis-color-default-bg-document": "#ffffff",
}

# (foreground token, background token): pairs that are read as text; each must reach WCAG AA 4.5:1.
CONTRAST_PAIRS = [
    ("basis-color-action-1-inverse-color-default", "basis-color-action-1-inverse-bg-default"),  # primary button
    ("basis-color-action-1-inverse-color-default", "basis-color-action-1-inverse-bg-hover"),  # ... hovered
    ("basis-color-action-1-color-default", "basis-color-default-bg-document"),  # secondary button
    ("basis-color-action-2-color-default", "basis-color-default-bg-document"),  # link
    ("basis-color-action-2-color-hover", "basis-color-default-bg-document"),  # hovered link
    ("basis-heading-color", "basis-color-default-bg-document"),  # headings
    ("basis-color-default-color-document", "basis-color-default-bg-document"),  # body text
    ("basis-color-default-color-document", "basis-color-accent-1-bg-default"),  # footer text
]

MUNICIPALITIES = [
    ("GM0546", "Leiden", LEIDEN_TOKENS),
    ("GM0392", "Haarlem", HAARLEM_TOKENS),
]
PURCHASING_ORGANISATION = "Inkooporganisatie Holland Rijnland (demo)"

# Addresses and contact points published with the procedures (OCDS `parties`): fictional but plausible demo
# values, not the municipalities' real contact details; e-mail goes to the reserved demo domain.
CONTACTS = {
    "GM0546": {
        "street_address": "Stadhuisplein 1",
        "postal_code": "2311 EJ",
        "locality": "Leiden",
        "contact_name": "Team Inkoop Sociaal Domein",
        "contact_email": f"inkoop.leiden@{DEMO_EMAIL_DOMAIN}",
        "contact_telephone": "+31 71 555 0100",
    },
    "GM0392": {
        "street_address": "Grote Markt 2",
        "postal_code": "2011 RD",
        "locality": "Haarlem",
        "contact_name": "Team Inkoop Sociaal Domein",
        "contact_email": f"inkoop.haarlem@{DEMO_EMAIL_DOMAIN}",
        "contact_telephone": "+31 23 555 0100",
    },
    PURCHASING_ORGANISATION: {
        "street_address": "Schipholweg 128",
        "postal_code": "2316 XD",
        "locality": "Leiden",
        "contact_name": "Inkoopadviseur Sociaal Domein",
        "contact_email": f"inkoop.hollandrijnland@{DEMO_EMAIL_DOMAIN}",
        "contact_telephone": "+31 71 555 0200",
    },
}

# Username part per municipal role (the provider representatives come with the landscape demo).
ROLE_USERNAMES = {
    Role.POLICY_ADVISOR: ("beleid", "Beleidsadviseur"),
    Role.PROCUREMENT_OFFICER: ("inkoop", "Inkoper"),
    Role.EVALUATOR: ("beoordelaar", "Beoordelaar"),
    Role.CONTRACT_MANAGER: ("contract", "Contractmanager"),
    Role.SOCIAL_WORKER: ("wijkwerker", "Wijkwerker"),
    Role.AUDITOR: ("auditor", "Auditor"),
    Role.ADMINISTRATOR: ("beheer", "Beheerder"),
}


@cache
def _password_hash() -> str:
    # Hashing is deliberately slow: do it once per process, and only when a demo user is created.
    return make_password(DEMO_PASSWORD)


def demo_user(username: str, *, first_name: str, last_name: str, role: str, **scope) -> User:
    """A demo login: the user, their role (for `scope`: municipality=…, purchasing_organisation=…, organisation=…)
    and, for municipal roles, a TOTP device. Other stages' demos use this for their own demo users."""
    is_new = not User.objects.filter(username=username).exists()
    user = services.upsert_user(
        username,
        password_hash=_password_hash() if is_new else None,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@{DEMO_EMAIL_DOMAIN}",
        actor=ACTOR,
    )
    services.assign_role(user, role, actor=ACTOR, **scope)
    if role in MUNICIPAL_ROLES:
        services.ensure_totp_device(user, name=DEMO_DEVICE_NAME, actor=ACTOR)
    return user


def municipality(cbs_code: str) -> Municipality:
    return Municipality.objects.get(cbs_code=cbs_code)


def load(stdout) -> None:
    loaded = {}
    for code, name, tokens in MUNICIPALITIES:
        loaded[code] = services.upsert_municipality(
            code, name=name, design_tokens=tokens, contact=CONTACTS[code], actor=ACTOR
        )
    purchasing = services.upsert_purchasing_organisation(
        PURCHASING_ORGANISATION,
        municipalities=[loaded["GM0546"]],
        contact=CONTACTS[PURCHASING_ORGANISATION],
        actor=ACTOR,
    )
    for m in loaded.values():
        prefix = m.name.lower()
        for role, (part, label) in ROLE_USERNAMES.items():
            demo_user(f"{prefix}.{part}", first_name=label, last_name=m.name, role=role, municipality=m)
    demo_user(
        "hr.inkoop",
        first_name="Inkoper",
        last_name="Holland Rijnland",
        role=Role.PROCUREMENT_OFFICER,
        purchasing_organisation=purchasing,
    )
    stdout.write(f"core: {len(loaded)} municipalities, 1 purchasing organisation, demo users for every role")


def logins() -> list[dict]:
    """Every demo login with its role and scope, for the table `load_demo` prints."""
    rows = []
    assignments = (
        RoleAssignment.objects.filter(user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        .select_related("user", "municipality", "purchasing_organisation", "organisation")
        .order_by("municipality__name", "purchasing_organisation__name", "role", "user__username")
    )
    for a in assignments:
        scope = a.municipality.name if a.municipality else f"{a.purchasing_organisation.name}"
        rows.append(
            {
                "username": a.user.username,
                "role": str(a.get_role_display()),
                "municipality": scope,
                "organisation": a.organisation.name if a.organisation else "",
                "password": DEMO_PASSWORD,
                "totp": a.role in MUNICIPAL_ROLES,
            }
        )
    return rows


def print_logins(stdout) -> None:
    rows = logins()
    if not rows:
        return
    headers = {"username": "gebruikersnaam", "role": "rol", "municipality": "gemeente", "password": "wachtwoord"}
    table = [
        {
            **r,
            "role": r["role"] + (" (TOTP)" if r["totp"] else ""),
            "municipality": r["municipality"] + (f" – {r['organisation']}" if r["organisation"] else ""),
        }
        for r in rows
    ]
    widths = {k: max(len(h), *(len(str(r[k])) for r in table)) for k, h in headers.items()}
    line = "  ".join(h.ljust(widths[k]) for k, h in headers.items())
    stdout.write("")
    stdout.write("Demo-logins (TOTP: de inlogpagina toont de code bij `make demo`):")
    stdout.write(line)
    stdout.write("-" * len(line))
    for r in table:
        stdout.write("  ".join(str(r[k]).ljust(widths[k]) for k in headers))
