"""Recipes of audit/tests/test_services_audited.py for the demo's service (engineer D)."""

from bids import services
from core.demo import DEMO_EMAIL_DOMAIN

from .factories_b2 import register


def _confirm_demo(w):
    operator, _user = register("Demokracht", confirmed=False, contact_email=f"demokracht@{DEMO_EMAIL_DOMAIN}")
    return lambda: services.confirm_demo_operator_email(operator)


RECIPES = {"confirm_demo_operator_email": _confirm_demo}
