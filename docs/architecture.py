"""The modules of ``src/provenance/`` and the arrows between them, read from the source.

``python docs/architecture.py`` prints the module list of the README's "How it is built";
the README holds it as a cog block (``cog -r README.md`` regenerates it, ``.ci/run`` runs
``cog --check README.md``), so the list cannot drift from the code. ``tests/test_layout.py``
checks the architecture with the same reading: no import cycle, no private name imported
from another module, no module too long, every module with a docstring and with tests.

The code is read, never imported (the standard library's ``ast`` only): a module that
does not import cleanly is still listed, and reading costs no start-up.

Each import of a ``provenance`` module is one of:

* ``top``: run when the module is loaded (the module's body, its class bodies, an ``if``
  or ``try`` at the top);
* ``deferred``: run when first needed: an import inside a function, or
  ``lazy_module("provenance.x")`` (lazy.py), wherever it is;
* ``typing``: only for the type checker (under ``if TYPE_CHECKING:``);
* ``registers``: the shell (``cli.py``) importing its command modules at its very end, after
  its last definition, so that their commands join its groups. A command module imports
  the shell at its top, so this one loop is by design; the cycle check leaves it out.

Layers, from the top (an arrow may point down or sideways, never up):

* the shell: ``cli.py`` and its command modules ``cli_*.py`` (Click: parse, open one
  transaction, call the library, print);
* the library: everything else that knows the schema (never commits, never prints);
* models and db: the schema (``models.py``) and engines and transactions (``db.py``);
* helpers: modules below the schema, named in ``HELPERS``: they import only each other.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "provenance"
PACKAGE_NAME = "provenance"

TOP, DEFERRED, TYPING, REGISTERS = "top", "deferred", "typing", "registers"

SHELL = "cli"
# The modules every layer may use: no SQL, no Click commands. A new helper is added here
# by hand (any other new module is library), and tests/test_layout.py checks that each
# imports only other helpers.
HELPERS = (
    "choices",
    "edtf_dates",
    "errors",
    "files",
    "gc_pause",
    "inputs",
    "lazy",
    "lexicon",
    "output",
    "suggest",
    "values",
)
MODELS_AND_DB = ("models", "db")

LAYERS = (
    ("shell", "the command line: parse, open one transaction, call the library, print"),
    ("library", "what the product does; takes a session, never commits, raises ProvenanceError"),
    ("models and db", "the schema, engines and the two kinds of transaction"),
    ("helpers", "values, ids, output, files: below the schema, used by every layer"),
)


@dataclass(frozen=True)
class Import:
    """One import of a ``provenance`` module by another."""

    target: str  # the module's name inside the package: "claims", "extract.review"
    kind: str  # TOP, DEFERRED, TYPING or REGISTERS
    line: int
    names: tuple[str, ...] = ()  # what ``from target import …`` takes from it


@dataclass
class Module:
    """One module of the package: ``cli``, ``extract.pipeline``, ``extract`` (its __init__)."""

    name: str
    file: str  # the path inside the package: "cli.py", "extract/__init__.py"
    docstring: str | None
    lines: int
    is_package: bool
    imports: list[Import] = field(default_factory=list)
    # private names of other modules this one reads: (module, name, line)
    private_uses: list[tuple[str, str, int]] = field(default_factory=list)

    def targets(self, *kinds: str) -> list[str]:
        """The modules this one imports in any of ``kinds``, sorted, each once."""
        return sorted({i.target for i in self.imports if i.kind in kinds and i.target != self.name})

    @property
    def summary(self) -> str:
        """The docstring's first sentence, on one line."""
        if not self.docstring:
            return "(no docstring)"
        paragraph = " ".join(self.docstring.strip().split("\n\n")[0].split())
        match = re.match(r"(.+?[.!?])(?:\s|$)", paragraph)
        return match.group(1) if match else paragraph


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_package(package: Path = PACKAGE) -> dict[str, Module]:
    """Every module of the package (subpackages too), by name; the package's own
    ``__init__`` is the module named ""."""
    paths = sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    names = {module_name(p, package) for p in paths}
    modules = {}
    for path in paths:
        name = module_name(path, package)
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        module = Module(
            name=name,
            file=path.relative_to(package).as_posix(),
            docstring=ast.get_docstring(tree),
            lines=len(source.splitlines()),
            is_package=path.name == "__init__.py",
        )
        _Reader(module, names).read(tree)
        modules[name] = module
    return modules


