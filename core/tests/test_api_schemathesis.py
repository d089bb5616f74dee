"""Property-based tests of the public API against its own OpenAPI document (issue #9): schemathesis generates requests
for every operation of /api/v1/openapi.json (valid and invalid parameters) and checks that none gives a server error
and that every response conforms to the schema (status code, content type, body).

Bounded: a few examples per operation, so the module runs in about a minute within `make test`."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from core.models import Role
from core.testing import MunicipalityFactory, user_with_role

EXAMPLES_PER_OPERATION = 12


def _schema():
    # The OpenAPI document is generated from the code (drf-spectacular): reading it needs no database, once the public
    # page cache (which asks the database for the pages' version) is off for this one request at import time.
    from django.core.wsgi import get_wsgi_application
    from django.test import override_settings

    with override_settings(PUBLIC_CACHE_SECONDS=0):
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application directly; Django would close the database connection after every
    request, and with it the test's transaction (PostgreSQL). Django's own test client does the same as this."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _data(db, _keep_the_test_connection):
    """Some open data to find: a small landscape in Leiden and a second municipality."""
    from continuity.tests import landscape_fixture

    landscape_fixture.build(code="GM0546", name="Leiden")
    MunicipalityFactory(cbs_code="GM0363", name="Amsterdam")
    user_with_role(Role.POLICY_ADVISOR, MunicipalityFactory(cbs_code="GM0546"))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_gives_no_server_error_and_conforms_to_its_schema(case):
    # Every check (no server error; status code, content type, headers and body as documented; authentication)
    # except two about how strict the API is, not whether it is right: "negative data rejected" (the filters are
    # lenient on purpose: a repeated or empty parameter is ignored, as django-filter does) and "positive data
    # accepted" (a well-formed but unknown municipality or district code is a documented 400 by design).
    case.call_and_validate(
        excluded_checks=[schemathesis.checks.negative_data_rejection, schemathesis.checks.positive_data_acceptance]
    )


# Stateful: schemathesis follows the OpenAPI links of the document (every list links to its detail, core.api_docs),
# so it walks from a list to the objects it returned, as a client would.
LENIENT_BY_DESIGN = [schemathesis.checks.negative_data_rejection, schemathesis.checks.positive_data_acceptance]


class APIWorkflow(schema.as_state_machine()):
    calls: list = []

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        APIWorkflow.calls.append((case.operation.label, response.status_code))
        case.validate_response(response, excluded_checks=LENIENT_BY_DESIGN, transport_kwargs=kwargs)


def test_api_workflows_follow_the_links_without_server_errors():
    from schemathesis.generation.stateful import run_state_machine_as_test

    assert APIWorkflow.bundles, "the OpenAPI document has no links to follow"
    run_state_machine_as_test(
        APIWorkflow,
        settings=settings(
            max_examples=10,
            stateful_step_count=4,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        ),
    )
    details = {label for label, status in APIWorkflow.calls if "{" in label and status == 200}
    assert details, f"no detail reached through a link: {sorted(set(APIWorkflow.calls))[:20]}"
