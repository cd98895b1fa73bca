"""The demo is the top of the site layer: it may import every app, and nothing imports it."""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
# The apps; tests and `make bench` (bench/) use the demo and its synthetic organisation.
SOURCES = ["rfs", "candidates", "screening", "mentors", "partners", "endorsements"]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_nothing_outside_the_demo_imports_it():
    demo = BASE_DIR / "rfs" / "demo"
    importers = [
        str(path.relative_to(BASE_DIR))
        for source in SOURCES
        for path in (BASE_DIR / source).rglob("*.py")
        if demo not in path.parents
        and any(name == "rfs.demo" or name.startswith("rfs.demo.") for name in _imports(path))
    ]
    assert importers == []
