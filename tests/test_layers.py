"""Dependencies flow one way: pages -> core, storage. Checked on the source, without importing it."""

from __future__ import annotations

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def python_files(*places: str) -> list[Path]:
    """Returns the .py files under the given folders (and the given files) of the repository."""
    files: list[Path] = []
    for place in places:
        path = REPO_ROOT / place
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []
    return files


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Returns (line, dotted name) for every import in the tree, nested ones included.

    `from a.b import c` gives "a.b.c", so `from sklearn import metrics` counts as sklearn.metrics.
    """
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def module_level_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Returns the imports that run when the module runs: outside any function or class body."""
    found = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found += imported_modules(node)
        else:
            pending += list(ast.iter_child_nodes(node))
    return found


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}:{line}"


def is_within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def forbidden_imports(places: tuple[str, ...], packages: tuple[str, ...]) -> list[str]:
    """Returns "file:line imports name" for each import from the packages."""
    return [
        f"{where(path, line)} imports {name}"
        for path in python_files(*places)
        for line, name in imported_modules(parse(path))
        if is_within(name, packages)
    ]


def sql_calls(path: Path) -> list[str]:
    """Returns the query-building calls in a file: select(...), text(...), <x>.exec(...)."""
    found = []
    for node in ast.walk(parse(path)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in {"select", "text"}:
            found.append(f"{where(path, node.lineno)} calls {func.id}(...)")
        elif isinstance(func, ast.Attribute) and func.attr in {"exec", "execute"}:
            found.append(f"{where(path, node.lineno)} calls .{func.attr}(...)")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in {"select", "text"}
            and isinstance(func.value, ast.Name)
            and func.value.id in {"sqlmodel", "sqlalchemy", "sa"}
        ):
            found.append(f"{where(path, node.lineno)} calls {func.value.id}.{func.attr}(...)")
    return found


UI = ("pages", "app.py")


def test_core_imports_no_ui_and_no_database() -> None:
    problems = forbidden_imports(("core",), ("streamlit", "sqlmodel", "sqlalchemy"))
    assert not problems, "core/ must stay free of streamlit and the database:\n" + "\n".join(problems)


def test_storage_imports_no_streamlit() -> None:
    problems = forbidden_imports(("storage",), ("streamlit",))
    assert not problems, "storage/ must not import streamlit:\n" + "\n".join(problems)


def test_pages_import_nothing_from_the_database_libraries() -> None:
    problems = forbidden_imports(UI, ("sqlmodel", "sqlalchemy"))
    assert not problems, "pages/ and app.py go through storage/:\n" + "\n".join(problems)


def test_pages_build_no_sql() -> None:
    problems = [problem for path in python_files(*UI) for problem in sql_calls(path)]
    assert not problems, "pages/ and app.py call storage/ instead of querying:\n" + "\n".join(problems)


def test_pages_do_no_metric_maths() -> None:
    problems = forbidden_imports(UI, ("sklearn.metrics", "scipy.stats", "scipy.spatial.distance"))
    assert not problems, "metrics are computed in core/, not in pages:\n" + "\n".join(problems)


def test_home_page_does_not_import_sklearn_at_module_level() -> None:
    app = REPO_ROOT / "app.py"
    if not app.exists():
        return
    problems = [
        f"{where(app, line)} imports {module}"
        for line, module in module_level_imports(parse(app))
        if is_within(module, ("sklearn",))
    ]
    assert not problems, "app.py must start fast; import sklearn inside functions:\n" + "\n".join(problems)


def test_mlflow_is_imported_only_when_runs_are_sent() -> None:
    problems = [
        f"{where(path, line)} imports {module}"
        for path in python_files("core", "storage", *UI)
        for line, module in module_level_imports(parse(path))
        if is_within(module, ("mlflow",))
    ]
    assert not problems, "MLflow is optional and slow to import; import it inside functions:\n" + "\n".join(problems)


def test_the_checks_see_the_layers() -> None:
    """Guards the checks above against passing because they looked at no file at all."""
    for folder in ("core", "storage"):
        if (REPO_ROOT / folder).is_dir():
            assert python_files(folder), f"no .py file found under {folder}/"
    assert "sklearn" in [m for _, m in module_level_imports(ast.parse("import sklearn"))]
    nested = ast.parse("def f():\n    import sklearn\n")
    assert module_level_imports(nested) == [] and imported_modules(nested) == [(2, "sklearn")]
    assert imported_modules(ast.parse("from scipy import stats")) == [(1, "scipy.stats")]


