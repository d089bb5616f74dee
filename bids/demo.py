"""Demo data of the bids stage (core/management/commands/load_demo.py). Idempotent."""

from . import demo_consortium


def load(stdout) -> None:
    demo_consortium.load(stdout)
