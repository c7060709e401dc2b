"""Search as a citizen means it: every word of the query counts, synonyms and typos too.

1. Analysis (`analyse`): the query's words (stop words dropped) become *units*; consecutive words that
   form an entry of the synonym list ("case popolari") are one unit. Each unit has alternatives, each a
   tuple of search terms (textsearch.py) with a weight: the words as typed (1.0), their synonyms (0.8),
   and, when nothing of the unit is in the vocabulary of published words, the closest vocabulary words
   by trigram similarity (0.9) — which also make the "forse cercavi…" suggestion.
2. Candidates (`candidates`): one SQL query matches any alternative of any unit in the full-text index
   (PostgreSQL: the stored `search_vector` with its GIN index; SQLite: FTS5), ranks at most
   MATCH_LIMIT matches by the database's own rank (ts_rank / bm25) and returns the best CANDIDATES
   ids with their title and search document — ids and terms only, never whole rows.
3. Scoring (`score`), the same in Python on both backends: first how many units a candidate matches,
   then how well (in the title beats in the text, the word as typed beats a synonym), then shorter
   documents. Only the page shown is then loaded, by id.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import connection, connections, router
from django.db.models import BooleanField, Expression, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from openmandato.programs.textsearch import document_terms, strip_accents, word_forms, words_of

SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.txt"
MAX_UNITS = 8
MATCH_LIMIT = 500  # matches ranked by the database, at most (bounded work for a very common word)
CANDIDATES = 300  # candidates scored in Python and the most results a search returns
# A query matching at most this many actions in the country reads the text index before a region's or
# province's filter (PostgreSQL): its matches are read in index order until MATCH_LIMIT of them fall in
# the filter, at most TEXT_FIRST_MAX rows; a commoner query walks the filter's actions instead, finding
# MATCH_LIMIT matches among its first MATCH_LIMIT / (its share of the actions) rows.
TEXT_FIRST_MAX = 50_000
EXACT, CORRECTION, SYNONYM = 1.0, 0.9, 0.8
PREFIX = 0.85  # a word as typed that begins a longer word of the action ("music" in "musicale")
PREFIX_MIN = 5  # shorter terms match whole words only
CORRECTION_MIN_SIMILARITY = 0.45
TERM = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]
    weight: float
    word: str  # as shown in a suggestion


@dataclass
class Unit:
    text: str  # as typed (lower case)
    alternatives: list[Alternative]
    correction: str | None = None
    documents: int = 0  # published actions holding its most common term (0: unknown)

    @property
    def weight(self) -> float:
        """Rarer words weigh more: matching "musica" says more than matching "scuola"."""
        return 1 / math.log(2 + self.documents)

    @property
    def terms(self) -> set[str]:
        return {t for alt in self.alternatives for t in alt.terms}


@dataclass
class Analysis:
    units: list[Unit]

    @property
    def suggestion(self) -> str | None:
        """The query with its unknown words replaced by the closest known ones, when any was."""
        if not any(unit.correction for unit in self.units):
            return None
        return " ".join(unit.correction or unit.text for unit in self.units)

    @property
    def terms(self) -> set[str]:
        return {t for unit in self.units for t in unit.terms}


@dataclass
class Hit:
    pk: int
    score: float
    matched: int  # how many units of the query it matches


@dataclass
class Results:
    analysis: Analysis
    hits: list[Hit] = field(default_factory=list)
    truncated: bool = False  # more than CANDIDATES matched: narrow with the filters


# -- the synonym list ----------------------------------------------------------------------------


def _entry_terms(entry: str) -> tuple[str, ...]:
    return tuple(word_forms(word)[-1] for word in words_of(entry))


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The groups of synonyms.txt as tuples of term tuples (one per entry)."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        entries = [_entry_terms(entry) for entry in line.split(",")]
        entries = [e for e in dict.fromkeys(entries) if e and all(TERM.fullmatch(t) for t in e)]
        if len(entries) > 1:
            groups.append(tuple(entries))
    return tuple(groups)


@lru_cache(maxsize=1)
def _synonym_index() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    index: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in synonym_groups():
        for entry in group:
            others = index.setdefault(entry, [])
            others.extend(e for e in group if e != entry and e not in others)
    return index


# -- analysis ------------------------------------------------------------------------------------


def analyse(text: str) -> Analysis:
    words = [w for w in words_of(text) if TERM.fullmatch(word_forms(w)[-1])]
    index = _synonym_index()
    units: list[Unit] = []
    i = 0
    while i < len(words) and len(units) < MAX_UNITS:
        for size in (3, 2, 1):
            chunk = words[i : i + size]
            if len(chunk) < size:
                continue
            terms = tuple(word_forms(w)[-1] for w in chunk)
            if size == 1 or terms in index:
                break
        alternatives = [Alternative(terms, EXACT, " ".join(chunk))]
        alternatives += [Alternative(other, SYNONYM, " ".join(other)) for other in index.get(terms, [])]
        units.append(Unit(" ".join(chunk), alternatives))
        i += len(chunk)
    analysis = Analysis(units)
    if units:
        _correct(analysis)
    return analysis


def _correct(analysis: Analysis) -> None:
    """Give the units none of whose alternatives is in the vocabulary the closest vocabulary words."""
    from openmandato.search.models import SearchWord

    frequencies = dict(SearchWord.objects.filter(term__in=analysis.terms).values_list("term", "documents"))
    known = set(frequencies)
    for unit in analysis.units:
        unit.documents = max((frequencies.get(t, 0) for t in unit.terms), default=0)
    unknown = [
        unit
        for unit in analysis.units
        if " " not in unit.text
        and len(unit.text) >= 4
        and not unit.text.isdigit()
        and not any(all(t in known for t in alt.terms) for alt in unit.alternatives)
    ]
    if not unknown:
        return
    words = [strip_accents(unit.text) for unit in unknown]
    found = similar_words(words)
    for unit, word in zip(unknown, words, strict=True):
        allowed = 1 if len(word) < 7 else 2
        ranked = []
        for candidate, term, documents in found.get(word, []):
            distance = edit_distance(word, candidate)
            similarity = trigram_similarity(word, candidate)
            if distance <= allowed or similarity >= CORRECTION_MIN_SIMILARITY:
                ranked.append((distance, -similarity, -documents, candidate, term))
        if ranked:
            *_, candidate, term = min(ranked)
            unit.correction = candidate
            unit.alternatives.append(Alternative((term,), CORRECTION, candidate))
            unit.documents = max(unit.documents, -ranked[0][2])


def edit_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (adjacent transpositions count one): "liuteira" is 1 from "liuteria"."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all distinct trigrams of both words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def similar_words(words: list[str]) -> dict[str, list[tuple[str, str, int]]]:
    """Vocabulary words close to each of `words` by trigrams: {word: [(word, term, documents)]}, one query."""
    from openmandato.search.models import SearchWord

    found: dict[str, list[tuple[str, str, int]]] = {w: [] for w in words}
    parts, params = [], []
    # raw SQL bypasses the router: ask it, so that a public page reads the replica like its other queries
    db = connections[router.db_for_read(SearchWord)]
    if db.vendor == "postgresql":
        for word in words:
            parts.append(
                "(SELECT %s, word, term, documents FROM search_searchword WHERE word %% %s "
                "ORDER BY word <-> %s, documents DESC LIMIT 10)"
            )
            params += [word, word, word]
    else:
        for word in words:
            grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
            if not grams:
                continue
            parts.append(
                "SELECT * FROM (SELECT %s, s.word, s.term, s.documents FROM searchword_trigram"
                " JOIN search_searchword s ON s.id = searchword_trigram.rowid"
                " WHERE searchword_trigram MATCH %s ORDER BY rank LIMIT 30)"
            )
            params += [word, " OR ".join(f'"{g}"' for g in grams)]
    if not parts:
        return found
    with db.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for asked, word, term, documents in cursor.fetchall():
            found[asked].append((word, term, documents))
    return found


# -- candidates and scoring ----------------------------------------------------------------------


def _prefix(alt: Alternative) -> bool:
    return alt.weight == EXACT and len(alt.terms) == 1 and len(alt.terms[0]) >= PREFIX_MIN


def _alternatives(analysis: Analysis) -> list[tuple[tuple[str, ...], bool]]:
    found = {alt.terms: _prefix(alt) for unit in analysis.units for alt in unit.alternatives[::-1]}
    return sorted(found.items())


def _pg_tsquery(analysis: Analysis) -> str:
    return " | ".join(
        "(" + " & ".join(terms) + ")" if len(terms) > 1 else terms[0] + (":*" if prefix else "")
        for terms, prefix in _alternatives(analysis)
    )


def _fts5_query(analysis: Analysis) -> str:
    return " OR ".join(
        "(" + " AND ".join(f'"{t}"' for t in terms) + ")"
        if len(terms) > 1
        else f'"{terms[0]}"' + ("*" if prefix else "")
        for terms, prefix in _alternatives(analysis)
    )


def matching_ids(analysis: Analysis, limit: int | None = None) -> RawSQL:
    """The ids of the actions matching any alternative of any unit, from the full-text index alone: a
    self-contained subquery (it names its own table, so it stays uncorrelated whatever alias the
    outer query gives programs_action), at most `limit` of them when given."""
    if connection.vendor == "postgresql":
        sql = "SELECT id FROM programs_action WHERE search_vector @@ to_tsquery('simple', %s)"
        params: list = [_pg_tsquery(analysis)]
    else:
        sql = "SELECT rowid FROM action_fts WHERE action_fts MATCH %s"
        params = [_fts5_query(analysis)]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    return RawSQL(sql, params)  # noqa: S611 (our SQL; the query text is a parameter)


class VectorMatch(Expression):
    """PostgreSQL: `<the query's own programs_action>.search_vector @@ tsquery`, under whatever alias the
    query gives the table (U0 in a subquery), so that the planner can read the GIN index directly."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__()
        self.tsquery = tsquery

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.search_vector @@ to_tsquery('simple', %s)", [self.tsquery]


