"""The command language every platform shares: a parser, and the help that teaches it.

Teachers type these in a Slack slash command, a Teams DM or the console; the grammar is forgiving
(quotes optional, ``key=value`` or ``--key value``) and every mistake is answered with the right usage.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.kernel.aliases import aliases_in, aliases_of, known_words, resolve
from bot.kernel.errors import UnknownCommand, UserError
from bot.kernel.i18n import N_, _, current_language, folded


@dataclass(frozen=True)
class Verb:
    name: str
    usage: str
    summary: str
    coordinator_only: bool = False
    examples: tuple[str, ...] = ()


HELP_VERB = Verb(
    "help",
    # Translators: a command's usage line; `help` is the command itself and stays in English.
    N_("help [verb]"),
    N_("What Staffroom can do, or how to use one verb."),
)
"""A verb's usage, summary and examples are declared in English at import and marked with ``N_`` by
the feature that declares them; help and refusals translate them where they are shown."""


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
    verb = resolve(tokens[0], registry)
    if verb is None:
        raise UnknownCommand(unknown_verb_message(tokens[0].lower(), registry))
    if verb != tokens[0].lower():  # an alias ("pausa 2 semanas"): the handler reads its verb
        typed = stripped.split(None, 1)
        stripped = verb + (" " + typed[1] if len(typed) > 1 else "")
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
            key, _eq, value = token.partition("=")
            options[key.lower()] = value
        else:
            args.append(token)
        i += 1
    return ParsedCommand(verb=verb, args=tuple(args), options=options, raw=stripped)


def unknown_verb_message(verb: str, registry: Mapping[str, Verb]) -> str:
    close = closest_word(verb, registry)
    if close:
        return _(
            "I don't know the command `{verb}`. Did you mean `{suggestion}`? "
            "Type `help` to see what I can do."
        ).format(verb=verb, suggestion=close)
    return _("I don't know the command `{verb}`. Type `help` to see what I can do.").format(
        verb=verb
    )


def closest_word(typed: str, registry: Mapping[str, Verb]) -> str | None:
    """The verb or alias nearest to a mistyped word, accents aside, if any is near enough; on a tie,
    the word of the language being spoken (``pause`` in English, ``pausa`` in Spanish)."""
    own = set(aliases_in(current_language())) or set(registry)
    needle = folded(typed)
    best: tuple[float, bool, str] | None = None
    for word in known_words(registry):
        matcher = difflib.SequenceMatcher(None, needle, folded(word))
        if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
            continue
        score = (matcher.ratio(), word in own, word)
        if score[0] >= 0.6 and (best is None or score[:2] > best[:2]):
            best = score
    return best[2] if best else None


def help_text(verb_name: str | None, *, is_coordinator: bool, registry: Mapping[str, Verb]) -> str:
    language = current_language()
    if verb_name:
        name = resolve(verb_name, registry)
        if name is None:
            raise UserError(unknown_verb_message(verb_name.lower(), registry))
        verb = registry[name]
        lines = [f"*{verb.name}*: {_(verb.summary)}", usage_line(verb)]
        lines += [_("Example: `{example}`").format(example=_(e)) for e in verb.examples]
        aliases = aliases_of(verb.name, language)
        if aliases:
            lines.append(
                _("You can also type: {words}").format(words=", ".join(f"`{a}`" for a in aliases))
            )
        if verb.coordinator_only:
            lines.append(_("_For coordinators._"))
        return "\n".join(lines)
    visible = [v for v in registry.values() if is_coordinator or not v.coordinator_only]
    lines = [_("Here is what I can do (type `help <command>` for more):")]
    for v in visible:
        usage = _(v.usage)
        shown = usage if len(usage) <= 40 else v.name + " …"
        words = ", ".join(f"`{a}`" for a in aliases_of(v.name, language))
        also = f" ({words})" if words else ""
        lines.append(f"• `{shown}`{also}: {_(v.summary)}")
    return "\n".join(lines)


def usage_line(verb: Verb) -> str:
    return _("Usage: `{usage}`").format(usage=_(verb.usage))


def usage_error(verb: str, problem: str) -> UserError:
    """A refusal that always shows how to do it right: the reply adds the verb's usage line."""
    return UserError(problem, usage_of=verb)


def with_usage(refusal: UserError, registry: Mapping[str, Verb]) -> str:
    """The refusal as the person reads it: the problem, then how to use the verb it was about."""
    spec = registry.get(refusal.usage_of) if refusal.usage_of else None
    return f"{refusal.message}\n{usage_line(spec)}" if spec else refusal.message
