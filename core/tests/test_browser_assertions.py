"""Browser tests wait for the page they assert on.

A click on a link or a submit button starts a navigation and returns before the next page has loaded; an assertion
that reads the page once (`is_visible()`, `all_inner_texts()`) may still see the old page or a half-loaded new one.
CI failed once on exactly that (landscape/tests/test_browser_import.py, 2026-12-02). Such checks use Playwright's
`expect(...)`, which retries until the page agrees or the timeout passes."""

import ast
from pathlib import Path

from django.conf import settings

NON_WAITING = {"is_visible", "is_hidden", "all_inner_texts", "all_text_contents"}


def _browser_test_modules():
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("*/tests/*.py")):
        source = path.read_text(encoding="utf-8")
        if "pytest.mark.browser" in source:
            yield path, source


def _non_waiting_assertions(source):
    """(line, method) of every `assert` whose expression calls a page read that does not wait."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            for call in ast.walk(node.test):
                method = call.func.attr if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) else None
                if method in NON_WAITING:
                    found.append((node.lineno, method))
    return found


def test_the_check_finds_a_non_waiting_assertion():
    source = "def test_x(page):\n    page.click('a')\n    assert page.get_by_text('Klaar').is_visible()\n"
    assert _non_waiting_assertions(source) == [(3, "is_visible")]
    assert _non_waiting_assertions("def test_x(page):\n    expect(page.get_by_text('Klaar')).to_be_visible()\n") == []


def test_browser_tests_assert_with_expect_which_waits():
    modules = list(_browser_test_modules())
    assert len(modules) >= 15, "the browser test modules were not found"
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}: assert … .{method}() — use expect(…)"
        for path, source in modules
        for line, method in _non_waiting_assertions(source)
    ]
    assert offenders == []