class _Reader:
    """Finds a module's imports of the package, their kind, and the private names it reads."""

    def __init__(self, module: Module, names: set[str]):
        self.module = module
        self.names = names
        # the package a relative import starts from
        self.here = module.name if module.is_package else module.name.rpartition(".")[0]
        self.aliases: dict[str, str] = {}  # local name -> module of the package

    def read(self, tree: ast.Module) -> None:
        body = tree.body
        last_definition = max(
            (n.lineno for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef))),
            default=0,
        )
        for statement in body:
            kind = TOP
            if (
                self.module.name == SHELL
                and statement.lineno > last_definition
                and _is_import(statement)
            ):
                kind = REGISTERS
            self.visit(statement, kind)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in self.aliases
                and _private(node.attr)
            ):
                target = self.aliases[node.value.id]
                if target != self.module.name:
                    self.module.private_uses.append((target, node.attr, node.lineno))

    def visit(self, node: ast.AST, kind: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            kind = DEFERRED if kind in (TOP, REGISTERS) else kind
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                self.visit(statement, TYPING)
            for statement in node.orelse:
                self.visit(statement, kind)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = self._absolute(alias.name)
                if target is not None:
                    self._add(target, kind, node.lineno)
                    if alias.asname:
                        self.aliases[alias.asname] = target
        elif isinstance(node, ast.ImportFrom):
            self._import_from(node, kind)
        elif isinstance(node, ast.Call) and _called(node.func) == "lazy_module":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                target = self._absolute(first.value)
                if target is not None:
                    self._add(target, DEFERRED if kind != TYPING else TYPING, node.lineno)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            first = node.value.args[0] if node.value.args else None
            if (
                _called(node.value.func) == "lazy_module"
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                target = self._absolute(first.value)
                if target is not None:
                    for assigned in node.targets:
                        if isinstance(assigned, ast.Name):
                            self.aliases[assigned.id] = target
        for child in ast.iter_child_nodes(node):
            self.visit(child, kind)

    def _import_from(self, node: ast.ImportFrom, kind: str) -> None:
        if node.level:
            base_parts = self.here.split(".") if self.here else []
            if node.level > 1:
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
            base = ".".join([*base_parts, *([node.module] if node.module else [])])
        else:
            absolute = self._absolute(node.module or "")
            if absolute is None:
                return
            base = absolute
        taken = []
        for alias in node.names:
            submodule = f"{base}.{alias.name}" if base else alias.name
            if submodule in self.names:  # ``from . import claims``: the module itself
                self._add(submodule, kind, node.lineno)
                self.aliases[alias.asname or alias.name] = submodule
            else:
                taken.append(alias.name)
        if taken or not node.names:
            self._add(base, kind, node.lineno, tuple(taken))

    def _absolute(self, dotted: str) -> str | None:
        """The name inside the package of an absolute module name, or None if outside it."""
        if dotted == PACKAGE_NAME:
            return ""
        if dotted.startswith(PACKAGE_NAME + "."):
            return dotted[len(PACKAGE_NAME) + 1 :]
        return None

    def _add(self, target: str, kind: str, line: int, names: tuple[str, ...] = ()) -> None:
        self.module.imports.append(Import(target, kind, line, names))


def _is_import(node: ast.AST) -> bool:
    return isinstance(node, (ast.Import, ast.ImportFrom))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _called(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


# ---------------------------------------------------------------- what the checks read


def layer(name: str) -> str:
    """The layer of module ``name`` (see the module's docstring)."""
    top = name.split(".")[0]
    if top == SHELL or top.startswith(SHELL + "_"):
        return "shell"
    if top in MODELS_AND_DB:
        return "models and db"
    if top in HELPERS or name == "":
        return "helpers"
    return "library"


def private_imports(modules: dict[str, Module]) -> Iterator[str]:
    """Each private name a module takes from another module, as a line naming both."""
    for module in modules.values():
        for imp in module.imports:
            for name in imp.names:
                if _private(name) and imp.target != module.name:
                    yield f"{module.file}:{imp.line} imports {name} from {_shown(imp.target)}"
        for target, name, line in module.private_uses:
            yield f"{module.file}:{line} reads {_shown(target)}.{name}"


def import_cycles(modules: dict[str, Module]) -> list[list[str]]:
    """The loops among imports run when modules load (``top``), each as the modules on it.

    Importing ``a.b`` from outside ``a`` runs the package ``a`` first, so it counts as
    importing both; from inside ``a`` it does not (``a`` is already loading).
    """
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for module in modules.values():
        for target in module.targets(TOP):
            graph[module.name].update(
                t for t in _loaded_by(module.name, target) if t in modules and t != module.name
            )
    return [c for c in _strongly_connected(graph) if len(c) > 1]


def _loaded_by(importer: str, target: str) -> Iterator[str]:
    """What importing ``target`` from ``importer`` runs: the target and the packages
    above it that are not already loading (the importer's own)."""
    yield target
    parts = target.split(".")
    for end in range(1, len(parts)):
        package = ".".join(parts[:end])
        if not (importer == package or importer.startswith(package + ".")):
            yield package


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the strongly connected components of ``graph``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
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
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def upward_imports(modules: dict[str, Module]) -> Iterator[str]:
    """Each import that points up the layers (typing-only imports aside)."""
    order = [name for name, _ in LAYERS]
    for module in modules.values():
        here = order.index(layer(module.name))
        for imp in module.imports:
            if imp.kind == TYPING or imp.target == module.name:
                continue
            there = order.index(layer(imp.target))
            if there < here:
                yield (
                    f"{module.file}:{imp.line} ({layer(module.name)}) imports"
                    f" {_shown(imp.target)} ({layer(imp.target)})"
                )


def _shown(name: str) -> str:
    return name or PACKAGE_NAME


# ---------------------------------------------------------------- the README's list


def _ordered(modules: dict[str, Module]) -> Iterable[Module]:
    """Modules in reading order: a package right after the modules before it, then its own."""
    return sorted(
        (m for m in modules.values() if m.name),
        key=lambda m: m.name.split("."),
    )


def readme_text(modules: dict[str, Module] | None = None, width: int = 100) -> str:
    """The generated part of the README's "How it is built": every module by layer."""
    modules = read_package() if modules is None else modules
    column = 26
    out = []
    out.append("```")
    out.append("Generated by docs/architecture.py from src/provenance/ (cog -r README.md):")
    out.append("  imports       loaded with the module")
    out.append(
        "  on first use  imported inside a function, or lazy_module(...): loaded when needed"
    )
    out.append("  registers     the shell loads its command modules last, so they join its groups")
    for name, description in LAYERS:
        members = [m for m in _ordered(modules) if layer(m.name) == name]
        if not members:
            continue
        out.append("")
        out.append(f"── {name}: {description}")
        for module in members:
            label = module.file + ("/" if module.is_package else "")
            if module.is_package:
                label = module.name.replace(".", "/") + "/"
            out.extend(
                textwrap.wrap(
                    module.summary,
                    width=width,
                    initial_indent=f"{label:<{column - 1}} ",
                    subsequent_indent=" " * column,
                    break_on_hyphens=False,
                )
                if len(label) < column - 1
                else [label, *_wrapped(module.summary, column, width)]
            )
            for title, kinds in (
                ("imports", (TOP,)),
                ("on first use", (DEFERRED,)),
                ("registers", (REGISTERS,)),
            ):
                targets = [t for t in module.targets(*kinds) if t]
                if kinds == (DEFERRED,):
                    loaded = set(module.targets(TOP))
                    targets = [t for t in targets if t not in loaded]
                if targets:
                    out.extend(
                        textwrap.wrap(
                            " ".join(targets),
                            width=width,
                            initial_indent=f"    {title:<{column - 5}} ",
                            subsequent_indent=" " * column,
                            break_on_hyphens=False,
                            break_long_words=False,
                        )
                    )
    out.append("```")
    return "\n".join(out) + "\n"


def _wrapped(text: str, column: int, width: int) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=" " * column,
        subsequent_indent=" " * column,
        break_on_hyphens=False,
    )


if __name__ == "__main__":
    sys.stdout.write(readme_text())
