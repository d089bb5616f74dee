"""A fixed random sample of the mutants of continuity/impact.py, for `make mutation-sample`.

A full mutmut run of impact.py takes hours on a small machine (every surviving mutant runs every covering test); a
uniform random sample with a fixed seed estimates the kill rate in minutes and is the same sample every time, so a
test added for a surviving mutant is measured against the same mutants. Reads mutmut's list of the mutants it
generated and their results (mutants/continuity/impact.py.meta); `mutmut run` writes it before it runs any test.

    python scripts/mutation_sample.py names [SIZE] [SEED]    the sample's mutant names, for `mutmut run`
    python scripts/mutation_sample.py summary [SIZE] [SEED]  its results: killed, survived, … and the kill rate
    python scripts/mutation_sample.py summary all            the same over every mutant
    python scripts/mutation_sample.py save FILE              keep the results so far in FILE (JSON, in git)
    python scripts/mutation_sample.py restore FILE           put them back into a fresh mutants/ folder

All of them take hours; a session may end before the run does. `save` keeps every result so far together with a
fingerprint of what was measured (impact.py, the selected tests, conftest.py, the mutation settings); `restore`
refuses a file whose fingerprint differs from the working tree, and otherwise writes its results into mutmut's list,
so that the next `mutmut run` (without `rm -rf mutants`) runs only the mutants still unchecked. Results of
"timeout" are not kept: on a loaded machine a slow run is not a kill, so those are measured again.
"""

import hashlib
import json
import math
import random
import shutil
import subprocess
import sys
import tomllib
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


def fingerprint() -> dict[str, str]:
    """SHA-256 of every file whose change would change a result: the mutated module, its tests and their set-up."""
    config = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["mutmut"]
    files = [*config["only_mutate"], *config["pytest_add_cli_args_test_selection"]]
    files += ["conftest.py", "wijkwaarde/settings_mutation.py"]
    digests = {name: hashlib.sha256(Path(name).read_bytes()).hexdigest() for name in files}
    digests["[tool.mutmut]"] = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()
    return digests


def save(target: Path) -> str:
    kept = {
        name: code
        for name, code in sorted(results().items())
        if code is not None and status_by_exit_code[code] not in {"timeout", "check was interrupted by user"}
    }
    git = [shutil.which("git") or "git", "rev-parse", "HEAD"]
    commit = subprocess.run(git, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603 fixed arguments
    document = {"commit": commit, "fingerprint": fingerprint(), "exit_code_by_key": kept}
    target.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    return f"{len(kept)} of {len(results())} results kept in {target} (commit {commit[:7]})"


def restore(source: Path) -> str:
    document = json.loads(source.read_text())
    changed = sorted(name for name, digest in fingerprint().items() if document["fingerprint"].get(name) != digest)
    if changed:
        sys.exit(f"{source} was measured on other files; changed since: {', '.join(changed)}. Start afresh.")
    meta = json.loads(META.read_text())
    known = meta["exit_code_by_key"]
    restored = 0
    for name, code in document["exit_code_by_key"].items():
        if name in known:
            known[name] = code
            restored += 1
    META.write_text(json.dumps(meta))
    return f"{restored} results restored; {sum(code is None for code in known.values())} mutants left to run"


if __name__ == "__main__":
    if sys.argv[1:2] == ["save"] or sys.argv[1:2] == ["restore"]:
        if not META.exists():
            sys.exit(f"{META} is missing: run `mutmut run` on one mutant first (see make mutation-resume).")
        print((save if sys.argv[1] == "save" else restore)(Path(sys.argv[2])))
        sys.exit(0)
    if not META.exists():
        sys.exit(f"{META} is missing: `mutmut run` writes it (make mutation-sample starts with one mutant).")
    mode, args = (sys.argv[1] if len(sys.argv) > 1 else "names"), sys.argv[2:]
    if args[:1] == ["all"]:
        chosen = sorted(results())
    else:
        chosen = sample(int(args[0]) if args else 100, int(args[1]) if len(args) > 1 else 14)
    print(" ".join(chosen) if mode == "names" else summary(chosen))
