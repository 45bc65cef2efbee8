"""The house's imports: no module reaches itself again, and the commands that compute
nothing load no numerics.

The graph counts every import a module names, at its top, inside a function or under
``TYPE_CHECKING``: a lazy import is still a dependency, and a circle through one is
still a circle. Modules are read with ``ast``, never imported.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "dashboard_sections", "bench")
NUMERICS = ("numpy", "scipy", "pandas", "matplotlib", "altair")


def module_names(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Every module of ``packages`` under ``root``, by dotted name."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported(node: ast.AST, module: str, path: Path, modules: dict) -> set[str]:
    """The house's modules one import statement names (relative ones resolved)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & modules.keys()
    if not isinstance(node, ast.ImportFrom):
        return set()
    base = node.module or ""
    if node.level:
        package = (
            module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        )
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    # ``from tracker import log`` names the module tracker.log; ``from tracker.log
    # import Entry`` names tracker.log.
    submodules = {f"{base}.{alias.name}" for alias in node.names} & modules.keys()
    return submodules or {base} & modules.keys()


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Each module's imports of the other modules of ``packages``."""
    modules = module_names(root, packages)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets |= imported(node, module, path, modules)
        graph[module] = {t for t in targets if t != module and _not_parent(t, module)}
    return graph


def _not_parent(target: str, module: str) -> bool:
    """A package's __init__ is not a dependency of its own modules (it runs first
    anyway), so ``tracker.commands.common`` naming ``tracker.commands`` is no edge."""
    return not module.startswith(target + ".")


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports as the list of modules around it, or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" once explored
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (circle := visit(target)):
                return circle
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (circle := visit(module)):
            return circle
    return None


def test_the_house_has_no_import_circle():
    graph = import_graph(REPO, PACKAGES)
    assert len(graph) > 40  # the walk found the house, not an empty folder
    circle = find_circle(graph)
    assert circle is None, "import circle: " + " → ".join(circle)


def test_the_json_writer_reads_the_assessment_and_not_the_other_way():
    graph = import_graph(REPO, PACKAGES)
    assert "tracker.assess" in graph["tracker.report"]
    assert "tracker.report" not in graph["tracker.assess"]


def test_the_benchmarks_share_their_students_through_a_third_module():
    graph = import_graph(REPO, PACKAGES)
    assert "bench.students" in graph["bench.forecast"]
    assert "bench.students" in graph["bench.cohorts"]
    assert "bench.forecast" not in graph["bench.cohorts"]
    assert "bench.cohorts" not in graph["bench.forecast"]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_the_walk_finds_a_circle_through_a_lazy_or_type_only_import(tmp_path):
    # a → b at the top; b → c inside a function; c → a only for type checking.
    _write(
        tmp_path,
        {
            "house/__init__.py": "",
            "house/a.py": "from house import b\n",
            "house/b.py": "def f():\n    from house.c import thing\n",
            "house/c.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from . import a
                thing = 1
            """,
            "house/d.py": "import house.a\nfrom house import nothing_here\n",
        },
    )
    graph = import_graph(tmp_path, ("house",))
    assert graph["house.a"] == {"house.b"}
    assert graph["house.b"] == {"house.c"}
    assert graph["house.c"] == {"house.a"}
    assert graph["house.d"] == {"house.a"}  # a name that is no module adds nothing
    assert find_circle(graph) == ["house.a", "house.b", "house.c", "house.a"]
    del graph["house.c"]
    assert find_circle(graph) is None


def _loaded_numerics(statement: str) -> list[str]:
    """The numeric packages a fresh Python has loaded after ``statement``."""
    code = f"import sys\n{statement}\n" + (
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({NUMERICS!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    return ast.literal_eval(done.stdout)  # a printed list of names


def test_logging_and_listing_load_no_numerics():
    # What `tracker log`, `list`, `edit` and `undo` import before they run.
    statement = (
        "import tracker.cli, tracker.settings, tracker.exams, tracker.log, "
        "tracker.fixes; from tracker.assess import find_forms, record, amend"
    )
    assert _loaded_numerics(statement) == []


def test_the_verdict_loads_numpy_but_not_scipy():
    statement = "from tracker.assess import assess; import tracker.plan, tracker.report"
    assert _loaded_numerics(statement) == ["numpy"]
