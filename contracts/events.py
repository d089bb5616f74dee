"""Events of contracts that later stages react to (ADR 0007 pattern): `contract_created` is sent inside the
transaction that creates the contract record of a definitive award (publication stores the `award`/`contract`
release from it). Receivers get `contract` (contracts.Contract) and `actor`."""

from django.dispatch import Signal

contract_created = Signal()
