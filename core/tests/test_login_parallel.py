"""The login lock under parallel requests (issue #9): 20 simultaneous logins for one account used to be evaluated all
at once; the counter lost updates and the right password got in after the limit. The lock row (core.throttle) is
held from the lock check until the failure is counted, so attempts for one username are evaluated one at a time.

Real concurrent connections need PostgreSQL (SQLite serialises whole transactions and runs these tests in one
connection); the serial rules are tested in test_login.py on both databases."""

import threading

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.urls import reverse

from core import forms as login_forms
from core import throttle
from core.concurrency import run_simultaneously
from core.models import Role
from core.testing import PASSWORD, MunicipalityFactory, user_with_role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent connections"),
    pytest.mark.django_db(transaction=True),
]

LOGIN = reverse("core:login")
LOCKED = "Te veel mislukte pogingen"
WRONG = "Gebruikersnaam of wachtwoord is niet juist"


@pytest.fixture
def evaluation_order(monkeypatch):
    """Which passwords were really checked, in the order the server checked them (inside the row lock)."""
    order, guard = [], threading.Lock()
    real = login_forms.authenticate

    def recording(request, **credentials):
        user = real(request, **credentials)
        with guard:
            order.append(credentials["password"] == PASSWORD)
        return user

    monkeypatch.setattr(login_forms, "authenticate", recording)
    return order


def _attempt(username, password):
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    return response.status_code, response.content.decode(), SESSION_KEY in client.session


def test_twenty_simultaneous_wrong_passwords_are_counted_exactly_and_stop_at_the_limit(evaluation_order):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    results = run_simultaneously([lambda: _attempt(user.username, "wrong") for _ in range(20)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(evaluation_order) == throttle.MAX_FAILURES  # no password checked once the limit was reached
    assert throttle.failures(user.username) == throttle.MAX_FAILURES  # no lost update
    assert throttle.seconds_locked(user.username) > 0
    assert sum(WRONG in body for _, body, _ in results) == throttle.MAX_FAILURES - 1
    assert sum(LOCKED in body for _, body, _ in results) == 20 - (throttle.MAX_FAILURES - 1)


def test_nineteen_wrong_and_one_right_simultaneous_login_the_right_one_never_gets_in_after_the_limit(
    evaluation_order,
):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    attempts = [lambda: _attempt(user.username, "wrong") for _ in range(19)]
    attempts.insert(7, lambda: _attempt(user.username, PASSWORD))
    results = run_simultaneously(attempts)
    assert not [r for r in results if isinstance(r, Exception)], results
    right_got_in = results[7][2]
    # Evaluated one at a time: the right password was checked only while fewer than MAX_FAILURES failures counted,
    # and it gets in exactly when it was checked.
    if True in evaluation_order:
        position = evaluation_order.index(True)
        assert position < throttle.MAX_FAILURES
        assert right_got_in
        # Its login cleared the count; the wrong ones after it start again from zero and stop at the limit.
        assert len(evaluation_order) - position - 1 == throttle.MAX_FAILURES
    else:
        assert not right_got_in and LOCKED in results[7][1]
        assert len(evaluation_order) == throttle.MAX_FAILURES
    assert throttle.failures(user.username) == throttle.MAX_FAILURES  # exact: every evaluated failure counted
    assert throttle.seconds_locked(user.username) > 0
    assert sum(1 for *_, logged_in in results if logged_in) == (1 if right_got_in else 0)


def test_right_password_in_parallel_with_a_full_lock_does_not_get_in(evaluation_order):
    user = user_with_role(Role.SOCIAL_WORKER, MunicipalityFactory())
    for _ in range(throttle.MAX_FAILURES - 1):
        _attempt(user.username, "wrong")
    evaluation_order.clear()
    # One failure left before the lock: of one wrong and several right attempts at once, whichever is checked
    # first decides; after a wrong one is counted, no right one gets in.
    attempts = [lambda: _attempt(user.username, "wrong")] + [lambda: _attempt(user.username, PASSWORD)] * 5
    results = run_simultaneously(attempts)
    assert not [r for r in results if isinstance(r, Exception)], results
    if evaluation_order[0] is False:
        assert not any(logged_in for *_, logged_in in results)
        assert len(evaluation_order) == 1
    else:
        assert all(logged_in for *_, logged_in in results[1:])
