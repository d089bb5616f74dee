"""Bad input (issue #9): four simultaneous "new scenario" posts with one name gave an IntegrityError (500). The unique
constraint decides; the losers get the form error "already exists" and nothing half-written."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from continuity import services
from continuity.forms import ScenarioCreateForm
from continuity.models import Scenario
from core.concurrency import run_simultaneously
from core.models import Role
from core.testing import login, user_with_role

from . import landscape_fixture


@pytest.mark.django_db
def test_a_name_taken_between_form_check_and_save_is_a_form_error_not_a_500(client, monkeypatch):
    m, *_ = landscape_fixture.build()
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    services.create_scenario(municipality=m, name="Aanbesteding", kind=Scenario.Kind.TENDER)
    # The race: the form's and the model's uniqueness checks ran before the other request saved.
    monkeypatch.setattr(ScenarioCreateForm, "clean_name", lambda self: self.cleaned_data["name"])
    monkeypatch.setattr(Scenario, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(Scenario, "validate_constraints", lambda self, exclude=None: None)
    response = client.post(reverse("continuity:create", args=[m.cbs_code]), {"name": "Aanbesteding", "kind": "tender"})
    assert response.status_code == 200
    assert "Er bestaat al een scenario met deze naam" in response.content.decode()
    assert Scenario.objects.filter(name="Aanbesteding").count() == 1
    assert AuditEvent.objects.filter(action="continuity.create").count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_four_simultaneous_new_scenarios_with_one_name_give_one_scenario_and_three_form_errors():
    m, *_ = landscape_fixture.build()
    advisor = user_with_role(Role.POLICY_ADVISOR, m)
    clients = [login(Client(), advisor) for _ in range(4)]
    url = reverse("continuity:create", args=[m.cbs_code])
    results = run_simultaneously([lambda c=c: c.post(url, {"name": "Eén naam", "kind": "tender"}) for c in clients])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status_code for r in results) == [200, 200, 200, 302]
    for r in results:
        if r.status_code == 200:  # the form's, the model's or the service's check, whichever saw the winner first
            assert "bestaat al" in r.content.decode()
    assert Scenario.objects.filter(municipality=m, name="Eén naam").count() == 1
    assert AuditEvent.objects.filter(action="continuity.create").count() == 1