def matching(queryset: QuerySet, analysis: Analysis) -> QuerySet:
    """The actions of `queryset` matching any alternative of any unit, unordered."""
    if connection.vendor == "postgresql":
        return queryset.filter(VectorMatch(_pg_tsquery(analysis)))
    return queryset.filter(pk__in=matching_ids(analysis))


def _db_rank(analysis: Analysis) -> RawSQL:
    if connection.vendor == "postgresql":
        return RawSQL(
            "ts_rank(programs_action.search_vector, to_tsquery('simple', %s))",
            [_pg_tsquery(analysis)],
            output_field=FloatField(),
        )
    return RawSQL(
        "SELECT -bm25(action_fts) FROM action_fts"
        " WHERE action_fts MATCH %s AND action_fts.rowid = programs_action.id",
        [_fts5_query(analysis)],
        output_field=FloatField(),
    )


@dataclass
class TextFirst:
    """How to read the full-text index before the filters (PostgreSQL): the single-table conditions on
    the actions (`actions`, an Action queryset without joins) and the mandates the filters allow
    (`mandates`, a Mandate queryset). Given by the caller when the filters narrow by place (a region,
    a province) rather than to one comune."""

    actions: QuerySet
    mandates: QuerySet


def estimated_matches(analysis: Analysis) -> int:
    """How many searchable actions the query matches at most, from the vocabulary: the sum over its
    units of their commonest term's document count (0 for a word no action holds)."""
    return sum(unit.documents for unit in analysis.units)


