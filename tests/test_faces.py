"""The faces (the CLI and the web pages) reach a domain pipeline only through `cgc_rules.jobs`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cgc_rules"
FACES = sorted([*(PACKAGE / "cli").glob("*.py"), *(PACKAGE / "web" / "pages").glob("*.py")])
# the domain pipelines: a face that needs one of them calls the job that runs it
PIPELINES = (
    "assess",
    "award",
    "batch",
    "cases",
    "cases_corridor",
    "corridor",
    "diff",
    "documents",
    "evaluator",
    "indicators",
    "intake",
    "lint",
    "monitor",
    "municipality",
    "notice",
    "pack",
    "report",
    "scoring",
    "store",
    "submission",
    "tender",
)


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every name `module`'s source imports at run time (inside functions too; `if TYPE_CHECKING:` blocks left out)."""
    package = module if is_package else module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.extend((child.lineno, a.name) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                found.extend((child.lineno, f"{base}.{a.name}") for a in child.names)
            visit(child)

    visit(ast.parse(source))
    return found


def _pipeline(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "cgc_rules" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in PIPELINES else None


@pytest.mark.parametrize("face", FACES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_face_reaches_pipelines_only_through_jobs(face: Path):
    source = face.read_text(encoding="utf-8")
    found = imports(source, _module(face), face.name == "__init__.py")
    wrong = [f"line {line}: {name}" for line, name in found if _pipeline(name)]
    assert not wrong, f"{face.relative_to(PACKAGE)} imports a pipeline instead of calling a job: {wrong}"


def test_the_check_sees_imports_inside_functions_and_relative_ones():
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..evaluator import Outcome\n"
        "def f():\n    from ..scoring.score import score\n    import cgc_rules.store\n    from ..jobs import evaluate\n"
    )
    found = [name for _, name in imports(source, "cgc_rules.cli.sample")]
    assert found == [
        "typing.TYPE_CHECKING",
        "cgc_rules.scoring.score.score",
        "cgc_rules.store",
        "cgc_rules.jobs.evaluate",
    ]
    assert [_pipeline(n) for n in found] == [None, "scoring", "store", None]


def test_the_corridor_page_holds_no_engine_lock():
    source = (PACKAGE / "web" / "pages" / "corridor.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)} | {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
    }
    assert not names & {"Lock", "RLock", "threading"}
