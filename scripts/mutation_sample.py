"""A fixed random sample of the mutants of continuity/impact.py, for `make mutation-sample`.

A full mutmut run of impact.py takes hours on a small machine (every surviving mutant runs every covering test); a
uniform random sample with a fixed seed estimates the kill rate in minutes and is the same sample every time, so a
test added for a surviving mutant is measured against the same mutants. Reads mutmut's list of the mutants it
generated and their results (mutants/continuity/impact.py.meta); `mutmut run` writes it before it runs any test.

    python scripts/mutation_sample.py names [SIZE] [SEED]    the sample's mutant names, for `mutmut run`
    python scripts/mutation_sample.py summary [SIZE] [SEED]  its results: killed, survived, … and the kill rate
    python scripts/mutation_sample.py summary all            the same over every mutant
"""

import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

META = Path("mutants/continuity/impact.py.meta")


def results() -> dict:
    return json.loads(META.read_text())["exit_code_by_key"]


def sample(size: int, seed: int) -> list[str]:
    names = sorted(results())
    return sorted(random.Random(seed).sample(names, min(size, len(names))))


def summary(names: list[str]) -> str:
    codes = results()
    counts = Counter(status_by_exit_code[codes[name]] for name in names)
    checked = sum(n for status, n in counts.items() if status != "not checked")
    killed = counts["killed"] + counts["timeout"]
    lines = [f"{status}: {n}" for status, n in sorted(counts.items())]
    if checked:
        rate = killed / checked
        margin = 1.96 * math.sqrt(rate * (1 - rate) / checked)  # normal approximation, 95%
        lines.append(f"kill rate: {killed}/{checked} = {rate:.1%} (95% interval ± {margin:.1%})")
    survivors = sorted(name for name in names if status_by_exit_code[codes[name]] == "survived")
    return "\n".join(lines + ["survived:", *survivors])


if __name__ == "__main__":
    if not META.exists():
        sys.exit(f"{META} is missing: `mutmut run` writes it (make mutation-sample starts with one mutant).")
    mode, args = (sys.argv[1] if len(sys.argv) > 1 else "names"), sys.argv[2:]
    if args[:1] == ["all"]:
        chosen = sorted(results())
    else:
        chosen = sample(int(args[0]) if args else 100, int(args[1]) if len(args) > 1 else 14)
    print(" ".join(chosen) if mode == "names" else summary(chosen))
