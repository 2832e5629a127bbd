"""The words the catalog speaks, and the correction of a misspelt search word to one of them.

The vocabulary is small on purpose: the taxonomy's names (motifs, techniques, fabrics, product
types, colours), the districts, the approved shops' names and the words of the newest
published titles, in both languages, a few thousand words at most whatever the catalog's size.
It is read in ONE query, kept in the cache per catalog version, and only when a search finds
little. Fuzzy
matching runs against it (rapidfuzz, in memory), never against product rows, and the same way
on SQLite and PostgreSQL, so that a corrected search finds the same batik on both.
"""

import re
from bisect import bisect_left

from django.core.cache import cache
from rapidfuzz import fuzz, process

from artisans.models import District, Shop

from . import cache as catalog_cache
from .browse import NEWEST
from .models import Colour, Fabric, Motif, Product, ProductType, Technique

# The titles of this many newest published listings lend their words (one index walk).
TITLE_LISTINGS = 2000
# How close a vocabulary word must be to a typed word to replace it (rapidfuzz ratio, 0..100):
# one letter off in a four-letter word ("pako" → "paku") is 75.
MIN_SCORE = 75
# Shorter words are too ambiguous to correct ("kai" may start many words).
MIN_LENGTH = 4
_WORD = re.compile(r"[^\W\d_]+")


def build_vocabulary() -> tuple[str, ...]:
    """Every word of the vocabulary (see module doc), lowercased and sorted, in ONE query."""
    newest = Product.objects.published().order_by(*NEWEST).values("pk")[:TITLE_LISTINGS]
    parts = [
        model.objects.order_by().values_list(field)
        for model in (Motif, Technique, Fabric, ProductType, Colour)
        for field in ("name", "name_en")
    ]
    parts.append(Shop.objects.approved().order_by().values_list("name"))
    for field in ("title", "title_en"):
        parts.append(Product.objects.filter(pk__in=newest).order_by().values_list(field))
    texts = [row[0] for row in parts[0].union(*parts[1:], all=True).order_by()]
    texts += [str(label) for label in District.labels]
    return tuple(sorted({word.lower() for text in texts for word in _WORD.findall(text)}))


def current_vocabulary() -> tuple[str, ...]:
    """build_vocabulary() of the current catalog version, from the cache (edits bump it)."""
    if not catalog_cache.is_enabled():
        return build_vocabulary()
    key = catalog_cache.vocabulary_key(catalog_cache.catalog_version())
    words = cache.get(key)
    if words is None:
        words = build_vocabulary()
        cache.set(key, words, catalog_cache.CACHE_SECONDS)
    return words


def _is_known(word: str, vocabulary: tuple[str, ...]) -> bool:
    # A word, or the start of one: search matches words by their beginning ("wakaroro").
    index = bisect_left(vocabulary, word)
    return index < len(vocabulary) and vocabulary[index].startswith(word)


def corrected_words(words: list[str], vocabulary: tuple[str, ...]) -> list[str]:
    """`words` with each one the vocabulary does not know replaced by its closest word there.

    A known word (or the start of one) is kept as typed: an exact match wins. A word with no
    close enough match is kept too.
    """
    corrected = []
    for word in words:
        if len(word) >= MIN_LENGTH and word.isalpha() and not _is_known(word, vocabulary):
            best = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
            if best is not None:
                word = best[0]
        corrected.append(word)
    return corrected
