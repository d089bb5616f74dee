"""ADR 0011: the migration that replaces `Candidate.consortium_name` keeps every candidate's shown name as its
stored display name and records its organisation as the lead, then drops the column; and back again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.testing import MunicipalityFactory
from tenders.models import Candidate, Route

from .factories import draft, officer, provider

BEFORE = [("tenders", "0010_criterion_minimum_and_lot_kpis")]
AFTER = [("tenders", "0011_candidate_display_name_and_members")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    """Forward through AFTER to every app's latest migration: going back to BEFORE also unapplied the later
    migrations of tenders and of the apps that depend on it, and the tests after this one need them."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_typed_consortium_name_becomes_the_stored_display_name():
    m = MunicipalityFactory()
    c = draft(m, officer(m), route=Route.PRESELECTION)
    _rep, named = provider(m, "Wijkkracht")
    _rep, alone = provider(m, "Buurtwerk")
    try:
        old = _migrate(BEFORE).get_model("tenders", "Candidate")
        old.objects.create(commissioning_id=c.pk, organisation_id=named.pk, consortium_name="  Samen Sterk ")
        old.objects.create(commissioning_id=c.pk, organisation_id=alone.pk, consortium_name="")
    finally:
        _migrate_to_latest()
    got = {k.organisation_id: k for k in Candidate.objects.all()}
    assert (got[named.pk].name, got[named.pk].lead_name, got[named.pk].is_consortium) == (
        "Samen Sterk",
        "Stichting Wijkkracht",
        True,
    )
    assert got[named.pk].members == [{"name": "Stichting Wijkkracht", "ring": 0, "role": "", "registration": ""}]
    assert (got[alone.pk].name, got[alone.pk].is_consortium) == ("Stichting Buurtwerk", False)
    # Back: the name returns as a typed consortium name only where it differed from the organisation's.
    try:
        old = _migrate(BEFORE).get_model("tenders", "Candidate")
        assert dict(old.objects.values_list("organisation_id", "consortium_name")) == {
            named.pk: "Samen Sterk",
            alone.pk: "",
        }
    finally:
        _migrate_to_latest()
