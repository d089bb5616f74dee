"""Events of the evaluation that later stages react to (ADR 0007 pattern), each sent inside the transaction of the
service that causes it, so that what the receivers write commits (or rolls back) with it:

- `award_decided`: an award decision was sent (publication stores an `award` release);
- `award_withdrawn`: a standing award decision was withdrawn (publication: the award becomes `cancelled`);
- `award_definitive`: an award became definitive (contracts creates the contract record).

Receivers get `decision` (evaluation.AwardDecision, locked) and `actor`."""

from django.dispatch import Signal

award_decided = Signal()
award_withdrawn = Signal()
award_definitive = Signal()
