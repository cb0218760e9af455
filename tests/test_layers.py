"""The shape of the engine: its rooms are layered (import-linter, `make lint`), the hooks stay thin."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _engine_imports(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module and node.module.startswith("recueil") for alias in node.names]


def test_hooks_import_no_private_name_of_the_engine():
    private = [(hook.name, module, name) for hook in sorted((ROOT / "hooks").glob("*.py"))
               for module, name in _engine_imports(hook) if name.startswith("_")]
    assert private == []


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
