"""The shape of the engine: modules, import arrows, import cycles, longest module.

Reads the import graph with grimp, the library `lint-imports` uses (function-local imports count too).
Run from the repository root, or from any checkout of it to measure an older layout:

    .venv/bin/python tools/package_shape.py
    git worktree add /tmp/old <commit> && (cd /tmp/old && PYTHONPATH=. /path/to/.venv/bin/python \\
        /path/to/tools/package_shape.py); git worktree remove /tmp/old
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import grimp


def cycles(arrows: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for start in sorted(arrows):
        if start in index:
            continue
        work = [(start, iter(sorted(arrows[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    work.append((target, iter(sorted(arrows[target]))))
                elif target in stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main() -> int:
    import recueil

    root = Path(recueil.__file__).resolve().parent
    graph = grimp.build_graph("recueil")
    modules = sorted(graph.modules)
    arrows = {module: set(graph.find_modules_directly_imported_by(module)) for module in modules}

    def source(module: str) -> Path:
        path = root.parent / module.replace(".", "/")
        return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")

    files = [module for module in modules if source(module).name != "__init__.py"]
    lines = {module: len(source(module).read_text(encoding="utf-8").splitlines()) for module in files}
    longest = max(lines, key=lambda module: lines[module])
    print(f"engine: {root}")
    print(f"modules: {len(files)} (and {len(modules) - len(files)} package __init__)")
    print(f"import arrows between engine modules: {sum(len(targets) for targets in arrows.values())}")
    print(f"import cycles: {cycles(arrows) or 'none'}")
    print(f"longest module: {longest} ({lines[longest]} lines); median {statistics.median(lines.values()):.0f} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