def test_sql_call_check_tells_queries_from_streamlit_text(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("st.text('hi')\nrows = session.exec(select(Project)).all()\n")
    found = [problem.split(" calls ")[1] for problem in sql_calls(page)]
    assert sorted(found) == [".exec(...)", "select(...)"]


# Stage packages, in lifecycle order. A module at the top of a layer is shared (or cross-cutting).
STAGES = ("project", "scoping", "data", "labeling", "baselines", "modeling",
          "errors", "fairness", "deployment", "monitoring", "report")
STAGE_LAYERS = ("core", "storage", "pages/components")


def stage_of(path: Path, layer: str) -> str | None:
    """Returns the stage package a file of the layer belongs to, or None for a shared module."""
    parts = path.relative_to(REPO_ROOT / layer).parts
    return parts[0] if len(parts) > 1 and parts[0] in STAGES else None


def stage_imports(layer: str, root: Path = REPO_ROOT) -> dict[tuple[str, str], list[str]]:
    """Returns (importing stage, imported stage) -> the "file:line imports name" lines behind it.

    Lazy imports inside functions count: a cycle hidden in a function body is still a cycle.
    """
    package = layer.replace("/", ".")
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted((root / layer).rglob("*.py")):
        source = stage_of(path, layer) if root == REPO_ROOT else path.relative_to(root / layer).parts[0]
        for line, name in imported_modules(parse(path)):
            target = name[len(package) + 1:].split(".")[0] if is_within(name, (package,)) else None
            if source and target in STAGES and target != source:
                edges.setdefault((source, target), []).append(f"{where(path, line)} imports {name}")
    return edges


def stage_cycles(edges: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """Returns each cycle of the stage graph once, as the stages along it (first stage repeated last)."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    cycles, seen = [], set()

    def walk(path: list[str]) -> None:
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == path[0]:
                key = frozenset(zip(path, path[1:] + [nxt]))
                if key not in seen:
                    seen.add(key)
                    cycles.append(path + [nxt])
            elif nxt not in path and nxt > path[0]:  # each cycle is found from its smallest stage name
                walk(path + [nxt])

    for start in sorted(graph):
        walk([start])
    return cycles


def describe_cycles(edges: dict[tuple[str, str], list[str]]) -> list[str]:
    """Returns one paragraph per cycle: the stages, then every import that makes each step."""
    return [" -> ".join(cycle) + "\n" + "\n".join(
        f"  {line}" for a, b in zip(cycle, cycle[1:]) for line in edges[(a, b)]) for cycle in stage_cycles(edges)]


def test_stage_packages_import_each_other_without_cycles() -> None:
    problems = [problem for layer in STAGE_LAYERS for problem in describe_cycles(stage_imports(layer))]
    assert not problems, (
        "Stage packages must depend one way; move what both sides need into a shared module "
        "at the top of the layer:\n" + "\n".join(problems))


def test_every_stage_package_says_what_it_does() -> None:
    missing = [f"{layer}/{path.parent.name}" for layer in STAGE_LAYERS
               for path in (REPO_ROOT / layer).glob("*/__init__.py")
               if path.parent.name in STAGES and not ast.get_docstring(parse(path))]
    assert not missing, "each stage package's __init__.py summarises the stage:\n" + "\n".join(missing)


def test_only_shared_modules_sit_at_the_top_of_core() -> None:
    shared = {"__init__.py", "predictions.py", "features.py", "slicing.py", "structure.py", "exports.py",
              "markdown_text.py"}
    loose = sorted(p.name for p in (REPO_ROOT / "core").glob("*.py") if p.name not in shared)
    assert not loose, f"core/ keeps only shared modules at its top; move these into a stage package: {loose}"


def test_the_cycle_check_names_the_imports_of_a_planted_cycle(tmp_path: Path) -> None:
    for stage, other in (("labeling", "modeling"), ("modeling", "labeling")):
        (tmp_path / "core" / stage).mkdir(parents=True)
        (tmp_path / "core" / stage / "x.py").write_text(f"def f():\n    from core.{other}.y import z\n")
    (tmp_path / "core" / "data").mkdir()
    (tmp_path / "core" / "data" / "x.py").write_text("from core.labeling.x import f\n")  # one way: no cycle
    edges = stage_imports("core", root=tmp_path)
    [problem] = describe_cycles(edges)
    assert problem.startswith("labeling -> modeling -> labeling")
    assert "core/labeling/x.py:2 imports core.modeling.y.z" in problem
    assert "core/modeling/x.py:2 imports core.labeling.y.z" in problem
