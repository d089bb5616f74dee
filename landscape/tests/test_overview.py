import pytest
from django.urls import reverse

from core.testing import MunicipalityFactory


@pytest.mark.django_db
def test_overview_is_public_and_in_dutch(client):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    response = client.get(reverse("landscape:overview", args=[m.cbs_code]))
    assert response.status_code == 200
    assert "Leiden" in response.content.decode()


@pytest.mark.django_db
def test_overview_of_unknown_municipality_is_404(client):
    assert client.get(reverse("landscape:overview", args=["GM9999"])).status_code == 404
