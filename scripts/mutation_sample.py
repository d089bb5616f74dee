"""Print a fixed random sample of the mutants of continuity/impact.py, for `make mutation-sample`.

A full mutmut run of impact.py takes hours on a small machine (every surviving mutant runs every covering test); a
uniform random sample with a fixed seed estimates the kill rate in minutes and is the same sample every time, so a
test added for a surviving mutant is measured against the same mutants. Reads mutmut's list of the mutants it
generated (mutants/continuity/impact.py.meta); `mutmut run` writes it before it runs any test.

    python scripts/mutation_sample.py [SIZE] [SEED]
"""

import json
import random
import sys
from pathlib import Path

META = Path("mutants/continuity/impact.py.meta")


def sample(size: int, seed: int) -> list[str]:
    names = sorted(json.loads(META.read_text())["exit_code_by_key"])
    return sorted(random.Random(seed).sample(names, min(size, len(names))))


if __name__ == "__main__":
    if not META.exists():
        sys.exit(f"{META} is missing: run `mutmut run --max-children 1` until it says 'Running stats' first.")
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 14
    print(" ".join(sample(size, seed)))
