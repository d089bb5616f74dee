"""Bad input (issue #9): a deadline in year 0001 was saved on PostgreSQL, after which the manage page gave a 500 for
good. Only plausible dates are accepted, by the form (a 400 with a Dutch message) and by the service."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.testing import MunicipalityFactory, login
from tenders import services
from tenders.models import Deadline

from .factories import draft, officer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-05-01T12:00"])
def test_a_deadline_outside_plausible_years_is_a_400_and_the_manage_page_keeps_working(client, at):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    user = officer(m)
    c = draft(m, user)
    login(client, user)
    response = client.post(
        reverse("tenders:deadline_set", args=[m.cbs_code, c.pk]), {"deadline-kind": "bids", "deadline-at": at}
    )
    assert response.status_code == 400
    assert "Vul een datum in tussen 2000 en 2100" in response.content.decode()
    assert not c.deadlines.exists()
    assert client.get(reverse("tenders:manage", args=[m.cbs_code, c.pk])).status_code == 200


def test_the_service_refuses_a_deadline_in_year_one():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    user = officer(m)
    c = draft(m, user)
    with pytest.raises(ValidationError, match="between 2000 and 2100"):
        services.set_deadline(c, user, Deadline.Kind.BIDS, datetime(1, 1, 2, tzinfo=ZoneInfo("UTC")))
    assert not c.deadlines.exists()
