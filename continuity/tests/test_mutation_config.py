"""mutmut runs the tests from a copy of the project in mutants/ (docs/continuity.md, "Mutation testing"): every app
Django loads must be copied there, or `make mutation` fails before it tests a single mutant."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings


def test_mutation_testing_copies_every_app_of_the_project_and_mutates_only_impact():
    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = set(config["source_paths"]) | set(config["also_copy"])
    ours = {
        Path(app.path).name
        for app in apps.get_app_configs()
        if Path(app.path).resolve().parent == Path(settings.BASE_DIR).resolve()
    }
    assert "continuity" in ours and ours <= copied, sorted(ours - copied)
    assert {"wijkwaarde", "conftest.py", "manage.py"} <= copied
    assert config["only_mutate"] == ["continuity/impact.py"]
    for path in config["pytest_add_cli_args_test_selection"]:
        assert (Path(settings.BASE_DIR) / path).is_file(), path
