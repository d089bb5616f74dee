"""Events of the evaluation that later stages react to (ADR 0007 pattern): `award_definitive` is sent inside the
transaction that makes an award definitive; contracts creates the contract record from it.

Receivers get `decision` (evaluation.AwardDecision, locked, definitive) and `actor`."""

from django.dispatch import Signal

award_definitive = Signal()
