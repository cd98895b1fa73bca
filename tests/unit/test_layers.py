"""The layers of DESIGN.md, checked on the source: imports only ever point down, no module
hides an import inside a function to dodge a cycle, and the base of the domain names no app
above it, not even in a string or a template; no app below the site names the site, not even
by URL name in an email's template.

    ground  rfs.accounts, rfs.notify            know no domain
    base    candidates                          knows the ground
    domain  screening, mentors, partners,       know candidates and the ground; a sibling
            endorsements, trainings             only through its services
    site    rfs.dashboard, rfs.portal, rfs.demo may read every domain; nothing imports them
"""

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {
    "rfs.accounts": 0,
    "rfs.notify": 0,
    "candidates": 1,
    "screening": 2,
    "mentors": 2,
    "partners": 2,
    "endorsements": 2,
    "trainings": 2,
    "rfs.dashboard": 3,
    "rfs.portal": 3,
    "rfs.demo": 3,
}
DOMAIN = {"screening", "mentors", "partners", "endorsements", "trainings"}
# The wiring above every layer: it may import anything, and nothing imports it but Django.
WIRING = ["rfs.settings", "rfs.settings_test", "rfs.urls", "rfs.celery", "rfs.wsgi", "rfs.views"]


def app_of(module: str) -> str | None:
    for app in sorted(LAYERS, key=len, reverse=True):
        if module == app or module.startswith(app + "."):
            return app
    return None


def our_modules() -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        folder = ROOT / app.replace(".", "/")
        for path in folder.rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports(path: Path) -> list[tuple[str, bool, str]]:
    """(imported module, inside a function?, the function's name) for every import."""
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if isinstance(child, ast.Import):
                found.extend((alias.name, bool(function), function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, bool(function), function))
                # `from candidates import request_kinds` imports a module too.
                found.extend(
                    (f"{child.module}.{alias.name}", bool(function), function)
                    for alias in child.names
                )
            visit(child, inner)

    visit(ast.parse(path.read_text()), "")
    return found


MODULES = our_modules()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    here = app_of(module)
    for imported, _, _ in imports(MODULES[module]):
        there = app_of(imported)
        if there is None or there == here:
            continue
        assert LAYERS[there] <= LAYERS[here], f"{module} imports {imported}, a higher layer"
        if here in DOMAIN and there in DOMAIN:
            assert imported.startswith(f"{there}.services"), (
                f"{module} reaches into {imported}: a sibling only through its services"
            )


@pytest.mark.parametrize("module", WIRING)
def test_no_app_imports_the_wiring(module):
    for name, path in MODULES.items():
        for imported, _, _ in imports(path):
            assert not imported.startswith(module), f"{name} imports {imported}"


def test_no_import_of_our_own_code_hides_in_a_function():
    # AppConfig.ready() runs once the apps are loaded, where Django asks for such imports.
    hidden = [
        f"{name}: {imported} in {function}()"
        for name, path in MODULES.items()
        for imported, in_function, function in imports(path)
        if in_function and app_of(imported) and not (name.endswith(".apps") and function == "ready")
    ]
    assert hidden == []


def test_our_modules_import_one_another_without_a_cycle():
    graph = {
        name: {
            target
            for imported, in_function, _ in imports(path)
            if not in_function
            for target in (imported, imported.rsplit(".", 1)[0])
            # A module of a package loads its package first: that is Python, not a cycle.
            if target in MODULES and target != name and not name.startswith(f"{target}.")
        }
        for name, path in MODULES.items()
    }
    cycles = []
    state: dict[str, int] = {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            walk(start, [start])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_imports_on_its_own(module):
    importlib.import_module(module)


# Names of the apps above candidates, as code, URL names or relations would spell them.
HIGHER = re.compile(
    r"(mentors|screening|partners|endorsements|trainings|dashboard)[.:]"
    r"|mentorships|mentor_profile|['\"](portal|demo):"
)


def base_and_ground_files():
    for folder, pattern in (
        ("candidates", "**/*.py"),
        ("templates/candidates", "**/*.html"),
        ("rfs/accounts", "**/*.py"),
        ("rfs/notify", "**/*.py"),
        ("templates/notify", "**/*.html"),
    ):
        for path in sorted((ROOT / folder).glob(pattern)):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize(
    "path", list(base_and_ground_files()), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_base_and_the_ground_never_name_an_app_above_them(path):
    lines = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if HIGHER.search(line)
    ]
    assert lines == []


# The site layer as a lower layer would name it: a URL name, a path or a module of its apps.
SITE = re.compile(
    r"['\"](portal|dashboard|demo):|/(portal|dashboard|demo)/|\brfs[./](portal|dashboard|demo)\b"
)
BELOW_THE_SITE = sorted(app for app, layer in LAYERS.items() if layer < LAYERS["rfs.portal"])


def below_the_site_files():
    """The code and templates of the ground and the domain, and every email's template (the
    site links its own pages from its pages, never from an email a domain app records)."""
    for app in BELOW_THE_SITE:
        yield from sorted((ROOT / app.replace(".", "/")).glob("**/*.py"))
        yield from sorted((ROOT / "templates" / app.rsplit(".", 1)[-1]).glob("**/*.html"))
    yield from sorted(path for path in (ROOT / "templates/emails").glob("*") if path.is_file())


@pytest.mark.parametrize(
    "path",
    [path for path in below_the_site_files() if "migrations" not in path.parts],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_app_below_the_site_and_no_email_names_the_site(path):
    lines = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SITE.search(line)
    ]
    assert lines == []
