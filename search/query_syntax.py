"""What a user typed in the search box, parsed once into a small typed tree.

Both backends render the same tree (``search.sqlite_match`` into an FTS5
MATCH expression, ``search.es_queries`` into an Elasticsearch query), so the
syntax means the same everywhere:

- words and ``"quoted phrases"``: every one must match (diacritics optional);
- ``OR`` (in capitals) between two of them: either may match;
- ``word*``: words starting with ``word`` (at least ``MIN_PREFIX_CHARS``);
- ``-word`` or ``-"a phrase"``: documents holding it are left out.

Everything else is plain words: anything that is not a letter or a digit
only separates words, so a stray quote, a lone ``-`` or ``*``, brackets or a
column filter such as ``title:`` can never be query syntax of either
backend, and ``AND``, ``NOT``, ``NEAR`` or an ``OR`` with no term on one
side are searched as the words they are.  Outside quotes, a chunk like
"2284/QĐ-UBND" (no spaces) is a phrase of its words, so a document number
matches as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from search.text import exact_form, fold, fold_class

MAX_QUERY_CHARS = 1000  # longer input is cut: nobody types more, and it bounds the work
MAX_TERMS = 32
MAX_TERM_CHARS = 100
# "a*" would expand to a good part of the vocabulary: shorter prefixes are words.
MIN_PREFIX_CHARS = 2
OR = "OR"

_WORD = re.compile(r"\w+")
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Term:
    """One word or phrase as typed (NFC); with ``prefix``, its last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @cached_property
    def folded(self) -> tuple[str, ...]:
        """The words without diacritics, lower case: what the folded index holds."""
        return tuple(fold(w) for w in self.words)

    @property
    def has_diacritics(self) -> bool:
        """True when the user typed marks that tell this term apart from its folded form."""
        return any(fold(w) != w.lower() for w in self.words)


