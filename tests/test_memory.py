"""What the engine keeps between builds: one object (recueil/memory.py), one rule (same name, equal inputs)."""

from __future__ import annotations

import ast
from pathlib import Path

from recueil.memory import MISSING, Memory
from tests.conftest import ROOT

# Functions of their arguments or of data shipped in the package: nothing they read changes while the
# process runs, so a functools cache has nothing to invalidate (recueil/memory.py says so).
PURE_CACHED = {"fold", "headings", "load_reference", "neighbours", "load_basemap", "compiled_templates"}


def test_a_value_is_made_again_only_when_its_inputs_change() -> None:
    memory, made = Memory(), []

    def make(text: str) -> str:
        made.append(text)
        return text.upper()

    assert memory.recall("pages", "cas/a.md", ("card", 1), lambda: make("a")) == "A"
    assert memory.recall("pages", "cas/a.md", ("card", 1), lambda: make("never")) == "A"
    assert memory.recall("pages", "cas/a.md", ("card", 2), lambda: make("b")) == "B"
    assert memory.recall("pages", "cas/b.md", ("card", 2), lambda: make("c")) == "C"  # another name
    assert memory.recall("rows", "cas/a.md", ("card", 2), lambda: make("d")) == "D"  # another shelf
    assert made == ["a", "b", "c", "d"]
    assert memory.get("pages", "cas/a.md", ("card", 1)) is MISSING  # replaced: one value per name
    assert memory.names("pages") == ["cas/a.md", "cas/b.md"]


def test_a_value_the_caller_refuses_is_not_kept() -> None:
    memory = Memory()
    memory.put("cards", "a.md", 1, "valid")
    assert memory.recall("cards", "a.md", 2, lambda: "broken", keep=lambda value: value == "valid") == "broken"
    assert memory.get("cards", "a.md", 1) is MISSING and memory.inputs_of("cards", "a.md") is MISSING


def test_forget_empties_a_shelf_or_everything() -> None:
    memory = Memory()
    memory.put("a", 1, None, "x")
    memory.put("b", 1, None, "y")
    memory.forget("a")
    assert memory.get("a", 1, None) is MISSING and memory.get("b", 1, None) == "y"
    memory.forget()
    assert memory.get("b", 1, None) is MISSING


def _module_level_stores(path: Path, root: Path = ROOT) -> list[str]:
    """Module-level names bound to an empty dict, list or set, or to a class instance holding state."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        empty = isinstance(value, ast.Dict | ast.List | ast.Set) and not getattr(value, "keys", getattr(value, "elts", None))
        made = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in {"dict", "list", "set"}
        if empty or made:
            found += [f"{path.relative_to(root)}:{node.lineno}" for target in targets if isinstance(target, ast.Name)]
    return found


def _cached_functions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                name = ast.unparse(decorator.func if isinstance(decorator, ast.Call) else decorator)
                if name.split(".")[-1] in {"cache", "lru_cache"}:
                    found.append(node.name)
    return found


def test_the_engine_keeps_nothing_in_module_globals() -> None:
    files = sorted((ROOT / "recueil").rglob("*.py"))
    assert [store for path in files for store in _module_level_stores(path)] == [], \
        "keep values between builds in recueil.memory.MEMORY, not in a module's dict"
    cached = {name for path in files for name in _cached_functions(path)}
    assert cached <= PURE_CACHED, f"functools caches on functions whose inputs may change: {cached - PURE_CACHED}"


def test_the_guard_finds_a_module_cache(tmp_path: Path) -> None:
    module = tmp_path / "recueil" / "x.py"
    module.parent.mkdir()
    module.write_text("_SEEN: dict[str, int] = {}\n_LAST = {}\nNAMES = {'a': 1}\n", encoding="utf-8")
    assert _module_level_stores(module, tmp_path) == ["recueil/x.py:1", "recueil/x.py:2"]
