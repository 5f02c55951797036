"""The command language every platform shares: a parser, and the help that teaches it.

Teachers type these in a Slack slash command, a Teams DM or the console; the grammar is forgiving
(quotes optional, ``key=value`` or ``--key value``) and every mistake is answered with the right usage.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.kernel.errors import UnknownCommand, UserError


@dataclass(frozen=True)
class Verb:
    name: str
    usage: str
    summary: str
    coordinator_only: bool = False
    examples: tuple[str, ...] = ()


HELP_VERB = Verb("help", "help [verb]", "What Staffroom can do, or how to use one verb.")


@dataclass(frozen=True)
class ParsedCommand:
    verb: str
    args: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)
    raw: str = ""

    @property
    def rest(self) -> str:
        """Everything after the verb as typed, for verbs that take free text (``goals add ...``)."""
        parts = self.raw.strip().split(None, 1)
        return parts[1] if len(parts) > 1 else ""


def tokenize(text: str) -> list[str]:
    """Split like a shell, but never fail on a stray quote or apostrophe ("I'm stuck")."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def parse(text: str, *, registry: Mapping[str, Verb]) -> ParsedCommand:
    """Parse one command line. Raises ``UserError`` with a suggestion for unknown verbs."""
    stripped = text.strip().lstrip("/")
    if stripped.startswith("staffroom"):
        stripped = stripped[len("staffroom") :].strip()
    if not stripped:
        return ParsedCommand(verb="help", raw="help")
    tokens = tokenize(stripped)
    verb = tokens[0].lower()
    if verb not in registry:
        raise UnknownCommand(unknown_verb_message(verb, registry))
    args: list[str] = []
    options: dict[str, str] = {}
    i = 1
    while i < len(tokens):
        token = tokens[i]
        if token.startswith("--") and len(token) > 2:
            key, eq, value = token[2:].partition("=")
            if not eq:
                has_value = i + 1 < len(tokens) and not tokens[i + 1].startswith("--")
                value = tokens[i + 1] if has_value else "true"
                i += 1 if has_value else 0
            options[key.lower().replace("-", "_")] = value
        elif "=" in token and not token.startswith("=") and token.split("=", 1)[0].isidentifier():
            key, _, value = token.partition("=")
            options[key.lower()] = value
        else:
            args.append(token)
        i += 1
    return ParsedCommand(verb=verb, args=tuple(args), options=options, raw=stripped)


def unknown_verb_message(verb: str, registry: Mapping[str, Verb]) -> str:
    close = difflib.get_close_matches(verb, list(registry), n=1, cutoff=0.6)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    return f"I don't know the command `{verb}`.{hint} Type `help` to see what I can do."


def help_text(verb_name: str | None, *, is_coordinator: bool, registry: Mapping[str, Verb]) -> str:
    if verb_name:
        verb = registry.get(verb_name.lower())
        if verb is None:
            raise UserError(unknown_verb_message(verb_name.lower(), registry))
        lines = [f"*{verb.name}*: {verb.summary}", f"Usage: `{verb.usage}`"]
        lines += [f"Example: `{e}`" for e in verb.examples]
        if verb.coordinator_only:
            lines.append("_For coordinators._")
        return "\n".join(lines)
    visible = [v for v in registry.values() if is_coordinator or not v.coordinator_only]
    lines = ["Here is what I can do (type `help <command>` for more):"]
    lines += [
        f"• `{v.usage if len(v.usage) <= 40 else v.name + ' …'}`: {v.summary}" for v in visible
    ]
    return "\n".join(lines)


def usage_error(verb: str, problem: str) -> UserError:
    """A refusal that always shows how to do it right: the reply adds the verb's usage line."""
    return UserError(problem, usage_of=verb)


def with_usage(refusal: UserError, registry: Mapping[str, Verb]) -> str:
    """The refusal as the person reads it: the problem, then how to use the verb it was about."""
    spec = registry.get(refusal.usage_of) if refusal.usage_of else None
    return f"{refusal.message}\nUsage: `{spec.usage}`" if spec else refusal.message
