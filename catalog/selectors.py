"""Reads for the public catalog: search (PostgreSQL or SQLite), collections and makers.

Browsing without search words (the URL's filters, sorting, pages) lives in `catalog.browse`,
the taxonomy facets in `catalog.facets`.
"""

import functools
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Greatest

from artisans.models import Shop
from core.queries import compiled_rows, slot

from .browse import (  # noqa: F401 - the browse names search and its callers use
    AVAILABILITY,
    PER_PAGE_CHOICES,
    SORTS,
    TAXON_FILTERS,
    CatalogQuery,
    filter_products,
    sort_products,
)
from .models import Collection, CollectionItem, Motif, Product

# Full-text search ranks at most this many matches: a broad word ("batik") matches nearly every
# listing, and ranking 100k rows would cost far more than anyone scrolls through.
SEARCH_CANDIDATES = 480
# How close a misspelt word must be to a motif name (pg_trgm word_similarity, 0..1).
MOTIF_SIMILARITY = 0.45
_WORD = re.compile(r"[^\W_]+")


def search_words(q: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(q)][:8]


def _tsquery_text(words: list[str]) -> str:
    # Every word must match, each as a prefix ("batik tul" finds "tulis"); the words come from
    # _WORD, so they hold no tsquery syntax.
    return " & ".join(f"{w}:*" for w in words)


def _tsquery(words: list[str]) -> SearchQuery:
    return SearchQuery(_tsquery_text(words), search_type="raw", config="simple")


def full_text_matches(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Products matching every word (PostgreSQL), best ranked first among the top candidates."""
    query = _tsquery(words)
    candidates = queryset.filter(search_vector=query).order_by().values("pk")[:SEARCH_CANDIDATES]
    return Product.objects.filter(pk__in=candidates).annotate(
        rank=SearchRank(F("search_vector"), query)
    )


def similar_matches(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Typo-tolerant matches (pg_trgm): motif names close to a word, or titles with a close word."""
    words = [w for w in words if len(w) >= 3]
    if not words:
        return queryset.none()
    similarities = [TrigramWordSimilarity(Value(w), "name") for w in words]
    score = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    motifs = Motif.objects.annotate(score=score).filter(score__gte=MOTIF_SIMILARITY)
    in_motif = Product.motifs.through.objects.filter(
        product=OuterRef("pk"), motif__in=motifs.values("pk")
    )
    title = Q()
    for word in words:
        title |= Q(title__trigram_word_similar=word)
    candidates = (
        queryset.filter(Q(Exists(in_motif)) | title).order_by().values("pk")[:SEARCH_CANDIDATES]
    )
    return Product.objects.filter(pk__in=candidates)


def simple_matches(queryset: QuerySet, words: list[str]) -> QuerySet:
    """The SQLite fallback: every word somewhere in title, description, motif or shop name."""
    for word in words:
        motif = Product.motifs.through.objects.filter(
            product=OuterRef("pk"), motif__name__icontains=word
        )
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(shop__name__icontains=word)
            | Q(Exists(motif))
        )
    return queryset


# How full-text candidates sort in Python, as stable sorts applied in turn (the last one decides
# first): row = (pk, rank, created_at, price, favourite_count); the same order as sort_products().
_NEWEST = (lambda row: (row[2], row[0]), True)
_CANDIDATE_ORDER = {
    "relevance": (_NEWEST, (lambda row: row[1], True)),
    "newest": (_NEWEST,),
    "price-asc": ((lambda row: (row[3], row[0]), False),),
    "price-desc": ((lambda row: (row[3], row[0]), True),),
    "popular": ((lambda row: (row[4], row[2], row[0]), True),),
}


