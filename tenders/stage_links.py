"""Links from one stage's page to the pages of later stages (ADR 0007: tenders imports no later app). The manage
page of a commissioning shows the opening, the evaluation and the contract without knowing those apps:

    from tenders import stage_links

    @stage_links.register
    def opening(commissioning, user, municipality) -> list[stage_links.Link]:
        if not may_see_opening(user, commissioning):
            return []
        return [stage_links.Link(_("Opening of the bids"), reverse("bids:opening", args=[...]))]

A provider returns only the links `user` may follow (the page shows what it is given) and only reads. `municipality`
is the one in the page's URL: build the links with its CBS code and check roles for it. Register in the providing
app's `AppConfig.ready`.

A later app may offer the same plug point on its own page under another place name (bids offers
`bids.stage_links.SUBMISSION`, where evaluation links a bidder's award letter): `register(fn, place=...)`, and
`links(subject, user, municipality, place=...)` on the page; the subject is then that page's object.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .registry import Registry

MANAGE = "tenders.manage"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


Provider = Callable[[object, object, object], list[Link]]
providers = Registry("tenders.stage_links")  # keyed by place


def register(fn: Provider | None = None, *, place: str = MANAGE):
    """Decorator (bare, or with `place=`): add `fn(subject, user, municipality) -> list[Link]` to a page; registering
    the same function twice has no effect."""

    def add(fn: Provider) -> Provider:
        return providers.add(fn, key=place)

    return add(fn) if fn is not None else add


def unregister(fn: Provider, *, place: str = MANAGE) -> None:
    providers.remove(fn, key=place)


def links(subject, user, municipality, *, place: str = MANAGE) -> list[Link]:
    """Every provider's links for `subject`, in the order of registration (INSTALLED_APPS through `ready`)."""
    found: list[Link] = []
    for provider in providers.functions(place):
        found.extend(provider(subject, user, municipality))
    return found
