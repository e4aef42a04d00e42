"""Who used a declaration: the tests that ran code naming it.

A region that only declares (a ``Protocol``, a table, a settings class, a constant) runs
when its module is imported, and then never again: coverage can name who imported it,
not who relied on it. This module answers the second question from the measured code's
syntax and the test run's per-line contexts. A declaration's *users* are the tests that
ran, after start-up, a statement that names it:

* a statement of a function that names it (``PROBLEM_TYPES[type(error)]``): the tests
  that executed that statement;
* a function's signature (an annotation, a default, a decorator): the tests that ran the
  function's body, typed against the declaration;
* another declaration (``CONTEXT_PROBLEM_TYPES = (PROBLEM_TYPES, ...)``, a class whose
  base or field names it): the users of that declaration, and the tests that ran its code.

A module-level call on an object (``cli.add_command(tenants)``, ``app.include_router(r)``)
declares nothing, but changes that object at import: its users are the users of the object
it is called on.

Names are resolved the way Python binds them, through imports (``from m import X``,
``import m``, re-exports from a package ``__init__``) and module attributes (``m.X``); a
name a function binds itself (a parameter, a local) is its own. What the syntax cannot
see (``getattr``, a name in a string, a doctest on a page) is not counted, so a
declaration can have no users: the proof then says so, and the build fails.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

Runs = Callable[[str, int, int], set[int]]
"""The tests (by index) that executed any of lines ``first``..``last`` of a file at run time."""

_DECLARATIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Assign, ast.AnnAssign)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Declaration:
    """A name a module binds at its top level, and the lines that bind it.

    Attributes:
        name: The name.
        first: The first line of its statement (a decorator's, for a decorated one).
        last: The last line of its statement.
    """

    name: str
    first: int
    last: int


@dataclass(frozen=True)
class _Lines:
    """A use at run time: whoever executed these lines of ``path``."""

    path: str
    first: int
    last: int


@dataclass(frozen=True)
class _Holder:
    """A use by another declaration: whoever used that one."""

    module: str
    name: str


_Site = _Lines | _Holder


@dataclass
class _Module:
    path: str
    key: str
    """The dotted module name, or the path for a file nobody imports by name (a test)."""
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)
    """Local name to the dotted name it binds (``module`` or ``module.attribute``)."""
    declared: dict[str, Declaration] = field(default_factory=dict)
    effects: list[Declaration] = field(default_factory=list)
    """Module-level calls on an object, each under the name of the object they change."""


class Uses:
    """The declarations of a set of modules, and who used each."""

    def __init__(self, sources: Mapping[str, str], packages: str, runs: Runs) -> None:
        """Read the modules.

        Args:
            sources: Each file's text, by repository-relative path.
            packages: The folder the packages are imported from (``snippets``): a file
                under it is known by its dotted module name.
            runs: The per-line test record of the run (see :data:`Runs`).
        """
        self._runs = runs
        self._modules: dict[str, _Module] = {}
        self._by_path: dict[str, _Module] = {}
        for path, text in sources.items():
            tree = ast.parse(text, filename=path)
            key = _module_name(path, packages) or path
            module = _Module(
                path, key, tree, declared=dict(_top_level(tree)), effects=list(_effects(tree))
            )
            self._modules[key] = self._by_path[path] = module
        for module in self._modules.values():
            module.imports = dict(_imports(module))
        self._sites: dict[tuple[str, str], list[_Site]] = {}
        for module in self._modules.values():
            for target, site in _Walker(module, self._resolve).sites():
                self._sites.setdefault(target, []).append(site)

    def tree(self, path: str) -> ast.Module:
        """The syntax tree of a file, as read."""
        return self._by_path[path].tree

    def declarations(self, path: str) -> list[Declaration]:
        """The top-level declarations of a file, and its module-level calls, in order."""
        module = self._by_path[path]
        return sorted([*module.declared.values(), *module.effects], key=lambda d: d.first)

    def users(self, path: str, name: str) -> frozenset[int]:
        """The tests that ran code naming ``name``, declared at the top of ``path``.

        The code naming it directly, and the code naming each declaration that holds it,
        followed as far as declarations hold each other (cycles included).
        """
        module = self._by_path[path]
        start = (module.key, name)
        if name not in module.declared:  # an imported object that a module-level call changes
            start = self._resolve(module.imports.get(name, "")) or start
        seen = {start}
        waiting = [start]
        found: set[int] = set()
        while waiting:
            for site in self._sites.get(waiting.pop(), []):
                if isinstance(site, _Lines):
                    found |= self._runs(site.path, site.first, site.last)
                elif (site.module, site.name) not in seen:
                    seen.add((site.module, site.name))
                    waiting.append((site.module, site.name))
        return frozenset(found)

    def _resolve(self, dotted: str) -> tuple[str, str] | None:
        """The declaration ``module.name`` stands for, following re-exports."""
        for _ in range(16):  # a re-export chain is short; a cycle of them is not followed
            module_name, _, name = dotted.rpartition(".")
            module = self._modules.get(module_name)
            if module is None:
                return None
            if name in module.declared:
                return (module.key, name)
            if name not in module.imports:
                return None
            dotted = module.imports[name]
        return None


def _module_name(path: str, packages: str) -> str | None:
    prefix = packages.rstrip("/") + "/"
    if not path.startswith(prefix) or not path.endswith(".py"):
        return None
    parts = path.removeprefix(prefix).removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or None


def _top_level(tree: ast.Module) -> Iterator[tuple[str, Declaration]]:
    """The names bound at the top of a module, under ``if`` and ``try`` too."""
    for statement in _flatten(tree.body):
        if not isinstance(statement, _DECLARATIONS):
            continue
        decorators = getattr(statement, "decorator_list", [])
        first = min([statement.lineno, *(d.lineno for d in decorators)])
        last = statement.end_lineno or statement.lineno
        for name in _bound_names(statement):
            yield name, Declaration(name, first, last)


def _effects(tree: ast.Module) -> Iterator[Declaration]:
    """Module-level calls on an object (``cli.add_command(x)``), named after the object."""
    for statement in _flatten(tree.body):
        if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
            continue
        receiver: ast.expr = statement.value.func
        if not isinstance(receiver, ast.Attribute):
            continue  # a bare call changes no object that a test could use
        while isinstance(receiver, ast.Attribute):
            receiver = receiver.value
        if isinstance(receiver, ast.Name):
            last = statement.end_lineno or statement.lineno
            yield Declaration(receiver.id, statement.lineno, last)


def _flatten(statements: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    for statement in statements:
        if isinstance(statement, ast.If | ast.Try):
            yield from _flatten(statement.body)
            yield from _flatten(statement.orelse)
            if isinstance(statement, ast.Try):
                for handler in statement.handlers:
                    yield from _flatten(handler.body)
                yield from _flatten(statement.finalbody)
        else:
            yield statement


def _bound_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return [statement.name]
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    if isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    return [
        node.id
        for target in targets
        for node in ast.walk(target)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    ]


def _imports(module: _Module) -> Iterator[tuple[str, str]]:
    """Each name an import binds, anywhere in the module, with the dotted name it stands for."""
    is_package = module.path.endswith("/__init__.py")
    package = module.key if is_package else module.key.rpartition(".")[0]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    yield alias.asname, alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    yield top, top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                if alias.name != "*":
                    yield alias.asname or alias.name, f"{base}.{alias.name}"


class _Walker:
    """Finds every name of a module that resolves to a declaration, and where it is used."""

    def __init__(self, module: _Module, resolve: Callable[[str], tuple[str, str] | None]) -> None:
        self._module = module
        self._resolve = resolve

    def sites(self) -> Iterator[tuple[tuple[str, str], _Site]]:
        """Pairs of (declaration, where it is used)."""
        yield from self._module_level(self._module.tree.body)

    # Module level: definitions run at import; what they name is used by their users.

    def _module_level(self, statements: list[ast.stmt]) -> Iterator[tuple[tuple[str, str], _Site]]:
        for statement in statements:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                continue
            if isinstance(statement, _FUNCTIONS):
                yield from self._function(statement, frozenset())
            elif isinstance(statement, ast.ClassDef):
                holder = _Holder(self._module.key, statement.name)
                yield from self._class(statement, [holder, self._span(statement)])
            elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
                sites: list[_Site] = [self._at(statement.lineno)]
                sites += [_Holder(self._module.key, n) for n in _bound_names(statement)]
                yield from self._names(statement, frozenset(), sites)
            else:
                headers, bodies = _parts(statement)
                for header, line in headers:
                    yield from self._names(header, frozenset(), [self._at(line)])
                for body in bodies:
                    yield from self._module_level(body)

    def _class(
        self, statement: ast.ClassDef, sites: list[_Site]
    ) -> Iterator[tuple[tuple[str, str], _Site]]:
        for header in [*statement.decorator_list, *statement.bases, *statement.keywords]:
            yield from self._names(header, frozenset(), sites)
        for member in statement.body:
            if isinstance(member, _FUNCTIONS):
                yield from self._function(member, frozenset())
            elif isinstance(member, ast.ClassDef):
                yield from self._class(member, [*sites, self._span(member)])
            else:  # a field, a class attribute: evaluated with the class
                yield from self._names(member, frozenset(), sites)

    # Functions: their statements run when called; their signature is used by each call.

    def _function(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, outer: frozenset[str]
    ) -> Iterator[tuple[tuple[str, str], _Site]]:
        body = _Lines(self._module.path, function.body[0].lineno, function.end_lineno or 0)
        signature: list[ast.AST] = [*function.decorator_list, function.args]
        if function.returns is not None:
            signature.append(function.returns)
        for part in signature:
            yield from self._names(part, outer, [body])
        inner = outer | _locals(function)
        for statement in function.body:
            yield from self._statement(statement, inner)

    def _statement(
        self, statement: ast.stmt, scope: frozenset[str]
    ) -> Iterator[tuple[tuple[str, str], _Site]]:
        if isinstance(statement, _FUNCTIONS):
            yield from self._function(statement, scope)
            return
        if isinstance(statement, ast.ClassDef):  # made when the function runs
            for header in [*statement.decorator_list, *statement.bases, *statement.keywords]:
                yield from self._names(header, scope, [self._at(statement.lineno)])
            for member in statement.body:
                yield from self._statement(member, scope)
            return
        headers, bodies = _parts(statement)
        for header, line in headers:
            yield from self._names(header, scope, [self._at(line)])
        for body in bodies:
            for inner in body:
                yield from self._statement(inner, scope)

    # Names.

    def _names(
        self, node: ast.AST, scope: frozenset[str], sites: list[_Site]
    ) -> Iterator[tuple[tuple[str, str], _Site]]:
        """Each declaration named in ``node``, with each of the sites it is used at."""
        named = list(self._targets(node, scope))
        if not named:
            return  # most statements name no declaration: spare them the second walk
        own = _bound_within(node)  # a comprehension's or a lambda's own names
        for root, target in named:
            if root not in own:
                for site in sites:
                    yield target, site

    def _targets(
        self, node: ast.AST, scope: frozenset[str]
    ) -> Iterator[tuple[str, tuple[str, str]]]:
        """Each declaration ``node`` names, with the local name its reference starts from."""
        for child in ast.walk(node):
            if not isinstance(child, ast.Name | ast.Attribute) or not isinstance(
                child.ctx, ast.Load
            ):
                continue
            root: ast.expr = child
            while isinstance(root, ast.Attribute):
                root = root.value
            if not isinstance(root, ast.Name) or root.id in scope:
                continue
            dotted = self._dotted(child)
            target = self._resolve(dotted) if dotted is not None else None
            if target is not None:
                yield root.id, target

    def _dotted(self, node: ast.expr) -> str | None:
        """The dotted name a name or a chain of attributes stands for, if it is ours."""
        if isinstance(node, ast.Name):
            if node.id in self._module.imports:
                return self._module.imports[node.id]
            if node.id in self._module.declared:
                return f"{self._module.key}.{node.id}"
            return None
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base is not None else None
        return None

    def _at(self, line: int) -> _Lines:
        return _Lines(self._module.path, line, line)

    def _span(self, statement: ast.ClassDef) -> _Lines:
        return _Lines(self._module.path, statement.lineno, statement.end_lineno or 0)


def _parts(statement: ast.AST) -> tuple[list[tuple[ast.AST, int]], list[list[ast.stmt]]]:
    """A statement's own expressions, each with the line coverage runs it at, and its blocks.

    Coverage counts a statement at its first line, however many lines it spans; an
    ``except`` or ``case`` clause counts at its own line.
    """
    line = getattr(statement, "lineno", 0)
    headers: list[tuple[ast.AST, int]] = []
    bodies: list[list[ast.stmt]] = []
    for _, value in ast.iter_fields(statement):
        values = value if isinstance(value, list) else [value]
        if values and all(isinstance(v, ast.stmt) for v in values):
            bodies.append(values)
        elif values and all(isinstance(v, ast.excepthandler | ast.match_case) for v in values):
            for clause in values:
                clause_headers, clause_bodies = _parts(clause)
                headers += clause_headers
                bodies += clause_bodies
        else:
            headers += [(v, line) for v in values if isinstance(v, ast.AST)]
    return headers, bodies


def _locals(function: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """The names a function binds itself: its parameters, and what its own code assigns."""
    arguments = function.args
    names = {
        a.arg
        for a in [
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *([arguments.vararg] if arguments.vararg else []),
            *([arguments.kwarg] if arguments.kwarg else []),
        ]
    }
    for statement in function.body:
        names |= _bound_within(statement)
    return frozenset(names)


def _bound_within(node: ast.AST) -> frozenset[str]:
    """Names stored inside ``node``, not counting nested functions' own."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Store):
            names.add(current.id)
        elif isinstance(current, ast.arg):
            names.add(current.arg)
        elif isinstance(current, (*_FUNCTIONS, ast.ClassDef)) and current is not node:
            names.add(current.name)
            continue
        stack.extend(ast.iter_child_nodes(current))
    return frozenset(names)
