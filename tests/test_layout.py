"""The layout's size rules (architecture issue): a module reads in one sitting, a view fits on a
screen. A module over 300 lines or a view function over 25 lines is a sign that a rule has
moved into the wrong layer."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
MODULES = sorted(APP.rglob("*.py"))
VIEW_MODULES = [path for path in MODULES if path.name == "views.py"]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(APP.parent)))
def test_no_module_is_over_300_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda path: str(path.relative_to(APP.parent)))
def test_no_view_function_is_over_25_lines(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    too_long = {
        node.name: node.end_lineno - node.lineno + 1
        for node in functions
        if node.end_lineno - node.lineno + 1 > 25
    }
    assert too_long == {}