def _text_first_ids(analysis: Analysis, text_first: TextFirst) -> RawSQL:
    """At most MATCH_LIMIT ids read from the text index first, then kept when their mandate is allowed:
    a MATERIALIZED CTE the planner cannot fold into the filters' joins. PostgreSQL reads it lazily,
    so with the LIMIT it stops after MATCH_LIMIT allowed matches (about MATCH_LIMIT / the filter's
    share of the country rows), never walking the region's actions one by one."""
    inner, inner_params = (
        text_first.actions.filter(VectorMatch(_pg_tsquery(analysis)))
        .order_by()
        .values("pk", "mandate_id")
        .query.sql_with_params()
    )
    allowed, allowed_params = text_first.mandates.order_by().values("pk").query.sql_with_params()
    sql = (
        f"WITH matched AS MATERIALIZED ({inner}) "  # noqa: S608 (Django's own SQL, parameters apart)
        f"SELECT matched.pk FROM matched WHERE matched.mandate_id IN ({allowed}) LIMIT %s"
    )
    return RawSQL(sql, (*inner_params, *allowed_params, MATCH_LIMIT))  # noqa: S611


def candidates(
    queryset: QuerySet, analysis: Analysis, text_first: TextFirst | None = None
) -> list[tuple[int, str, str, str, float]]:
    """(id, title, search document, section title, database rank) of the best CANDIDATES + 1 of at most
    MATCH_LIMIT matches.

    Which to read first — the filters' actions or the text index — is decided here, not left to the
    planner (which cannot know how a word's matches are spread across regions: for a word in 1–2 % of
    the actions it walked a region's actions testing each against the query). When the caller allows
    it (`text_first`) and the vocabulary says the query matches at most TEXT_FIRST_MAX actions in the
    whole country, the index is read first; otherwise the filters' actions are walked, as they should
    be for a common word (any MATCH_LIMIT of its many matches in the region come quickly) or one comune."""
    from openmandato.programs.models import Action

    if (
        text_first is not None
        and connection.vendor == "postgresql"
        and estimated_matches(analysis) <= TEXT_FIRST_MAX
    ):
        bounded = _text_first_ids(analysis, text_first)
    else:
        bounded = matching(queryset, analysis).order_by().values("pk")[:MATCH_LIMIT]
    rows = (
        Action.objects.filter(pk__in=bounded)
        .annotate(db_rank=_db_rank(analysis))
        .order_by("-db_rank", "pk")
        .values_list("pk", "title", "search_document", "section__title", "db_rank")[: CANDIDATES + 1]
    )
    return list(rows)


@lru_cache(maxsize=20_000)
def _title_terms(title: str) -> frozenset[str]:
    return frozenset(document_terms(title).split())


