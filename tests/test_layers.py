"""The shape of the engine: its rooms are layered (import-linter, `make lint`), the hooks stay thin."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

from recueil_mkdocs import ENTRIES, entry_files

ROOT = Path(__file__).resolve().parent.parent


def _engine_imports(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module and node.module.startswith("recueil") for alias in node.names]


def test_hooks_import_no_private_name_of_the_engine():
    private = [(hook.name, module, name) for hook in sorted((ROOT / "recueil_mkdocs").glob("*.py"))
               for module, name in _engine_imports(hook) if name.startswith("_")]
    assert private == []


def test_the_site_hooks_are_a_line_each_importing_the_installed_package():
    """mkdocs.yml lists hooks/*.py; their code is recueil_mkdocs, which fixtures and other sites use without a copy."""
    entries = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "hooks").glob("*.py"))}
    assert entries == entry_files()
    assert all(text.count("\n") == 1 for text in entries.values())
    for name, module in ENTRIES.items():
        events = [event for event in dir(importlib.import_module(f"recueil_mkdocs.{module}")) if event.startswith("on_")]
        namespace: dict[str, object] = {}
        exec(compile(entries[name], name, "exec"), namespace)  # noqa: S102 (the repository's own one-line file)
        assert events and all(event in namespace for event in events), (name, events)


def test_no_engine_module_imports_inside_a_function():
    """Imports at the top only: a function-local import of the engine would hide a circle."""
    hidden = []
    for path in sorted((ROOT / "recueil").rglob("*.py")):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                hidden += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(function)
                           if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("recueil"))]
    assert hidden == []


def test_the_layers_hold():
    result = subprocess.run([Path(sys.executable).parent / "lint-imports"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
