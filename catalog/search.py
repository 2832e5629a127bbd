"""Catalog search: full-text on PostgreSQL, icontains on SQLite; misspelt words corrected on both.

When the words find little, each word the catalog's vocabulary does not know is corrected to
its closest word there (catalog.vocabulary, the same on both databases): "pakku" finds paku.

How a search stays both right and fast on a large catalog:

- Every sort but "relevance" is an index walk with the match as a filter: "newest" walks
  `product_newest` (created_at, id), the price sorts `product_price`, "most loved"
  `product_popular`, and PostgreSQL checks each row against the GIN-indexed search vector as it
  goes. A broad word ("batik") fills a page within the first rows it reads; a selective word is
  found through the GIN index and its few matches sorted. Either way a page holds the true rows
  of ALL matches in that order, not of a sample.
- "Best match" puts the listings whose title or motif holds every word (the A-weighted part of
  the search vector, GIN-indexed on its own: migration 0006) first, then the other matches, each
  group newest first. We chose these two tiers over ts_rank because ts_rank is a score per row
  and query that no index holds, so a broad word would rank every match. Up to SEARCH_LIMIT
  matches are ranked whole; past that, the order is read off indexes (_first_by_relevance).
- Pages reach the first SEARCH_LIMIT matches (catalog.browse.browse_page's depth) and count no
  further. Counting 100k
  matches of a broad word costs more than the page itself, and nobody pages that far; the page
  says "1000+ batik".
"""

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Transform, Value, When
from django.db.models.functions import Greatest

from .browse import NEWEST, SORT_ORDER
from .models import Motif, Product
from .vocabulary import corrected_words, current_vocabulary

# The most matches a search counts and pages reach; see the module docstring.
SEARCH_LIMIT = 1000
# A search that finds fewer matches than this offers its words corrected by the vocabulary.
FEW_MATCHES = 3
# How close a misspelt word must be to a motif name (pg_trgm word_similarity, 0..1).
MOTIF_SIMILARITY = 0.45
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchResult:
    # The matching products in the chosen order: unsliced, ready to be narrowed and paginated
    # (catalog.browse.browse_page counts only as far as its pages reach).
    products: QuerySet
    # True when nothing matched the words and these are products with similar words.
    is_fuzzy: bool = False
    # The words corrected by the catalog's vocabulary ("paku" for "pakku") when the typed ones
    # found little; "" when there is nothing to suggest.
    suggestion: str = ""
    # True when the typed words found nothing and these are the matches of `suggestion`.
    is_corrected: bool = False
    # How many products match, counted up to SEARCH_LIMIT + 1, when the search counted them
    # anyway (then the page need not count again); None when not counted that far.
    found: int | None = None
    # Every match's id in the chosen order, when the search read them all to rank them (a
    # "relevance" search of at most SEARCH_LIMIT matches on PostgreSQL): a page is cut from
    # these, and only its cards are read.
    ordered_ids: list[int] | None = None


@SearchVectorField.register_lookup
class TitleAndMotifWords(Transform):
    """`search_vector__title_and_motif_words`: the A-weighted words (title and motif names).

    catalog.services gives title and motif names weight A. The expression is written exactly
    as the GIN index of migration 0006 is, so that PostgreSQL reads that index for it.
    """

    lookup_name = "title_and_motif_words"
    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a}')"
    output_field = SearchVectorField()


def search_words(q: str) -> list[str]:
    """The words a search looks for: letters and digits, lowercased, at most eight."""
    return [word.lower() for word in _WORD.findall(q)][:8]


def search_products(products: QuerySet, *, q: str, sort: str) -> SearchResult:
    """The products among `products` that match the words of `q`, in `sort` order.

    Without words, all of `products` in `sort` order. When the words find fewer than
    FEW_MATCHES, the catalog's vocabulary corrects them (the same on both databases): the
    correction is suggested, and when the typed words found nothing its matches are shown
    (is_corrected). On PostgreSQL, when neither finds anything, products with similar words
    (is_fuzzy), "relevance" then meaning newest first.
    """
    words = search_words(q)
    if not words:
        return SearchResult(products.order_by(*SORT_ORDER.get(sort, NEWEST)))
    found, matches = _matching(products, words, sort)
    if found >= FEW_MATCHES:
        return matches
    corrected = corrected_words(words, current_vocabulary())
    if corrected != words:
        suggestion = " ".join(corrected)
        if found:
            return dataclasses.replace(matches, suggestion=suggestion)
        corrected_found, corrected_matches = _matching(products, corrected, sort)
        if corrected_found:
            return dataclasses.replace(corrected_matches, suggestion=suggestion, is_corrected=True)
    if found or connection.vendor != "postgresql":
        return matches
    similar = products.filter(_similar_match(words))
    fuzzy_sort = "newest" if sort == "relevance" else sort
    return SearchResult(similar.order_by(*SORT_ORDER.get(fuzzy_sort, NEWEST)), is_fuzzy=True)


