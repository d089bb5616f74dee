import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Domain tests match the English source messages; pages are requested in Dutch (the default) as users see them."""
    with translation.override("en"):
        yield
