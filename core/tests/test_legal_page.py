"""docs/legal.md, the page a lawyer can sign, is checked against the code (issue 13): every line names a rule's
function (Where: `file::function`, several separated by commas) and the test that checks it (Test:
`path::test_name`), both of which must exist; and every public function of the tenders rule modules is named in some
line's Where column, unless it is a mere helper listed in HELPERS with the reason. The parser and the checks are
functions of this module, tested on small strings below, so that the checker itself is seen to fail."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PAGE = ROOT / "docs" / "legal.md"
COLUMNS = ["Rule", "Article", "Regime", "Where", "Test"]
REGIMES = {"EU", "light", "national", "grant", "all"}
# The rule modules whose public functions must each be on the page (those that exist).
RULE_MODULES = [
    "tenders/rules.py",
    "tenders/time_limits.py",
    "tenders/regime.py",
    "tenders/selection_rules.py",
    "tenders/grant_rules.py",
]
# Public functions of the rule modules that enforce no rule of their own: {name: why}.
HELPERS = {
    "phases_of": "orders a route's phases for the public timeline; the rule is the table (allowed_transitions)",
    "requests_deadline": "reads the deadline for requests to participate for applications_open and the views",
    "next_submission_deadline": "reads the next submission deadline for clarification_errors and the service",
    "annual_budget": "sums the lots' budgets per year for ceiling_errors (the rule)",
}


# --- the parser and the checks --------------------------------------------------------------------------------
def parse_rows(text: str) -> list[dict]:
    """Every body row of every table with the columns Rule | Article | Regime | Where | Test, with its line number."""
    rows, columns = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            columns = None
            continue
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        if columns is None:
            columns = cells
            continue
        if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            continue
        if columns == COLUMNS:
            rows.append({"line": number, **dict(zip(COLUMNS, cells, strict=False))})
    return rows


def _definitions(path: Path) -> set[str]:
    """Top-level function and class names of a Python file, and `Class::method` for methods."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{n.name}" for n in node.body if isinstance(n, ast.FunctionDef)}
    return names


def reference_exists(root: Path, reference: str) -> bool:
    """`path::name` (or `path::Class::method`) names a definition in that Python file under `root`."""
    path, _sep, name = reference.strip().strip("`").partition("::")
    file = root / path
    return bool(name) and file.is_file() and name in _definitions(file)


def where_references(row: dict) -> list[str]:
    return [part.strip().strip("`") for part in row.get("Where", "").split(",") if part.strip()]


def row_errors(root: Path, row: dict) -> list[str]:
    """What is wrong with one line of the page: an empty column, an unknown regime, a missing function or test."""
    errors = [f"line {row['line']}: empty {c}" for c in COLUMNS if not row.get(c, "").strip()]
    regimes = {r.strip() for r in re.split(r"[,;]", row.get("Regime", "")) if r.strip()}
    if regimes - REGIMES:
        errors.append(f"line {row['line']}: unknown regime {sorted(regimes - REGIMES)}")
    errors += [
        f"line {row['line']}: no function {ref}" for ref in where_references(row) if not reference_exists(root, ref)
    ]
    test = row.get("Test", "").strip().strip("`")
    if test and not reference_exists(root, test):
        errors.append(f"line {row['line']}: no test {test}")
    return errors


def public_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_")
    }


def unlisted_functions(root: Path, rows: list[dict], modules: list[str], helpers: dict) -> list[str]:
    """`module::function` for every public function of the existing rule modules that no line names."""
    named = {ref for row in rows for ref in where_references(row)}
    missing = []
    for module in modules:
        if (root / module).is_file():
            for name in sorted(public_functions(root / module)):
                if f"{module}::{name}" not in named and name not in helpers:
                    missing.append(f"{module}::{name}")
    return missing


# --- the page -------------------------------------------------------------------------------------------------
def test_every_line_names_an_existing_function_and_test():
    rows = parse_rows(PAGE.read_text(encoding="utf-8"))
    assert rows, "docs/legal.md has no rule lines"
    assert [e for row in rows for e in row_errors(ROOT, row)] == []


def test_every_public_rule_function_is_on_the_page_or_a_helper():
    rows = parse_rows(PAGE.read_text(encoding="utf-8"))
    assert unlisted_functions(ROOT, rows, RULE_MODULES, HELPERS) == []


def test_every_helper_still_exists_in_a_rule_module():
    defined = set().union(*(public_functions(ROOT / m) for m in RULE_MODULES if (ROOT / m).is_file()))
    assert sorted(set(HELPERS) - defined) == []


def test_the_term_caps_and_the_minimum_extension_are_marked_as_municipal_policy():
    rows = parse_rows(PAGE.read_text(encoding="utf-8"))
    policy = {ref for row in rows if "policy" in row["Article"] for ref in where_references(row)}
    assert {"tenders/rules.py::term_errors", "tenders/time_limits.py::extension_errors"} <= policy


# --- the checker itself ---------------------------------------------------------------------------------------
SAMPLE = """# Title

| Rule | Article | Regime | Where | Test |
|---|---|---|---|---|
| Bids at least 45 days | Aw 2.71 | EU | pkg/rules.py::bid_period | pkg/test_rules.py::test_bid_period_aw_2_71 |
| Two | policy | light, national | pkg/rules.py::bid_period, pkg/rules.py::gone | pkg/test_rules.py::test_missing |

| Other | Table |
|---|---|
| not | a rule |
"""


def _sample_tree(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "rules.py").write_text("def bid_period():\n    pass\n\n\ndef extra():\n    pass\n")
    (tmp_path / "pkg" / "test_rules.py").write_text("def test_bid_period_aw_2_71():\n    assert True\n")
    return tmp_path


def test_the_parser_reads_only_the_rule_tables():
    rows = parse_rows(SAMPLE)
    assert [(r["line"], r["Article"], r["Regime"]) for r in rows] == [
        (5, "Aw 2.71", "EU"),
        (6, "policy", "light, national"),
    ]
    assert where_references(rows[1]) == ["pkg/rules.py::bid_period", "pkg/rules.py::gone"]


def test_the_checker_fails_on_a_missing_test_or_function(tmp_path):
    root = _sample_tree(tmp_path)
    good, bad = parse_rows(SAMPLE)
    assert row_errors(root, good) == []
    assert row_errors(root, bad) == [
        "line 6: no function pkg/rules.py::gone",
        "line 6: no test pkg/test_rules.py::test_missing",
    ]


def test_the_checker_fails_on_an_unlisted_rule_unless_it_is_a_helper(tmp_path):
    root = _sample_tree(tmp_path)
    rows = parse_rows(SAMPLE)
    assert unlisted_functions(root, rows, ["pkg/rules.py", "pkg/absent.py"], {}) == ["pkg/rules.py::extra"]
    assert unlisted_functions(root, rows, ["pkg/rules.py"], {"extra": "a helper"}) == []


def test_the_checker_fails_on_an_empty_column_or_unknown_regime(tmp_path):
    root = _sample_tree(tmp_path)
    row = {**parse_rows(SAMPLE)[0], "Article": "", "Regime": "EU, Mars"}
    assert row_errors(root, row) == ["line 5: empty Article", "line 5: unknown regime ['Mars']"]
