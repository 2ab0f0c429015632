"""The shape of src/opendata: no import cycle between its modules, the import contracts of
.importlinter hold (`lint-imports`), and no module is over 500 lines."""
from __future__ import annotations

import subprocess
from pathlib import Path

import grimp

from .conftest import REPO, executable

PACKAGE = REPO / "src" / "opendata"
MAX_LINES = 500


def import_graph() -> dict[str, set[str]]:
    """Every module of opendata (a package is its __init__) -> the modules of opendata it imports,
    at module level or inside functions."""
    graph = grimp.build_graph("opendata", include_external_packages=False)
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other, biggest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups, key=len, reverse=True)


def cycle_through(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """One shortest cycle [a, b, …, a] through the first module of a group of mutually importing modules."""
    start, members = group[0], set(group)
    previous: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return group


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert cycle_through(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules():
    graph = import_graph()
    cycles = [" -> ".join(cycle_through(graph, group)) for group in strongly_connected(graph)]
    assert not cycles, "import cycles in src/opendata (a module imports, directly or not, a module that imports it):\n" + \
        "\n".join(cycles)


def test_import_contracts_hold():
    result = subprocess.run([executable("lint-imports")], cwd=REPO, capture_output=True, text=True, encoding="utf-8",
                            timeout=300)
    assert result.returncode == 0, "lint-imports (.importlinter) failed:\n" + result.stdout + result.stderr


def test_no_module_is_over_500_lines():
    too_long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long[relative] = lines
    assert not too_long, f"modules over {MAX_LINES} lines (split them by job): {too_long}"

