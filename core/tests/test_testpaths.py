"""`make test` and CI run pytest without arguments, so `testpaths` decides what runs. Until session 7 it listed only
the first six apps: the tests of bids, evaluation and contracts (345) ran only when named. Every folder with tests
must be listed."""

import tomllib
from pathlib import Path

from django.conf import settings


def test_every_folder_with_tests_is_in_testpaths():
    root = Path(settings.BASE_DIR)
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {
        path.parent.parent.name
        for path in root.glob("*/tests/test_*.py")
        if not path.parent.parent.name.startswith(".") and path.parent.parent.name != "mutants"
    }
    assert {"core", "bids", "evaluation", "contracts"} <= with_tests
    assert sorted(with_tests - listed) == []
