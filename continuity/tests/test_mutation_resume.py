"""`scripts/mutation_sample.py save/restore` (docs/continuity.md, "Mutation testing"): a full mutation run outlasts a
session, so its results are kept in git with a fingerprint of what was measured and put back only onto the same files;
a timeout is never kept as a kill."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "mutation_sample.py"
CONFIG = """[tool.mutmut]
only_mutate = ["continuity/impact.py"]
pytest_add_cli_args_test_selection = ["continuity/tests/test_impact.py"]
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    for name, text in {
        "continuity/impact.py": "def f():\n    return 1\n",
        "continuity/tests/test_impact.py": "def test_f():\n    pass\n",
        "conftest.py": "",
        "wijkwaarde/settings_mutation.py": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    spec = importlib.util.spec_from_file_location("mutation_sample_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.META.parent.mkdir(parents=True)
    return tmp_path, module


def _meta(module, codes):
    module.META.write_text(json.dumps({"exit_code_by_key": codes}))


def test_saved_results_come_back_into_a_fresh_run_without_the_timeouts(project):
    root, module = project
    _meta(module, {"m_1": 1, "m_2": 0, "m_3": 36, "m_4": None})  # killed, survived, timeout, not checked
    module.save(root / "results.json")
    _meta(module, {"m_1": None, "m_2": None, "m_3": None, "m_4": None})  # a fresh mutants/ folder
    assert module.restore(root / "results.json") == "2 results restored; 2 mutants left to run"
    assert json.loads(module.META.read_text())["exit_code_by_key"] == {"m_1": 1, "m_2": 0, "m_3": None, "m_4": None}


def test_results_measured_on_other_files_are_refused(project):
    root, module = project
    _meta(module, {"m_1": 1})
    module.save(root / "results.json")
    (root / "continuity/tests/test_impact.py").write_text("def test_f():\n    assert True\n")
    _meta(module, {"m_1": None})
    with pytest.raises(SystemExit, match="continuity/tests/test_impact.py"):
        module.restore(root / "results.json")
    assert json.loads(module.META.read_text())["exit_code_by_key"] == {"m_1": None}
