"""The package's shape: no import loop anywhere in pmo/ (function-level imports counted), nothing
outside pmo/ui imports Streamlit, and every module imports on its own in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from conftest import ROOT

PMO = ROOT / "pmo"


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PMO.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """Every pmo module `name` imports, at any depth of the file (lazy imports inside functions too)."""
    tree = ast.parse(MODULES[name].read_text())
    package = name if MODULES[name].name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m in MODULES and m != name}


def test_no_import_loop_in_pmo():
    graph = {m: imports_of(m) for m in MODULES}
    # a package's __init__ importing its own submodules is how a package shows its face, not a loop
    for m in graph:
        graph[m] = {d for d in graph[m] if not (MODULES[m].name == "__init__.py" and d.startswith(m + "."))}
    state: dict[str, int] = {}
    loops: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                loops.append(path[path.index(dep):] + [dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert loops == []


def test_only_pmo_ui_imports_streamlit():
    outside = [m for m, p in MODULES.items()
               if not m.startswith("pmo.ui") and "streamlit" in p.read_text()
               and any(isinstance(n, (ast.Import, ast.ImportFrom)) and "streamlit" in ast.unparse(n)
                       for n in ast.walk(ast.parse(p.read_text())))]
    assert outside == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_imports_in_a_fresh_interpreter(name):
    r = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
