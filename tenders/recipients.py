"""Who is told when a procedure is cancelled: every candidate and every tenderer (Directive 2014/24/EU art. 55(1)),
and in a grant round every applicant. Tenders knows its own candidates; later stages (bids: the tenderers and the
grant applicants) add theirs without tenders importing them (ADR 0007):

    from tenders import recipients

    @recipients.register
    def bidders(commissioning) -> list[recipients.Recipient]:
        return [recipients.Recipient(recipients.TENDERER, s.operator.name, s.operator.email, ...) for s in ...]

Register in the providing app's `AppConfig.ready` (bids/recipients.py registers the submitters of bids and
requests). A provider only reads. The cancel service asks every provider inside its transaction and writes one
`CancellationNotice` per recipient; an organisation (or, without one, an e-mail address) that several providers name
is told once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Route
from .notice_models import CancellationNotice
from .registry import Registry

CANDIDATE = CancellationNotice.Kind.CANDIDATE
TENDERER = CancellationNotice.Kind.TENDERER
APPLICANT = CancellationNotice.Kind.APPLICANT


@dataclass(frozen=True)
class Recipient:
    kind: str
    name: str
    email: str = ""
    user: object = None
    organisation_id: int | None = None

    @property
    def key(self) -> tuple:
        return ("organisation", self.organisation_id) if self.organisation_id else ("email", self.email.lower())


Provider = Callable[[object], list[Recipient]]
providers = Registry("tenders.recipients")


def register(fn: Provider) -> Provider:
    """Decorator: add `fn(commissioning) -> list[Recipient]`; registering the same function twice has no effect."""
    return providers.add(fn)


def unregister(fn: Provider) -> None:
    providers.remove(fn)


def candidates(commissioning) -> list[Recipient]:
    """The organisations that applied in a selection stage (in a grant round an applicant's application)."""
    kind = APPLICANT if commissioning.route == Route.GRANT_ROUND else CANDIDATE
    return [
        Recipient(kind, c.name, getattr(c.applied_by, "email", "") or "", c.applied_by, c.organisation_id)
        for c in commissioning.candidates.select_related("organisation", "applied_by")
    ]


def recipients(commissioning) -> list[Recipient]:
    """Every recipient of the built-in candidates and of each registered provider, each once, in that order. In a
    grant round everyone who applied is an applicant, whatever the provider called them."""
    seen, found = set(), []
    for provider in [candidates, *providers.functions()]:
        for recipient in provider(commissioning):
            if commissioning.route == Route.GRANT_ROUND and recipient.kind != APPLICANT:
                recipient = Recipient(
                    APPLICANT, recipient.name, recipient.email, recipient.user, recipient.organisation_id
                )
            if recipient.key not in seen:
                seen.add(recipient.key)
                found.append(recipient)
    return found
