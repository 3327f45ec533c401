"""The parsed query (``search.query_syntax``) as FTS5 MATCH expressions.

Every term becomes a double-quoted string (a quote cannot occur in a term's
words), with `` *`` after it for a prefix: whatever the user typed, the only
FTS5 syntax in an expression is what is written here (AND, OR, NOT,
brackets, column filters), so it is never an FTS5 syntax error and a typed
``NEAR`` or ``title:`` is only words.

Matching is on the folded columns; the words as written (with diacritics,
the ``written`` table) only add to the score (``search.sqlite_query``).
"""

from __future__ import annotations

from search.query_syntax import ParsedQuery, Term
from search.sqlite_schema import WORD
from search.sqlite_tags import EVERY_DOCUMENT

FOLDED_COLUMNS = "subject_f body_f meta_f"


def term_expression(term: Term) -> str:
    """``term`` as one FTS5 phrase, folded, a prefix when it is one."""
    return '"' + " ".join(term.folded) + '"' + (" *" if term.prefix else "")


def _any_of(terms: tuple[Term, ...]) -> str:
    if len(terms) == 1:
        return term_expression(terms[0])
    return "(" + " OR ".join(term_expression(t) for t in terms) + ")"


def required_expression(parsed: ParsedQuery) -> str | None:
    """What a document must match, folded, no column filter (None: nothing is required).

    Without column filters FTS5 answers from doclists alone (no position
    lists), which keeps counting a large match set cheap.
    """
    return " AND ".join(_any_of(group.terms) for group in parsed.required) or None


def matching_expression(parsed: ParsedQuery) -> str:
    """Which documents ``parsed`` finds: the required terms, none of the excluded.

    A query of exclusions only finds every other document (FTS5 has no bare NOT).
    """
    positive = required_expression(parsed) or EVERY_DOCUMENT
    if not parsed.excluded:
        return positive
    return f"({positive}) NOT {_any_of(parsed.excluded)}"


def in_columns(columns: str, expression: str) -> str:
    """``expression`` matched in ``columns`` only (space-separated column names)."""
    return f"{{{columns}}} : ({expression})"


# One lookup of the as-written signal: the table and its MATCH expression.
Lookup = tuple[str, str]


def as_written_lookups(parsed: ParsedQuery) -> tuple[tuple[Lookup, ...], ...] | None:
    """The required terms with the very diacritics the user typed (None: none typed).

    A document has them when, in every group of the query that holds a term
    typed with diacritics, it matches one of the group's terms so: a term typed
    with diacritics by its words that are not plain ASCII, as written, in the
    ``written`` table; a term typed without, folded, as it matches anyway.
    "lụt" (flood) and "lút" (submerged) fold the same: this tells them apart.
    Groups without such a term are left out: every candidate matches them.
    """
    if not any(term.has_diacritics for term in parsed.positive_terms()):
        return None

    def lookup(term: Term) -> Lookup:
        words = [w for typed in term.words for w in WORD.findall(typed)]
        written = [f'"{w}"' for w in words if not w.lower().isascii()]
        if not term.has_diacritics or not written:
            return ("fts", in_columns(FOLDED_COLUMNS, term_expression(term)))
        if term.prefix and not words[-1].lower().isascii():
            written[-1] += " *"
        return ("written", " AND ".join(written))

    return tuple(
        tuple(lookup(term) for term in group.terms)
        for group in parsed.required
        if any(term.has_diacritics for term in group.terms)
    )


def side_by_side_expression(parsed: ParsedQuery) -> str | None:
    """Every word of a plain query of several words as one phrase (None: not such a query).

    Only for words without ``OR`` or prefixes: there the order typed is the
    order to look for.
    """
    terms = list(parsed.positive_terms())
    if len(parsed.required) < 2 or len(terms) != len(parsed.required):
        return None
    if any(term.prefix for term in terms):
        return None
    return '"' + " ".join(word for term in terms for word in term.folded) + '"'