def ranked_matches(
    filtered: Callable[[], QuerySet], words: list[str], sort: str, *, shape: Hashable | None = None
) -> list[int]:
    """The ids of at most SEARCH_CANDIDATES full-text matches in `sort` order, in ONE flat query.

    The matches are read straight off the GIN index with their rank and the columns every sort
    needs, and sorted here: a flat query plans in a fraction of the time of a ranked subquery
    plus a count, and its length is the count. `filtered()` gives the products to search; with
    a `shape` (see core.queries) it is called only to compile the query the first time. The
    words fill a slot, so the shape is the filters' alone: a new search term compiles nothing.
    """

    def build() -> QuerySet:
        query = SearchQuery(slot("words"), search_type="raw", config="simple")
        return (
            filtered()
            .filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by()
            .values_list("pk", "rank", "created_at", "price", "favourite_count")[:SEARCH_CANDIDATES]
        )

    rows = list(compiled_rows(build, shape=shape, fill={"words": _tsquery_text(words)}))
    for key, reverse in _CANDIDATE_ORDER.get(sort, _CANDIDATE_ORDER["relevance"]):
        rows.sort(key=key, reverse=reverse)
    return [row[0] for row in rows]


@dataclass
class SearchResult:
    # None when the matches come as `ids` instead.
    products: QuerySet | None
    is_fuzzy: bool = False
    # Full-text matches (PostgreSQL), in page order: a page fetches its own cards by id.
    ids: list[int] | None = None


def browse(query: CatalogQuery, *, base: QuerySet | None = None) -> QuerySet:
    """Filtered, searched and sorted products, e.g. for a shop page (no typo fallback)."""
    return search_with_fallback(query, base=base, count_first=False).products


def search_with_fallback(
    query: CatalogQuery, *, base: QuerySet | None = None, count_first: bool = True
) -> SearchResult:
    """Filters plus search; on PostgreSQL, when full-text search finds nothing, similar words.

    With `count_first`, full-text matches come back as `ids` in page order (see catalog_page()).
    """

    @functools.cache
    def filtered() -> QuerySet:
        return filter_products(base if base is not None else Product.objects.published(), query)

    words = search_words(query.q)
    if not words:
        return SearchResult(sort_products(filtered(), query.sort))
    if connection.vendor != "postgresql":
        return SearchResult(sort_products(simple_matches(filtered(), words), query.sort))
    if not count_first:
        return SearchResult(sort_products(full_text_matches(filtered(), words), query.sort))
    # The filters and words decide the query; the products searched are the public ones.
    shape = ("ranked", query.filter_params()) if base is None else None
    ids = ranked_matches(filtered, words, query.sort, shape=shape)
    if not ids:
        fuzzy = similar_matches(filtered(), words)
        sort = "newest" if query.sort == "relevance" else query.sort
        return SearchResult(sort_products(fuzzy, sort), is_fuzzy=True)
    return SearchResult(None, ids=ids)


def makers_by_district():
    """Approved shops ordered by district then name, for the home page."""
    return (
        Shop.objects.approved()
        .order_by("district", "name")
        .only("name", "slug", "district", "is_verified", "photo")
    )


def collections_with_products(
    *, user=None, per_collection: int | None = None, collection: Collection | None = None
) -> list[Collection]:
    """Published collections (or just `collection`) with their public products, in ONE query.

    Each collection gets `cards`: products with_card_data() for `user`, in the curated order.
    Without `collection`, the collections are read from the same rows, so those left with no
    public product do not appear.
    """
    position = CollectionItem.objects.filter(
        collection=OuterRef("in_collection"), product=OuterRef("pk")
    ).values("position")[:1]
    in_collections = (
        {"collections": collection}
        if collection is not None
        else {"collections__is_published": True}
    )
    products = (
        Product.objects.published()
        .with_card_data(user)
        .filter(**in_collections)
        .annotate(
            in_collection=F("collections"),
            collection_title=F("collections__title"),
            collection_slug=F("collections__slug"),
            collection_description=F("collections__description"),
            collection_position=F("collections__position"),
            item_position=Subquery(position),
        )
        .order_by("collection_position", "collection_title", "in_collection", "item_position", "pk")
    )
    collections: dict[int, Collection] = {}
    if collection is not None:
        collection.cards = []
        collections[collection.pk] = collection
    for product in products:
        found = collections.get(product.in_collection)
        if found is None:
            found = Collection(
                pk=product.in_collection,
                title=product.collection_title,
                slug=product.collection_slug,
                description=product.collection_description,
                position=product.collection_position,
            )
            found.cards = []
            collections[found.pk] = found
        if per_collection is None or len(found.cards) < per_collection:
            found.cards.append(product)
    return list(collections.values())
