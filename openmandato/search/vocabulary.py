"""The vocabulary of published words: rebuilt from the published actions of current mandates only."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from openmandato.programs.models import Action
from openmandato.programs.textsearch import strip_accents, word_forms, words_of
from openmandato.search.engine import TERM


def searchable_actions():
    """The actions search and compare may show: active, in a current, published mandate."""
    return Action.objects.public().in_current_mandate()


def rebuild_vocabulary() -> int:
    """Replace the vocabulary with the words of the searchable actions; return how many words."""
    from openmandato.search.models import SearchWord

    documents: Counter[str] = Counter()
    word_terms: dict[str, str] = {}
    rows = searchable_actions().values_list("title", "text", "section__title", "search_document")
    for title, text, section_title, document in rows.iterator(chunk_size=2000):
        documents.update(set((document or "").split()))
        for word in set(words_of(f"{title} {text} {section_title}")):
            if word.isdigit() or not 3 <= len(word) <= 60:
                continue
            plain = strip_accents(word)
            term = word_forms(word)[-1]
            if plain not in word_terms and TERM.fullmatch(plain) and TERM.fullmatch(term):
                word_terms[plain] = term
    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            (SearchWord(word=w, term=t, documents=documents.get(t, 0)) for w, t in word_terms.items()),
            batch_size=5000,
        )
    return len(word_terms)