def score(analysis: Analysis, title: str, document: str, section: str = "") -> tuple[float, int]:
    """(score, units matched) of one action: the share of the query it matches (rarer words weigh
    more), then how well (title, text, only the section's title; as typed or a synonym), then brevity."""
    title_terms = _title_terms(title)
    section_only = _title_terms(section) - title_terms
    doc_terms = set(document.split())
    text_terms = doc_terms - section_only if section_only else doc_terms
    total, matched, covered = 0.0, 0, 0.0
    for unit in analysis.units:
        best, whole = 0.0, False
        for alt in unit.alternatives:
            present = sum(t in doc_terms for t in alt.terms)
            if present == len(alt.terms):
                where = 1.0 if all(t in title_terms for t in alt.terms) else 0.6
                best, whole = max(best, alt.weight * where), True
            elif _prefix(alt) and any(d.startswith(alt.terms[0]) for d in doc_terms):
                where = 1.0 if any(d.startswith(alt.terms[0]) for d in title_terms) else 0.6
                best, whole = max(best, PREFIX * alt.weight * where), True
            elif present and alt.weight == EXACT:  # part of a phrase as typed
                best = max(best, 0.3 * present / len(alt.terms))
        in_text = any(all(t in text_terms for t in alt.terms) for alt in unit.alternatives) or any(
            _prefix(alt) and any(d.startswith(alt.terms[0]) for d in text_terms) for alt in unit.alternatives
        )
        if whole and not in_text:
            best *= 0.5  # only the section's title says it
        matched += whole
        covered += unit.weight * whole
        total += best
    share = covered / sum(unit.weight for unit in analysis.units)
    brevity = 1 / (1 + math.log1p(len(doc_terms) / 25))
    return 2 * share + 0.5 * total / len(analysis.units) + 0.1 * brevity, matched


def search(queryset: QuerySet, text: str, text_first: TextFirst | None = None) -> Results:
    """The actions of `queryset` for `text`, best first (at most CANDIDATES), and the analysis.
    `text_first`: the same restriction as `queryset`, split for reading the text index first."""
    analysis = analyse(text)
    results = Results(analysis)
    if not analysis.units:
        return results
    rows = candidates(queryset, analysis, text_first)
    results.truncated = len(rows) > CANDIDATES
    scored = []
    for pk, title, document, section, db_rank in rows[:CANDIDATES]:
        value, matched = score(analysis, title, document or "", section)
        if value > 0:
            scored.append((value, db_rank or 0.0, -pk, Hit(pk, value, matched)))
    scored.sort(key=lambda row: row[:3], reverse=True)
    results.hits = [row[3] for row in scored]
    return results


# -- snippets ------------------------------------------------------------------------------------

SNIPPET_WORDS = 28
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _is_hit(word: str, terms: set[str]) -> bool:
    lower = word.lower()
    if not words_of(lower):
        return False
    return any(form in terms for form in word_forms(lower))


def snippet_parts(text: str, terms: set[str]) -> list[tuple[str, bool]]:
    """The passage of `text` around its first matching word, as (piece, is_match) pieces. Words are
    tested up to the first match and within the passage only, each distinct word once."""
    text = " ".join((text or "").split())
    tokens = list(TOKEN.finditer(text))
    if not tokens:
        return [(text, False)] if text else []
    tested: dict[str, bool] = {}

    def is_hit(i: int) -> bool:
        word = tokens[i].group()
        if word not in tested:
            tested[word] = _is_hit(word, terms)
        return tested[word]

    first = next((i for i in range(len(tokens)) if is_hit(i)), 0)
    start_tok = max(0, first - 6)
    end_tok = min(len(tokens), start_tok + SNIPPET_WORDS)
    start = tokens[start_tok].start() if start_tok else 0
    end = tokens[end_tok - 1].end() if end_tok < len(tokens) else len(text)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    cursor = start
    for i in range(start_tok, end_tok):
        match = tokens[i]
        if is_hit(i):
            if match.start() > cursor:
                parts.append((text[cursor : match.start()], False))
            parts.append((match.group(), True))
            cursor = match.end()
    parts.append((text[cursor:end], False))
    if end < len(text):
        parts.append(("…", False))
    return [p for p in parts if p[0]]


def parts_html(parts: list[tuple[str, bool]]) -> SafeString:
    """Snippet pieces with the matching words in <mark>, every piece escaped."""
    return format_html_join(
        "", "{}", ((format_html("<mark>{}</mark>", piece) if hit else piece,) for piece, hit in parts)
    )


def snippet_html(text: str, terms: set[str]) -> SafeString:
    """The passage with its matching words in <mark>, every piece escaped."""
    return parts_html(snippet_parts(text, terms))
