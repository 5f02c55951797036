"""Words to search terms: the one normaliser that both the index and every query go through.

Search must give the same answer on SQLite and PostgreSQL, so neither database is trusted to tokenise or
stem: this module turns text into lower-case ASCII stems (``questioning`` -> ``question``), and the
databases only index and match those ready-made tokens (FTS5 ``unicode61``, PostgreSQL ``simple``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

MAX_TERM_LENGTH = 40
"""Longer "words" are pasted junk (hashes, base64); they would only bloat the index."""

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "get",
        "got",
        "also",
        "really",
    ]
)
SPANISH_STOP_WORDS = frozenset(
    # Folded like every token (no accents): "más" is "mas". Spanish teachers search in Spanish, and
    # "de", "la", "para" would otherwise match every Spanish resource in the library.
    [
        "al",
        "algo",
        "algun",
        "alguna",
        "algunas",
        "alguno",
        "algunos",
        "ante",
        "antes",
        "aqui",
        "asi",
        "aunque",
        "cada",
        "como",
        "con",
        "contra",
        "cual",
        "cuando",
        "de",
        "del",
        "desde",
        "donde",
        "durante",
        "el",
        "ella",
        "ellas",
        "ellos",
        "en",
        "entre",
        "es",
        "esa",
        "esas",
        "ese",
        "eso",
        "esos",
        "esta",
        "estan",
        "estas",
        "este",
        "esto",
        "estos",
        "fue",
        "ha",
        "hay",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "mas",
        "me",
        "mi",
        "mis",
        "mucho",
        "muy",
        "nos",
        "nosotros",
        "o",
        "otra",
        "otras",
        "otro",
        "otros",
        "para",
        "pero",
        "poco",
        "por",
        "porque",
        "que",
        "quien",
        "se",
        "segun",
        "ser",
        "si",
        "sin",
        "sobre",
        "su",
        "sus",
        "tambien",
        "tan",
        "tanto",
        "te",
        "ti",
        "todo",
        "todos",
        "tu",
        "tus",
        "un",
        "una",
        "unas",
        "uno",
        "unos",
        "y",
        "ya",
        "yo",
    ]
)

_WORD = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Porter2 stem of one lower-case word; numbers and short words stay as they are."""
    if len(word) <= 3 or word.isdigit():
        return word
    return str(_stemmer.stemWord(word))


def fold(text: str) -> str:
    """Lower case without accents: ``Éducation`` and ``education`` are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Every stemmed token of ``text`` in order, repeats kept (what the index stores)."""
    return [
        stem(w)
        for w in _WORD.findall(fold(text))
        if w not in STOP_WORDS and w not in SPANISH_STOP_WORDS and len(w) <= MAX_TERM_LENGTH
    ]


def index_text(text: str) -> str:
    """Tokens joined by single spaces: the form stored in the ``search_*`` columns."""
    return " ".join(tokens(text))


def query_terms(text: str, *, limit: int = 12) -> tuple[str, ...]:
    """Distinct tokens of a query, first ``limit`` of them, in the order typed."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        seen.setdefault(token, None)
        if len(seen) >= limit:
            break
    return tuple(seen)


def slug(tag: str) -> str:
    """A tag's canonical key: ``#Classroom Management`` -> ``classroom-management``."""
    return "-".join(_WORD.findall(fold(tag)))[:60]
