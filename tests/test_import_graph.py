"""No import cycle among cgc_rules' modules, read from the source (grimp), not from what happens to load.

What counts as an edge `a → b`:
- every `import` and `from … import` in `a` naming `b`, at module level or inside a function (an import
  put inside a function to dodge a cycle still is one);
- `a → p` for each package `p` above `b` that is not above `a` too: importing `cgc_rules.pack.archive`
  from outside `pack` runs `cgc_rules/pack/__init__.py` first, so a package `__init__` that re-exports is
  part of every path through it (a package's own modules find it already being imported; their imports
  of the package by name, `from . import NAME`, are edges of the first kind).

What does not count: imports under `if TYPE_CHECKING:` (never executed; they name types for mypy only),
and modules found by name at run time (`importlib.import_module` in the registries): those are lookups
in a registry, chosen after every module involved has loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp
import pytest

PACKAGE = "cgc_rules"


def _edges() -> dict[str, set[str]]:
    """Every cgc_rules module and the modules and packages its imports run (see the module docstring)."""
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=True, cache_dir=None)
    edges: dict[str, set[str]] = {module: set() for module in graph.modules}
    for module in graph.modules:
        for target in graph.find_modules_directly_imported_by(module):
            parts = target.split(".")
            edges[module].add(target)
            edges[module].update(
                p for i in range(1, len(parts)) if not module.startswith((p := ".".join(parts[:i])) + ".")
            )
        edges[module].discard(module)
    return edges


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """Tarjan's components of more than one node (iterative, so a long chain cannot overflow the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[frozenset[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
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
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


@pytest.fixture(scope="module")
def cycles() -> list[frozenset[str]]:
    return strongly_connected(_edges())


def test_the_graph_reads_imports_inside_functions_and_skips_type_checking():
    edges = _edges()
    assert "cgc_rules.exits" in edges["cgc_rules.cli"]  # `run()` imports the crash fence inside the function
    assert "cgc_rules.units" in edges["cgc_rules.i18n"]
    assert "cgc_rules.indicators.base" not in edges["cgc_rules.kinds"]  # named under TYPE_CHECKING only
    assert "cgc_rules.indicators" not in edges["cgc_rules.kinds"]
    # a package above the imported module is an edge, unless the importer sits inside it as well
    assert {"cgc_rules.loading", "cgc_rules.loading.archive"} <= edges["cgc_rules.pack.manifest"]
    assert "cgc_rules.pack" not in edges["cgc_rules.pack.manifest"]


def test_components_are_found():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": {"g"}, "g": {"f", "d"}}
    assert sorted(map(sorted, strongly_connected(edges))) == [["a", "b", "c"], ["f", "g"]]


def test_no_import_cycle_in_the_package(cycles):
    assert [sorted(c) for c in cycles] == [], "import cycles among cgc_rules modules"
