"""The municipality navigation, assembled from every app's `navigation.py`.

An app lists its entries as `ITEMS = [NavItem(...), ...]`; the context processor shows the entries the current user
may use (public ones to everyone, role entries only to holders of those roles for the municipality, with a verified
second factor), in the order of INSTALLED_APPS. One place, so every page of a municipality shows the same menu.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import reverse

from .access import has_role, needs_second_factor


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str  # reversed with the municipality's CBS code
    roles: frozenset = field(default_factory=frozenset)  # empty: public


@cache
def _registered() -> tuple[NavItem, ...]:
    items = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.navigation":
                raise
            continue
        items.extend(getattr(module, "ITEMS", []))
    return tuple(items)


def _may_use(user, item: NavItem, municipality) -> bool:
    if not item.roles:
        return True
    if not user.is_authenticated:
        return False
    if needs_second_factor(user) and not user.is_verified():
        return False
    return has_role(user, item.roles, municipality)


def municipality_menu(request, municipality) -> list[dict]:
    if municipality is None:
        return []
    menu = [
        {"label": item.label, "url": reverse(item.url_name, args=[municipality.cbs_code]), "current": ""}
        for item in _registered()
        if _may_use(request.user, item, municipality)
    ]
    # The current entry: the page itself, or else the longest entry whose URL is a prefix of the page's (a profile
    # page belongs to "Organisations", not to the overview whose URL is a prefix of everything).
    path = request.path
    exact = [m for m in menu if m["url"] == path]
    if exact:
        exact[0]["current"] = "page"
    else:
        sections = [m for m in menu if path.startswith(m["url"] + "/")]
        if sections:
            max(sections, key=lambda m: len(m["url"]))["current"] = "true"
    return menu
