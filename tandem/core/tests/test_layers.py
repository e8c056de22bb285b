"""The floor plan of the code, read from its imports with the standard library's `ast`
(docs/architecture.md, decision 075):

- `tandem.core` is the base layer: it imports no other Tandem app, except `core/tenancy.py`,
  which must know memberships and agreements to say who sees what;
- no domain app imports `tandem.portal`, the top floor that looks across them;
- no two modules import each other, directly or around a loop, at module level;
- an import inside a function is there only because a module-level one would close such a
  loop, and says so in a comment.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # the repository
PACKAGES = ("tandem", "config")

# The one documented exception to "core imports no app" (decision 075).
CORE_MAY_IMPORT = {"tandem/core/tenancy.py": {"tandem.accounts", "tandem.agreements"}}
# The solver library loads its heavier parts (the HiGHS decomposition, explanations) only
# when a solve needs them, and its tooling (benchmarks, PuLP baselines, instance families)
# imports what it runs when it runs: PuLP is a test dependency the library never imports.
OPTIONAL_IMPORTS_UNDER = ("tandem/residency/scheduling/",)


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    path: str  # its file, relative to the repository
    target: str  # the imported module, dotted
    line: int
    in_function: bool
    type_checking: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


MODULES = {_module_name(path): path for path in _files()}


def _resolve(name: str) -> str | None:
    """The deepest of our modules that `name` (a module, or a name inside one) lies in."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_of(module: str, path: Path) -> Iterator[Import]:
    relative = path.relative_to(ROOT).as_posix()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from visit(child, True, type_checking)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                yield from visit(child, in_function, True)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if isinstance(child, ast.Import):
                    names = [alias.name for alias in child.names]
                else:
                    base = child.module or ""
                    if child.level:
                        base = ".".join(
                            [*package.split(".")[: len(package.split(".")) - child.level + 1]]
                            + ([base] if base else [])
                        )
                    names = [f"{base}.{alias.name}" for alias in child.names]
                for name in names:
                    target = _resolve(name)
                    if target is not None and target != module:
                        yield Import(
                            module, relative, target, child.lineno, in_function, type_checking
                        )
            else:
                yield from visit(child, in_function, type_checking)

    yield from visit(ast.parse(path.read_text(encoding="utf-8")), False, False)


IMPORTS = [found for module, path in MODULES.items() for found in _imports_of(module, path)]


def _app(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "tandem" and len(parts) > 1 else parts[0]


def _is_test(found: Import) -> bool:
    return "/tests/" in f"/{found.path}"


def _graph() -> dict[str, set[str]]:
    """Module-level imports that run: not inside functions, not under TYPE_CHECKING."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for found in IMPORTS:
        if not found.in_function and not found.type_checking:
            graph[found.source].add(found.target)
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_scan_sees_the_imports():
    assert "tandem.portal.history" in MODULES and "tandem.core.audit" in MODULES
    targets = {found.target for found in IMPORTS if found.source == "tandem.portal.history"}
    assert {"tandem.residency.history", "tandem.core.audit_labels"} <= targets
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_core_imports_no_other_app():
    wrong = []
    for found in IMPORTS:
        if not found.path.startswith("tandem/core/") or _is_test(found):
            continue
        app = _app(found.target)
        if app == "tandem.core":
            continue
        if app in CORE_MAY_IMPORT.get(found.path, set()):
            continue
        wrong.append(f"{found.path}:{found.line} imports {found.target}")
    assert not wrong, "tandem.core is the base layer (decision 075):\n" + "\n".join(wrong)


def test_no_domain_app_imports_the_portal():
    wrong = [
        f"{found.path}:{found.line} imports {found.target}"
        for found in IMPORTS
        if _app(found.target) == "tandem.portal"
        and found.path.startswith("tandem/")
        and _app(found.source) != "tandem.portal"
        and not _is_test(found)
    ]
    assert not wrong, "the portal is the top floor; no app builds on it:\n" + "\n".join(wrong)


def test_no_import_cycles_at_module_level():
    cycles = _cycles(_graph())
    assert not cycles, "modules that import each other at module level: " + "; ".join(
        " ↔ ".join(cycle) for cycle in cycles
    )


def test_imports_inside_functions_break_a_real_cycle_and_say_so():
    graph = _graph()
    needless, silent = [], []
    for found in IMPORTS:
        if not found.in_function or found.type_checking or _is_test(found):
            continue
        if found.path.startswith(OPTIONAL_IMPORTS_UNDER):
            continue
        where = f"{found.path}:{found.line} imports {found.target}"
        if not _reaches(graph, found.target, found.source):
            needless.append(where)
            continue
        lines = (ROOT / found.path).read_text(encoding="utf-8").splitlines()
        before = lines[found.line - 2].strip() if found.line > 1 else ""
        if "#" not in lines[found.line - 1] and not before.startswith("#"):
            silent.append(where)
    assert not needless, "import these at the top, no cycle needs them here:\n" + "\n".join(
        needless
    )
    assert not silent, "say in a comment which cycle this import breaks:\n" + "\n".join(silent)
