"""The vocabulary of published words and the document frequency of every search term, counted from the
published actions of current mandates only, one mandate at a time.

Each mandate's contribution (how many of its searchable actions hold each term and print each word) is
kept in MandateVocabulary. Refreshing a mandate after an import or an edit (`refresh_vocabulary`)
counts that mandate's actions again and applies the difference to SearchTerm and SearchWord: its cost
and its number of queries depend on the size of that mandate, never on the rest of the country.
`rebuild_vocabulary` recounts everything (after a bulk load, and for the tests' small worlds)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from openmandato.programs.models import Action
from openmandato.programs.textsearch import strip_accents, word_forms, words_of
from openmandato.search.engine import TERM

BATCH = 400  # rows per UPDATE … FROM (VALUES …) and per IN (…): well under SQLite's variable limit


def searchable_actions():
    """The actions search and compare may show: active, in a current, published mandate."""
    return Action.objects.public().in_current_mandate()


_WORDS: dict[str, tuple[str, str] | None] = {}


def _word(word: str) -> tuple[str, str] | None:
    """(word without accents, its search term) of a printed word, or None when it is not a vocabulary word."""
    if word not in _WORDS:
        entry = None
        if not word.isdigit() and 3 <= len(word) <= 60:
            plain, term = strip_accents(word), word_forms(word)[-1]
            if TERM.fullmatch(plain) and TERM.fullmatch(term):
                entry = (plain, term)
        if len(_WORDS) > 200_000:
            _WORDS.clear()
        _WORDS[word] = entry
    return _WORDS[word]


class Contribution:
    """What a set of searchable actions adds to the vocabulary."""

    def __init__(self) -> None:
        self.actions = 0
        self.terms: Counter[str] = Counter()
        self.words: dict[str, list] = {}  # word -> [term, uses]

    def add(self, title: str, text: str, section_title: str, document: str) -> None:
        self.actions += 1
        self.terms.update({t for t in (document or "").split() if len(t) <= 60})
        for word in set(words_of(f"{title} {text} {section_title}")):
            entry = _word(word)
            if entry is None:
                continue
            plain, term = entry
            if plain in self.words:
                self.words[plain][1] += 1
            else:
                self.words[plain] = [term, 1]


FIELDS = ("title", "text", "section__title", "search_document")


def count_mandate(mandate_id: int) -> Contribution:
    """The contribution of one mandate's searchable actions now (one query)."""
    contribution = Contribution()
    for row in searchable_actions().filter(mandate_id=mandate_id).values_list(*FIELDS):
        contribution.add(*row)
    return contribution


def _batches(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _add(table: str, key: str, column: str, deltas: dict[str, int]) -> None:
    """column += delta for the rows whose key is in `deltas`, in batches (PostgreSQL and SQLite ≥ 3.33)."""
    items = sorted(deltas.items())
    with connection.cursor() as cursor:
        for batch in _batches(items):
            values = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET {column} = {table}.{column} + d.column2 "  # noqa: S608 (our names)
                f"FROM (VALUES {values}) AS d WHERE {table}.{key} = d.column1",
                [value for pair in batch for value in pair],
            )


def apply(old_terms: dict, old_words: dict, new: Contribution) -> set[str]:
    """Apply the difference between a mandate's old and new contribution; return the terms whose
    document count changed."""
    from openmandato.search.models import SearchTerm, SearchWord

    term_delta = {t: new.terms.get(t, 0) - old_terms.get(t, 0) for t in set(old_terms) | set(new.terms)}
    term_delta = {t: d for t, d in term_delta.items() if d}
    word_delta, word_term = {}, {}
    for word in set(old_words) | set(new.words):
        term, uses = new.words.get(word) or [old_words[word][0], 0]
        delta = uses - (old_words[word][1] if word in old_words else 0)
        if delta:
            word_delta[word], word_term[word] = delta, term
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t, documents=0) for t, d in sorted(term_delta.items()) if d > 0],
        ignore_conflicts=True,
        batch_size=1000,
    )
    _add("search_searchterm", "term", "documents", term_delta)
    gone = sorted(t for t, d in term_delta.items() if d < 0)
    for batch in _batches(gone):
        SearchTerm.objects.filter(term__in=batch, documents__lte=0).delete()
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, term=word_term[w], uses=0) for w, d in sorted(word_delta.items()) if d > 0],
        ignore_conflicts=True,
        batch_size=1000,
    )
    _add("search_searchword", "word", "uses", word_delta)
    gone = sorted(w for w, d in word_delta.items() if d < 0)
    for batch in _batches(gone):
        SearchWord.objects.filter(word__in=batch, uses__lte=0).delete()
    # the words' copy of their term's document count: for changed terms and for new words
    stale = sorted(set(term_delta) | {word_term[w] for w, d in word_delta.items() if d > 0})
    with connection.cursor() as cursor:
        for batch in _batches(stale):
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(
                "UPDATE search_searchword SET documents = COALESCE((SELECT t.documents"  # noqa: S608
                " FROM search_searchterm t WHERE t.term = search_searchword.term), 0)"
                f" WHERE search_searchword.term IN ({placeholders})",
                batch,
            )
    return set(term_delta)


def refresh_vocabulary(mandate_id: int) -> int:
    """Count one mandate's searchable actions again and apply the difference; return its words.

    A fixed number of queries plus one per BATCH changed terms or words: the mandate's own size."""
    from openmandato.search.models import MandateVocabulary

    with transaction.atomic():
        stored = MandateVocabulary.objects.select_for_update().filter(mandate_id=mandate_id).first()
        new = count_mandate(mandate_id)
        apply(stored.terms if stored else {}, stored.words if stored else {}, new)
        if new.actions:
            MandateVocabulary.objects.update_or_create(
                mandate_id=mandate_id,
                defaults={"actions": new.actions, "terms": dict(new.terms), "words": new.words},
            )
        elif stored:
            stored.delete()
    return len(new.words)


def rebuild_vocabulary() -> int:
    """Count every searchable action again, mandate by mandate; return how many words."""
    from openmandato.search.models import MandateVocabulary, SearchTerm, SearchWord

    contributions: dict[int, Contribution] = {}
    rows = searchable_actions().order_by().values_list("mandate_id", *FIELDS)
    for mandate_id, *row in rows.iterator(chunk_size=2000):
        contributions.setdefault(mandate_id, Contribution()).add(*row)
    documents: Counter[str] = Counter()
    words: dict[str, list] = {}
    for contribution in contributions.values():
        documents.update(contribution.terms)
        for word, (term, uses) in contribution.words.items():
            words.setdefault(word, [term, 0])[1] += uses
    with transaction.atomic():
        MandateVocabulary.objects.all().delete()
        SearchWord.objects.all().delete()
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(
            (SearchTerm(term=t, documents=n) for t, n in documents.items()), batch_size=5000
        )
        SearchWord.objects.bulk_create(
            (
                SearchWord(word=w, term=t, uses=uses, documents=documents.get(t, 0))
                for w, (t, uses) in words.items()
            ),
            batch_size=5000,
        )
        MandateVocabulary.objects.bulk_create(
            (
                MandateVocabulary(mandate_id=m, actions=c.actions, terms=dict(c.terms), words=c.words)
                for m, c in contributions.items()
            ),
            batch_size=500,
        )
    return len(words)


def searchable_total() -> int:
    """How many actions are searchable, from the mandates' counts (no scan of the actions)."""
    from django.db.models import Sum

    from openmandato.search.models import MandateVocabulary

    return MandateVocabulary.objects.aggregate(total=Sum("actions"))["total"] or 0
