"""The apps depend on each other in one direction only (ADR 0007): a later stage may import an earlier one, never the
reverse, so that bids, evaluation and contracts plug into tenders through its events and guards. The imports of
every module of every project app are read with `ast` (imports inside functions count too); tests are left out,
because a test may check how several apps work together."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

# Apps that come after tenders in the lifecycle: they plug into tenders, tenders never imports them.
LATER_STAGES = ("publication", "bids", "evaluation", "contracts")


def _project_apps() -> dict[str, Path]:
    root = Path(settings.BASE_DIR).resolve()
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.parent == root:
            found[config.name] = path
    return found


def _modules(path: Path):
    for file in sorted(path.rglob("*.py")):
        parts = file.relative_to(path).parts
        if "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py":
            continue
        yield file


def _imported(tree: ast.AST) -> set[str]:
    """Top-level names of the absolute imports in a module (relative imports stay inside the app)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def import_graph() -> dict[str, dict[str, list[str]]]:
    """app → {imported app: [modules that import it]}."""
    project = _project_apps()
    graph: dict[str, dict[str, list[str]]] = {name: {} for name in project}
    for name, path in project.items():
        for file in _modules(path):
            tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
            for other in _imported(tree) & set(project) - {name}:
                graph[name].setdefault(other, []).append(str(file.relative_to(path.parent)))
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Every elementary cycle, found once each (depth-first from each app, only through apps that sort after it)."""
    found = []

    def visit(start, node, path):
        for nxt in sorted(graph.get(node, {})):
            if nxt == start:
                found.append([*path, start])
            elif nxt > start and nxt not in path:
                visit(start, nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, start, [start])
    return found


def _explain(graph, cycle) -> str:
    steps = [f"{a} → {b} ({', '.join(graph[a][b][:3])})" for a, b in zip(cycle, cycle[1:], strict=False)]
    return "; ".join(steps)


def test_the_cycle_finder_finds_a_cycle_between_apps():
    graph = {"a": {"b": ["a/x.py"]}, "b": {"c": ["b/y.py"]}, "c": {"a": ["c/z.py"]}, "d": {"a": ["d/w.py"]}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b": ["a/x.py"]}, "b": {}}) == []


def test_the_import_graph_reads_the_project_apps():
    graph = import_graph()
    assert {"core", "tenders", "publication"} <= set(graph)
    assert "tenders" in graph["publication"], "publication builds on tenders (it subscribes to its events)"


def test_the_apps_import_each_other_without_cycles():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "Import cycles between apps: " + " | ".join(_explain(graph, c) for c in found)


@pytest.mark.parametrize("later", LATER_STAGES)
def test_tenders_does_not_import_a_later_stage(later):
    """Later stages plug into tenders through tenders.events and tenders.guards (ADR 0007)."""
    importers = import_graph()["tenders"].get(later, [])
    assert not importers, f"tenders imports {later} in: {', '.join(importers)}"
