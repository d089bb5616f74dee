"""Recipes of audit/tests/test_services_audited.py for B1's services (sealing key, drafts, submission): each takes the
test's world (municipality `m`, procurement officer `officer`) and returns the call that is watched."""

from bids import services
from bids.models import CommissioningKey
from tenders.tests.factories import published

from .factories_b1 import leaf_criteria, make_operator, pdf_bytes
from .factories_b2 import no_exclusion_grounds


def _draft(w):
    c = published(w.m, user=w.officer)
    operator, user = make_operator("Wijkkracht")
    draft = services.create_submission(user, operator, c, kind="bid", lot=c.lots.first())
    services.declare(draft.participations.get(ring=0), user, no_exclusion_grounds())
    return draft, user


def _key(w):
    c = published(w.m, user=w.officer)
    CommissioningKey.objects.filter(commissioning=c).delete()
    return lambda: services.ensure_commissioning_key(c, w.officer)


def _create(w):
    c = published(w.m, user=w.officer)
    operator, user = make_operator("Wijkkracht")
    return lambda: services.create_submission(user, operator, c, kind="bid", lot=c.lots.first())


def _answer(w):
    draft, user = _draft(w)
    return lambda: services.save_answer(draft, user, leaf_criteria(draft.commissioning)[0], "Ons plan")


def _add_file(w):
    draft, user = _draft(w)
    return lambda: services.add_file(draft, user, name="plan.pdf", content=pdf_bytes())


def _remove_file(w):
    draft, user = _draft(w)
    item = services.add_file(draft, user, name="plan.pdf", content=pdf_bytes())
    return lambda: services.remove_file(item, user)


def _confidential(w):
    draft, user = _draft(w)
    item = services.add_file(draft, user, name="plan.pdf", content=pdf_bytes())
    return lambda: services.mark_confidential(item, user, confidential=True, confidential_reason="Bedrijfsgeheim")


def _submit(w):
    draft, user = _draft(w)
    services.save_answer(draft, user, leaf_criteria(draft.commissioning)[0], "Ons plan")
    return lambda: services.submit(draft, user)


def _withdraw(w):
    draft, user = _draft(w)
    services.save_answer(draft, user, leaf_criteria(draft.commissioning)[0], "Ons plan")
    services.submit(draft, user)
    return lambda: services.withdraw(draft, user)


RECIPES = {
    "ensure_commissioning_key": _key,
    "create_submission": _create,
    "save_answer": _answer,
    "add_file": _add_file,
    "remove_file": _remove_file,
    "mark_confidential": _confidential,
    "submit": _submit,
    "withdraw": _withdraw,
}
