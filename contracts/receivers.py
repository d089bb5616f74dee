"""contracts listens to the evaluation: a definitive award makes the contract record in the same transaction."""

from . import services


def on_award_definitive(sender, *, decision, actor, **kwargs):
    services.create_from_award(decision, actor=actor)
