"""Italian search terms: lower case, no accents, lemmatised (simplemma), nouns of action also as their
verb ("riqualificazione" -> "riqualificare"), then Snowball-stemmed. Documents and queries go through
the same function, so "rifiuto" finds "rifiuti", "citta" finds "città" and "riqualificare" finds
"riqualificazione" on both database backends."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma
import snowballstemmer

WORD = re.compile(r"[^\W\d_]+|\d+")
STOPWORDS = frozenset(
    {
        "a",
        "ad",
        "al",
        "all",
        "alla",
        "alle",
        "agli",
        "ai",
        "anche",
        "che",
        "chi",
        "con",
        "come",
        "da",
        "dal",
        "dalla",
        "dalle",
        "dei",
        "del",
        "della",
        "delle",
        "dello",
        "degli",
        "di",
        "e",
        "ed",
        "gli",
        "i",
        "il",
        "in",
        "la",
        "le",
        "lo",
        "ma",
        "ne",
        "nei",
        "nel",
        "nella",
        "nelle",
        "negli",
        "non",
        "o",
        "per",
        "più",
        "se",
        "si",
        "sia",
        "sono",
        "su",
        "sul",
        "sulla",
        "tra",
        "fra",
        "un",
        "una",
        "uno",
        "è",
    }
)
# Nouns of action and the verb they come from: -azione -> -are, -izione -> -ire, -mento -> -re.
DERIVATIONS = [
    ("azione", "are"),
    ("izione", "ire"),
    ("uzione", "uire"),
    ("amento", "are"),
    ("imento", "ire"),
]
_stemmer = snowballstemmer.stemmer("italian")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=50_000)
def word_forms(word: str) -> tuple[str, ...]:
    lemma = simplemma.lemmatize(word, lang="it")
    forms = [lemma]
    for suffix, verb in DERIVATIONS:
        if lemma.endswith(suffix) and len(lemma) > len(suffix) + 3:
            forms.append(lemma[: -len(suffix)] + verb)
            break
    return tuple(dict.fromkeys(_stemmer.stemWord(strip_accents(form)) for form in forms))


def words_of(text: str) -> list[str]:
    return [
        w for w in WORD.findall((text or "").lower()) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())
    ]


def document_terms(text: str) -> str:
    """Every form of every word: what is stored and indexed."""
    return " ".join(form for word in words_of(text) for form in word_forms(word))


def query_terms(text: str) -> list[str]:
    """One canonical form per word (the verb, when the word is a noun of action)."""
    terms = [word_forms(word)[-1] for word in words_of(text)]
    return list(dict.fromkeys(t for t in terms if re.fullmatch(r"[a-z0-9]+", t)))