def _matching(products: QuerySet, words: list[str], sort: str) -> tuple[int, SearchResult]:
    """How many of `products` match every word, and those matches in `sort` order.

    Counted only as far as a decision needs: FEW_MATCHES on SQLite (is there a correction to
    offer), one past SEARCH_LIMIT on PostgreSQL (how to rank, too; the result then carries
    the count for the page).
    """
    if connection.vendor != "postgresql":
        matching = products.filter(_simple_match(words))
        found = matching.order_by()[:FEW_MATCHES].count()
        if sort != "relevance":
            return found, SearchResult(matching.order_by(*SORT_ORDER.get(sort, NEWEST)))

        def in_title_or_motif_words() -> Q:
            return _simple_match(words, fields=("title", "motif"))

        # A small catalog: every match ranked.
        return found, SearchResult(_title_first(matching, in_title_or_motif_words))
    query = SearchQuery(_tsquery_text(words), search_type="raw", config="simple")
    matching = products.filter(search_vector=query)
    if sort != "relevance":
        # Counted up to one past SEARCH_LIMIT (newest first, so that a broad word walks the
        # index and stops): few matches call for a correction.
        found = matching.order_by(*NEWEST)[: SEARCH_LIMIT + 1].count()
        ordered = matching.order_by(*SORT_ORDER.get(sort, NEWEST))
        return found, SearchResult(ordered, found=found)

    def in_title_or_motif() -> Q:
        return Q(search_vector__title_and_motif_words=query)

    # The first SEARCH_LIMIT + 1 matches, newest first (a broad word walks the index and
    # stops), each with whether its title or motif holds every word: up to SEARCH_LIMIT, that
    # is every match, ranked here at once (title or motif first, each group newest first).
    in_title = Case(When(in_title_or_motif(), then=Value(1)), default=Value(0))
    rows = list(
        matching.order_by(*NEWEST)
        .annotate(in_title=in_title)
        .values_list("pk", "in_title")[: SEARCH_LIMIT + 1]
    )
    found = len(rows)
    if found > SEARCH_LIMIT:
        return found, SearchResult(_first_by_relevance(matching, in_title_or_motif), found=found)
    ranked = [pk for pk, first in rows if first] + [pk for pk, first in rows if not first]
    ordered = _title_first(matching, in_title_or_motif)
    return found, SearchResult(ordered, found=found, ordered_ids=ranked)


def _title_first(matching: QuerySet, in_title_or_motif: Callable[[], Q]) -> QuerySet:
    """Every match ranked: title or motif matches first, then the others, newest first.

    `in_title_or_motif` makes the condition: a fresh one for each use, as Django may relabel
    an expression in place when its query becomes a subquery.
    """
    title_first = Case(When(in_title_or_motif(), then=Value(1)), default=Value(0))
    return matching.order_by(title_first.desc(), *NEWEST)


def _first_by_relevance(matching: QuerySet, in_title_or_motif: Callable[[], Q]) -> QuerySet:
    """The first matches in _title_first() order, read off indexes (a broad word).

    What comes back is always a true beginning of that order, at least SEARCH_LIMIT long.
    With SEARCH_LIMIT title or motif matches, those alone, newest first: one walk of the
    newest index, as for "newest". With fewer, all of them (the GIN index finds them) and the
    SEARCH_LIMIT newest matches of any kind: the other matches among those are the newest of
    the others, so the union in _title_first() order runs as the full order does. With none,
    the newest matches.
    """
    in_title = matching.filter(in_title_or_motif())
    in_title_count = in_title.order_by(*NEWEST)[:SEARCH_LIMIT].count()
    if in_title_count >= SEARCH_LIMIT:
        return in_title.order_by(*NEWEST)
    if not in_title_count:
        return matching.order_by(*NEWEST)
    newest = matching.order_by(*NEWEST).values("pk")[:SEARCH_LIMIT]
    candidates = in_title.order_by().values("pk").union(newest, all=True)
    # Product.objects, not the filters again: the plan follows those few ids.
    return _title_first(Product.objects.filter(pk__in=candidates), in_title_or_motif)


def _tsquery_text(words: list[str]) -> str:
    # Every word must match, each as a prefix ("batik tul" finds "tulis"); the words come from
    # search_words(), so they hold no tsquery syntax.
    return " & ".join(f"{w}:*" for w in words)


def _simple_match(
    words: list[str], fields: tuple[str, ...] = ("title", "motif", "description", "shop")
) -> Q:
    """SQLite: every word (as a substring) in one of these fields of the product, in either
    language (as the search vector holds both on PostgreSQL)."""
    every_word = Q()
    for word in words:
        motif = Product.motifs.through.objects.filter(
            Q(motif__name__icontains=word) | Q(motif__name_en__icontains=word),
            product=OuterRef("pk"),
        )
        where = {
            "title": Q(title__icontains=word) | Q(title_en__icontains=word),
            "motif": Q(Exists(motif)),
            "description": Q(description__icontains=word) | Q(description_en__icontains=word),
            "shop": Q(shop__name__icontains=word),
        }
        any_field = Q()
        for name in fields:
            any_field |= where[name]
        every_word &= any_field
    return every_word


def _similar_match(words: list[str]) -> Q:
    """Typo-tolerant (pg_trgm): a motif name close to a word, or a title with a close word."""
    words = [w for w in words if len(w) >= 3]
    if not words:
        return Q(pk__in=[])
    similarities = [TrigramWordSimilarity(Value(w), "name") for w in words]
    score = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    motifs = Motif.objects.annotate(score=score).filter(score__gte=MOTIF_SIMILARITY)
    in_motif = Product.motifs.through.objects.filter(
        product=OuterRef("pk"), motif__in=motifs.values("pk")
    )
    similar = Q(Exists(in_motif))
    for word in words:
        similar |= Q(title__trigram_word_similar=word)
    return similar
