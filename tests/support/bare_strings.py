"""Finds user-facing text that was never marked for translation.

Extraction only sees strings inside ``_``, ``N_``, ``ngettext`` and ``pgettext``; a sentence written as
a bare literal or an f-string would reach a Spanish-speaking teacher in English with nothing to say so.
This reads the source the way a reviewer would: a literal that reads as prose (two words or more), or
that fills a label, title or text, is user-facing unless it sits in a translation call, a docstring, a
log line, a developer's exception or a comparison with what someone typed. A line that really is not
for people (a SQL fragment, a platform's own keyword) says so with ``# not translated: why``.

Run ``python -m tests.support.bare_strings [PATH ...]`` to list what is left in a folder.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "adapters")
TRANSLATORS = {"_", "N_", "ngettext", "pgettext"}
LOGGERS = {"log", "logger", "logging", "warnings", "LOG"}
USER_ERRORS = {"UserError", "PermissionDenied", "UnknownCommand", "FormInvalid", "NotFound"}
"""Exceptions whose message a person reads; any other exception's text is for developers."""
LABEL_KEYWORDS = {
    "label",
    "title",
    "text",
    "placeholder",
    "hint",
    "description",
    "header",
    "submit_label",
    "close_label",
    "alt",
    "summary",
    "prompt",
    "fallback",
}
LABEL_POSITIONS = {
    "Button": 0,
    "Option": 1,
    "Input": 1,
    "Header": 0,
    "Context": 0,
    "text_message": 0,
}
"""Calls whose positional argument at this index is shown to people, one word or many."""
MACHINE_CALLS = {"Refusal", "_problem", "SendResult", "start_response", "with_retries"}
"""Calls whose text is for a platform's servers, an HTTP client or the delivery log, not a person."""
_HTTP_STATUS = re.compile(r"^\d{3} [A-Z]")
PRAGMA = "# not translated:"
_PROSE = re.compile(r"[^\W\d_]{2,}[ \u00a0]+[^\W\d_]{2,}")
_CODE = re.compile(r"`[^`]*`|\{[^{}]*\}|https?://\S+|<[^<>]*>")


@dataclass(frozen=True)
class Bare:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text[:90]!r}"


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for statement in body:
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                found.add(id(statement.value))
    return found


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _call_owner(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id
    return ""


def _text_of(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return ""


def _reads_as_prose(text: str) -> bool:
    return bool(_PROSE.search(_CODE.sub(" ", text)))


class _Scan(ast.NodeVisitor):
    def __init__(self, path: str, source: str, tree: ast.AST) -> None:
        self.path = path
        self.lines = source.splitlines()
        self.docstrings = _docstrings(tree)
        self.found: list[Bare] = []
        self._stack: list[ast.AST] = []

    def generic_visit(self, node: ast.AST) -> None:
        self._stack.append(node)
        super().generic_visit(node)
        self._stack.pop()

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and not self._inside_joined():
            self._judge(node)

    def visit_Call(self, node: ast.Call) -> None:
        # pybabel cannot see inside an f-string: a string marked there is never extracted, so it
        # would stay English in every language without anything failing.
        literal = any(isinstance(a, ast.Constant) for a in node.args)
        if (
            _call_name(node) in TRANSLATORS
            and literal
            and any(isinstance(a, ast.JoinedStr | ast.FormattedValue) for a in self._stack)
        ):
            self.found.append(Bare(self.path, node.lineno, "a translation call inside an f-string"))
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._judge(node)
        self.generic_visit(node)

    def _inside_joined(self) -> bool:
        return bool(self._stack) and isinstance(self._stack[-1], ast.JoinedStr | ast.FormattedValue)

    def _judge(self, node: ast.expr) -> None:
        if id(node) in self.docstrings or self._excused(node):
            return
        text = _text_of(node)
        if not re.search(r"[^\W\d_]", text) or _HTTP_STATUS.match(text):
            return
        if _reads_as_prose(text) or self._in_label_place(node):
            self.found.append(Bare(self.path, node.lineno, text))

    def _excused(self, node: ast.expr) -> bool:
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
            if PRAGMA in self.lines[line - 1]:
                return True
        for ancestor in reversed(self._stack):
            if isinstance(ancestor, ast.Call):
                name = _call_name(ancestor)
                if name in TRANSLATORS | MACHINE_CALLS or _call_owner(ancestor) in LOGGERS:
                    return True
                if _call_owner(ancestor) == "re" or name in ("compile", "text", "sub"):
                    return True
            if isinstance(ancestor, ast.Raise):
                raised = ancestor.exc
                called = raised.func if isinstance(raised, ast.Call) else raised
                name = (
                    called.id
                    if isinstance(called, ast.Name)
                    else called.attr
                    if isinstance(called, ast.Attribute)
                    else ""
                )
                if name not in USER_ERRORS and not name.endswith("Refusal"):
                    return True
            if isinstance(ancestor, ast.Assert | ast.Compare | ast.Subscript):
                return True
            if isinstance(ancestor, ast.Dict) and any(key is node for key in ancestor.keys):
                return True
            if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                break
        return False

    def _in_label_place(self, node: ast.expr) -> bool:
        if not self._stack:
            return False
        parent = self._stack[-1]
        if isinstance(parent, ast.keyword) and parent.arg in LABEL_KEYWORDS:
            return True
        if isinstance(parent, ast.Call):
            index = LABEL_POSITIONS.get(_call_name(parent))
            return index is not None and len(parent.args) > index and parent.args[index] is node
        return False


def bare_strings(*paths: Path) -> Iterator[Bare]:
    """Every unmarked user-facing literal under ``paths`` (the core and the adapters by default)."""
    roots = paths or tuple(ROOT / name for name in SCANNED)
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for file in files:
            source = file.read_text(encoding="utf-8")
            tree = ast.parse(source)
            scan = _Scan(str(file.relative_to(ROOT)), source, tree)
            scan.visit(tree)
            yield from scan.found


if __name__ == "__main__":
    left = list(bare_strings(*(Path(arg).resolve() for arg in sys.argv[1:])))
    for bare in left:
        print(bare)
    print(f"{len(left)} unmarked", file=sys.stderr)
    sys.exit(1 if left else 0)
