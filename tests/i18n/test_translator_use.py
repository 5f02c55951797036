"""How the code calls the translator: never at import, and never hidden behind a throwaway ``_``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSLATING = {"_", "ngettext", "pgettext"}


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for folder in ("bot", "adapters"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def _imports_translator(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and any(alias.name == "_" for alias in node.names)
        for node in ast.walk(tree)
    )


def _translating_calls(node: ast.AST) -> Iterator[ast.Call]:
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Name)
            and inner.func.id in TRANSLATING
        ):
            yield inner


def _bound_names(node: ast.AST) -> Iterator[tuple[str, int]]:
    """Every name a statement or expression binds (targets, loop and comprehension variables,
    ``as`` names, parameters), with its line."""
    for inner in ast.walk(node):
        targets: list[ast.AST] = []
        if isinstance(inner, ast.Assign):
            targets = list(inner.targets)
        elif isinstance(
            inner,
            (ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.For, ast.AsyncFor, ast.comprehension),
        ):
            targets = [inner.target]
        elif isinstance(inner, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in inner.items if item.optional_vars]
        elif isinstance(inner, ast.ExceptHandler) and inner.name:
            yield inner.name, inner.lineno
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = inner.args
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                yield arg.arg, inner.lineno
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    yield name.id, name.lineno


def test_no_module_that_translates_binds_underscore_as_a_throwaway() -> None:
    """``for _, x in ...`` beside ``from bot.kernel.i18n import _`` shadows the translator in that
    scope: a ``_("...")`` added there later would call a tuple member instead."""
    found = [
        f"{path}:{line}"
        for path, tree in _modules()
        if _imports_translator(tree)
        for name, line in _bound_names(tree)
        if name == "_"
    ]
    assert not found, "name the throwaway (_item, _key) instead: " + ", ".join(found)


def test_nothing_is_translated_at_import() -> None:
    """Module and class bodies, default arguments and decorators run once, in no reader's
    language: text kept there is marked with ``N_`` and translated where it is shown."""
    found = []
    for path, tree in _modules():
        bodies: list[list[ast.stmt]] = [tree.body]
        while bodies:
            for statement in bodies.pop():
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    arguments = statement.args
                    eager = [*arguments.defaults, *statement.decorator_list]
                    eager += [d for d in arguments.kw_defaults if d is not None]
                    found += [f"{path}:{c.lineno}" for e in eager for c in _translating_calls(e)]
                elif isinstance(statement, ast.ClassDef):
                    bodies.append(statement.body)
                else:
                    found += [
                        f"{path}:{c.lineno}"
                        for c in _translating_calls(statement)
                        if not _inside_lambda(statement, c)
                    ]
    assert not found, "translated at import: " + ", ".join(found)


def _inside_lambda(statement: ast.stmt, call: ast.Call) -> bool:
    """A call in a ``lambda`` (a dataclass's ``default_factory``) runs when it is used."""
    return any(
        isinstance(node, ast.Lambda) and any(inner is call for inner in ast.walk(node))
        for node in ast.walk(statement)
    )