@dataclass(frozen=True)
class AnyOf:
    """Terms joined by ``OR``: a document matches when it matches one of them."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """A user's text: every group of ``required`` must match, no term of ``excluded`` may."""

    required: tuple[AnyOf, ...] = ()
    excluded: tuple[Term, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing to match on: a browse of every document the filters let through."""
        return not self.required and not self.excluded

    @property
    def ranked(self) -> bool:
        """False for a query of exclusions only: no word to rank by, newest first instead."""
        return bool(self.required)

    def positive_terms(self) -> Iterator[Term]:
        """Every term a document may match on (what is highlighted), in order."""
        for group in self.required:
            yield from group.terms

    @cached_property
    def term_pattern(self) -> re.Pattern[str] | None:
        """A regular expression finding the positive terms, case and diacritics ignored,
        in text in exact form (``search.text.exact_form``); None when there are none.

        It matches where the folded terms match the folded text (each letter is the
        class of every letter folding to it), without folding the text.  Built once
        per query: every hit's snippet uses it.
        """
        # Longest first: a phrase is marked whole rather than as its first word.
        terms = sorted(
            {_folded_pattern(term): term for term in self.positive_terms()}.items(),
            key=lambda item: (-len(item[0]), item[0]),
        )
        if not terms:
            return None
        alternatives = "|".join(_exact_pattern(term, first_alone=True) for _, term in terms)
        return re.compile(r"(?:" + alternatives + r")(?!\w)")

    def matches(self, text: str) -> bool:
        """True when ``text`` matches as the index would match it (folded)."""
        folded = fold(text)
        for group in self.required:
            if not any(_found(term, folded) for term in group.terms):
                return False
        return not any(_found(term, folded) for term in self.excluded)


def _folded_pattern(term: Term) -> str:
    words = [re.escape(w) for w in term.folded]
    if term.prefix:
        words[-1] += r"\w*"
    return r"\W+".join(words)


def _exact_pattern(term: Term, first_alone: bool = False) -> str:
    r"""``term`` in text as written; with ``first_alone``, its first letter must not follow
    a letter or digit.

    That check comes right after the first letter (``(?<!\w[\w\W])``: the character
    before it), not before it: a pattern that starts with a lookbehind is tried at
    every position of the text, one that starts with a class lets the regex engine
    skip in C to the next letter that may begin a term (a page of text: 150 µs -> 50).
    """
    words = ["".join(fold_class(c) for c in w) for w in term.folded]
    if first_alone:
        first = fold_class(term.folded[0][0])
        words[0] = first + r"(?<!\w[\w\W])" + words[0][len(first):]
    if term.prefix:
        words[-1] += r"\w*"
    return r"\W+".join(words)


def _found(term: Term, folded: str) -> bool:
    return re.search(r"(?<!\w)" + _folded_pattern(term) + r"(?!\w)", folded) is not None


@dataclass(frozen=True)
class _Token:
    """A term as read from the text, or the ``OR`` operator (``term`` None)."""

    term: Term | None
    negated: bool = False


def parse_query(text: str) -> ParsedQuery:
    """Parse what a user typed; never raises, whatever the text.

    Balanced double quotes make a phrase; a stray quote is ignored.  ``OR``
    joins the terms either side of it (it binds tighter than the implicit
    AND: ``a b OR c`` is a and (b or c)).
    """
    text = exact_form(text or "")[:MAX_QUERY_CHARS]
    tokens = list(_tokens(text))
    required: list[list[Term]] = []
    excluded: list[Term] = []
    after_positive = False  # the last token read was a required term
    position = 0
    while position < len(tokens):
        token = tokens[position]
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        position += 1
        joined = following.term if following is not None and not following.negated else None
        if token.term is None and after_positive and joined is not None:
            required[-1].append(joined)
            position += 1
            continue
        term = token.term or Term((OR,))  # a dangling OR is the word it is
        if token.negated:
            excluded.append(term)
        else:
            required.append([term])
        after_positive = not token.negated
    return _limited(required, excluded)


def _limited(required: list[list[Term]], excluded: list[Term]) -> ParsedQuery:
    """The query without repeats, cut to ``MAX_TERMS`` terms in all."""
    budget = MAX_TERMS
    groups: list[AnyOf] = []
    for terms in required:
        unique = tuple(dict.fromkeys(terms))[:budget]
        group = AnyOf(unique)
        if unique and group not in groups:
            groups.append(group)
            budget -= len(unique)
    unique_excluded = tuple(dict.fromkeys(excluded))[: max(budget, 0)]
    return ParsedQuery(tuple(groups), unique_excluded)


def _tokens(text: str) -> Iterator[_Token]:
    """Terms and operators in the order typed.

    A ``-`` that starts a chunk negates it (and a ``-`` right before a quote,
    the phrase); a ``*`` that ends a chunk right after a letter or digit (or
    follows a closing quote) makes its last word a prefix.
    """
    position = 0
    for match in _PHRASE.finditer(text):
        before = text[position : match.start()]
        yield from _chunk_tokens(before)
        negated = before == "-" or (before.endswith("-") and before[-2:-1].isspace())
        prefix = text.startswith("*", match.end())
        words = _words(match.group(1))
        if words:
            yield _Token(_term(words, prefix), negated=negated)
        position = match.end() + (1 if prefix else 0)
    yield from _chunk_tokens(text[position:].replace('"', " "))


def _chunk_tokens(text: str) -> Iterator[_Token]:
    for chunk in text.split():
        if chunk == OR:
            yield _Token(None)
            continue
        negated = chunk.startswith("-") and len(chunk) > 1
        body = chunk[1:] if negated else chunk
        stem = body.rstrip("*")
        prefix = stem != body and stem[-1:].isalnum()
        words = _words(stem)
        if words:
            yield _Token(_term(words, prefix), negated=negated)


def _term(words: tuple[str, ...], prefix: bool) -> Term:
    """A term; a prefix shorter than ``MIN_PREFIX_CHARS`` is a whole word."""
    return Term(words, prefix=prefix and len(fold(words[-1])) >= MIN_PREFIX_CHARS)


def _words(text: str) -> tuple[str, ...]:
    return tuple(
        w[:MAX_TERM_CHARS] for w in _WORD.findall(text.replace("_", " ")) if fold(w).strip()
    )
