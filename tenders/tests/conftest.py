import pytest
from django.utils import translation

from core.testing import MunicipalityFactory
from tenders import guards

from .factories import officer


@pytest.fixture(autouse=True)
def _english_messages():
    """Domain tests match the English source messages; pages are requested in Dutch (the default) as users see them."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _procedure_without_later_stages():
    """tenders' tests walk the procedure as tenders defines it; the guards that bids and evaluation register (e.g.
    "open the bids first", "a definitive award per lot") are tested in those apps (ADR 0007)."""
    with guards.only_from("tenders"):
        yield


@pytest.fixture
def m():
    """Leiden, the municipality of most tenders tests (a module defines its own `m` where it needs another)."""
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.fixture
def user(m):
    """A procurement officer of `m`."""
    return officer(m)
