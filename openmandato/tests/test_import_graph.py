"""The apps form a graph without cycles, and no app reaches into another's private names.

Reads the source with `ast` (nothing is imported): every `import`/`from … import` of `openmandato.<app>`
and every `include("openmandato.<app>.urls")` counts as an arrow from the importing app.
"""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
SHARED_TEST_HELPERS = "tests"
DJANGO_UNDERSCORE_API = {
    "_meta",
    "_default_manager",
    "_base_manager",
    "_state",
}  # openmandato/tests/: fixtures every app's tests may use


def app_of(path: Path, package: Path = PACKAGE) -> str | None:
    parts = path.relative_to(package).parts
    return parts[0] if len(parts) > 1 else None  # top-level modules (urls, settings) wire the apps


def is_test(path: Path, package: Path = PACKAGE) -> bool:
    parts = path.relative_to(package).parts
    return "tests" in parts or path.name == "conftest.py"


def references(tree: ast.AST):
    """(target module, imported name or None, attribute read on the module or None) for each reference."""
    modules = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name, node.lineno
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "include"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value, None, node.lineno
    for node in ast.walk(tree):
        # `services._helper` on an imported module (lower-case name); not Django's `Model._meta`.
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.value.id.islower()
            and node.attr not in DJANGO_UNDERSCORE_API
        ):
            yield modules[node.value.id], node.attr, node.lineno


def scan(package: Path = PACKAGE, *, tests: bool = False):
    """The arrows between apps and the private names read across apps."""
    arrows, private = defaultdict(set), []
    for path in sorted(package.rglob("*.py")):
        app = app_of(path, package)
        if app is None or "migrations" in path.parts or is_test(path, package) != tests:
            continue
        for module, name, line in references(ast.parse(path.read_text(), str(path))):
            parts = module.split(".")
            if parts[0] != "openmandato" or len(parts) < 2 or parts[1] == app:
                continue
            target = parts[1]
            if not (package / target).is_dir():
                continue
            where = f"{path.relative_to(package.parent)}:{line}"
            arrows[app].add(target)
            if name and name.startswith("_") and not name.startswith("__"):
                private.append(f"{where} uses {module}.{name}")
            if any(part.startswith("_") and not part.startswith("__") for part in parts[2:]):
                private.append(f"{where} uses {module}")
    return arrows, private


def cycles(arrows: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of two or more apps (Tarjan), as a sorted list."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(app):
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for target in arrows.get(app, ()):
            if target not in index:
                visit(target)
                low[app] = min(low[app], low[target])
            elif target in on_stack:
                low[app] = min(low[app], index[target])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for app in sorted(arrows):
        if app not in index:
            visit(app)
    return found


def test_no_cycle_between_apps():
    arrows, _private = scan()
    assert cycles(arrows) == []


def test_no_app_uses_another_apps_private_names():
    _arrows, private = scan()
    assert private == []


def test_the_core_imports_no_other_app():
    arrows, _private = scan()
    assert arrows["core"] == set()


def test_no_app_imports_another_apps_tests():
    arrows, _private = scan(tests=True)
    crossing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        app = app_of(path)
        if app is None or app == SHARED_TEST_HELPERS or not is_test(path):
            continue
        for module, _name, line in references(ast.parse(path.read_text())):
            parts = module.split(".")
            if parts[:1] == ["openmandato"] and len(parts) > 2 and parts[1] != app and "tests" in parts[2:3]:
                crossing.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
    assert crossing == []


def test_the_checks_catch_a_cycle_and_a_private_import(tmp_path):
    """The scanner itself: a made-up package with a cycle and a private import across apps is caught."""
    for app, body in {
        "alpha": "from openmandato.beta.views import _helper\n",
        "beta": "from openmandato.alpha import models\n",
        "gamma": "from openmandato.alpha.models import Thing\n",
    }.items():
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
        (tmp_path / app / "views.py").write_text(body)
    arrows, private = scan(tmp_path)
    assert cycles(arrows) == [["alpha", "beta"]]
    assert len(private) == 1 and "openmandato.beta.views._helper" in private[0]
