"""Reads for the public catalog: filters from the URL, search (PostgreSQL or SQLite), facets."""

import functools
import hashlib
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from artisans.models import District, Shop
from core.queries import InArray, array_literal, compiled_rows, slot

from .cards import card_rows
from .models import (
    Collection,
    CollectionItem,
    Colour,
    Fabric,
    Motif,
    Product,
    ProductType,
    Technique,
)

PER_PAGE_CHOICES = (24, 48, 96)
# Full-text search ranks at most this many matches: a broad word ("batik") matches nearly every
# listing, and ranking 100k rows would cost far more than anyone scrolls through.
SEARCH_CANDIDATES = 480
# A browse count (no search words) is kept this long at most, and only for one catalog version.
COUNT_CACHE_SECONDS = 600
# How close a misspelt word must be to a motif name (pg_trgm word_similarity, 0..1).
MOTIF_SIMILARITY = 0.45

SORTS = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "price-asc": _("Price: low to high"),
    "price-desc": _("Price: high to low"),
    "popular": _("Most loved"),
}
AVAILABILITY = {"in-stock": _("Ready to ship"), "made-to-order": _("Made to order")}
# URL parameter → (facet kind, product filter); the kinds match taxonomy_facets().
TAXON_FILTERS = {
    "motif": "motif",
    "technique": "technique",
    "fabric": "fabric",
    "type": "type",
    "colour": "colour",
}
_SLUG = re.compile(r"^[-a-z0-9_]{1,90}$")
_WORD = re.compile(r"[^\W_]+")


def _int_or_none(raw: str | None) -> int | None:
    digits = re.sub(r"[^\d]", "", raw or "")
    if not digits:
        return None
    return min(int(digits[:12]), 10**12)


@dataclass
class CatalogQuery:
    """What the buyer asked for, parsed from the URL; unknown values are ignored."""

    q: str = ""
    taxa: dict[str, list[str]] = field(default_factory=dict)
    districts: list[str] = field(default_factory=list)
    price_min: int | None = None
    price_max: int | None = None
    availability: str = ""
    verified: bool = False
    sort: str = "newest"
    per_page: int = PER_PAGE_CHOICES[0]

    @classmethod
    def from_querydict(cls, data: QueryDict) -> "CatalogQuery":
        q = " ".join((data.get("q") or "").split())[:100]
        taxa = {}
        for param in TAXON_FILTERS:
            slugs = [s for s in data.getlist(param) if _SLUG.match(s)][:20]
            if slugs:
                taxa[param] = list(dict.fromkeys(slugs))
        districts = [d for d in data.getlist("district") if d in District.values]
        availability = data.get("availability", "")
        sort = data.get("sort", "")
        if sort not in SORTS or (sort == "relevance" and not q):
            sort = "relevance" if q else "newest"
        try:
            per_page = int(data.get("per_page", PER_PAGE_CHOICES[0]))
        except ValueError:
            per_page = PER_PAGE_CHOICES[0]
        price_min, price_max = (
            _int_or_none(data.get("price_min")),
            _int_or_none(data.get("price_max")),
        )
        if price_min is not None and price_max is not None and price_min > price_max:
            price_min, price_max = price_max, price_min
        return cls(
            q=q,
            taxa=taxa,
            districts=list(dict.fromkeys(districts)),
            price_min=price_min,
            price_max=price_max,
            availability=availability if availability in AVAILABILITY else "",
            verified=data.get("verified") == "1",
            sort=sort,
            per_page=per_page if per_page in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0],
        )

    def params(self) -> list[tuple[str, str]]:
        """The query as URL parameters, in a stable order (without the page number)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for param in TAXON_FILTERS:
            pairs += [(param, slug) for slug in self.taxa.get(param, [])]
        pairs += [("district", d) for d in self.districts]
        if self.price_min is not None:
            pairs.append(("price_min", str(self.price_min)))
        if self.price_max is not None:
            pairs.append(("price_max", str(self.price_max)))
        if self.availability:
            pairs.append(("availability", self.availability))
        if self.verified:
            pairs.append(("verified", "1"))
        if self.sort != ("relevance" if self.q else "newest"):
            pairs.append(("sort", self.sort))
        if self.per_page != PER_PAGE_CHOICES[0]:
            pairs.append(("per_page", str(self.per_page)))
        return pairs

    def filter_params(self) -> tuple[tuple[str, str], ...]:
        """The parameters that decide which products match, search words aside."""
        return tuple(pair for pair in self.params() if pair[0] not in ("q", "sort", "per_page"))

    def query_string(self, *, without: tuple[str, str] | None = None) -> str:
        return urlencode([pair for pair in self.params() if pair != without])

    @property
    def has_filters(self) -> bool:
        return bool(
            self.taxa
            or self.districts
            or self.price_min is not None
            or self.price_max is not None
            or self.availability
            or self.verified
        )


@dataclass
class Facets:
    """The taxonomy a buyer filters by, loaded in one query."""

    by_kind: dict[str, list[dict]]

    def name(self, kind: str, slug: str) -> str:
        for term in self.by_kind.get(kind, []):
            if term["slug"] == slug:
                return term["name"]
        return slug


# The taxonomy of the current catalog version, kept in each process: taxonomy edits in the
# admin bump the version, so a page reads it without a query or a render of its own.
_facets_by_version: dict[int, Facets] = {}


def current_taxonomy_facets(version: int | None = None) -> Facets:
    """taxonomy_facets() of the current catalog version, loaded once per process and version."""
    from .cache import catalog_version

    if version is None:
        version = catalog_version()
    facets = _facets_by_version.get(version)
    if facets is None:
        facets = taxonomy_facets()
        _facets_by_version.clear()
        _facets_by_version[version] = facets
    return facets


def taxonomy_facets() -> Facets:
    """Every motif, technique, fabric, type and colour, in ONE query (a UNION ALL)."""
    parts = []
    for kind, model in (
        ("motif", Motif),
        ("technique", Technique),
        ("fabric", Fabric),
        ("type", ProductType),
        ("colour", Colour),
    ):
        colour_hex = F("hex") if model is Colour else Value("")
        parts.append(
            model.objects.order_by()
            .annotate(kind=Value(kind), colour_hex=colour_hex)
            .values_list("kind", "id", "slug", "name", "position", "colour_hex")
        )
    union = parts[0].union(*parts[1:], all=True)
    by_kind: dict[str, list[dict]] = {kind: [] for kind in TAXON_FILTERS.values()}
    rows = sorted(union, key=lambda row: (row[0], row[4], row[3].lower()))
    for kind, pk, slug, name, _position, colour_hex in rows:
        by_kind[kind].append({"id": pk, "slug": slug, "name": name, "hex": colour_hex})
    return Facets(by_kind=by_kind)


def filter_products(queryset: QuerySet, query: CatalogQuery) -> QuerySet:
    """Apply every filter except the search words."""
    taxa = query.taxa
    if "motif" in taxa:
        queryset = queryset.with_motif(Motif.objects.filter(slug__in=taxa["motif"]).values("pk"))
    if "colour" in taxa:
        queryset = queryset.with_colour(Colour.objects.filter(slug__in=taxa["colour"]).values("pk"))
    if "technique" in taxa:
        queryset = queryset.filter(technique__slug__in=taxa["technique"])
    if "fabric" in taxa:
        queryset = queryset.filter(fabric__slug__in=taxa["fabric"])
    if "type" in taxa:
        queryset = queryset.filter(product_type__slug__in=taxa["type"])
    if query.districts:
        queryset = queryset.filter(shop__district__in=query.districts)
    if query.price_min is not None:
        queryset = queryset.filter(price__gte=query.price_min)
    if query.price_max is not None:
        queryset = queryset.filter(price__lte=query.price_max)
    if query.availability == "in-stock":
        queryset = queryset.in_stock()
    elif query.availability == "made-to-order":
        queryset = queryset.made_to_order()
    if query.verified:
        queryset = queryset.by_verified_makers()
    return queryset


def sort_products(queryset: QuerySet, sort: str) -> QuerySet:
    if sort == "price-asc":
        return queryset.order_by("price", "pk")
    if sort == "price-desc":
        return queryset.order_by("-price", "-pk")
    if sort == "popular":
        return queryset.popular_first()
    if sort == "relevance" and "rank" in queryset.query.annotations:
        return queryset.order_by("-rank", "-created_at", "-pk")
    return queryset.order_by("-created_at", "-pk")


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


def catalog_page(
    query: CatalogQuery,
    number,
    *,
    user=None,
    version: int | None = None,
    stored_count: tuple | None = None,
) -> tuple[Page, SearchResult]:
    """One page of cards (`catalog.cards.Card`: shop, primary image, favourite flag) for the list.

    `version` is the catalog version when the caller has read it already, and `stored_count`
    what it read under browse_count_key(query) in the same round trip (no cache read here).

    Full-text matches are paged by id, then that page's cards fetched by primary key: no
    second plan of the search, no COUNT.
    """
    if not search_words(query.q):
        return _browse_page(query, number, user, version, stored_count), SearchResult(None)
    result = search_with_fallback(query)
    if result.ids is not None:
        page = Paginator(result.ids, query.per_page).get_page(number)
        ids = list(page.object_list)
        reader = user or AnonymousUser()
        by_id = {
            card.pk: card
            # published() again: a listing hidden since the search above stays hidden.
            for card in card_rows(
                lambda: (
                    Product.objects.published()
                    .filter(InArray(F("pk"), slot("ids")))
                    .order_by()
                    .with_card_image()
                    .with_favourite_flag(reader)
                ),
                shape=("search-cards", reader.pk),
                fill={"ids": array_literal(ids)},
            )
        }
        page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
        return page, result
    products = result.products.with_card_image().with_favourite_flag(user or AnonymousUser())
    page = Paginator(products, query.per_page).get_page(number)
    page.object_list = card_rows(page.object_list)
    return page, result


def _browse_page(
    query: CatalogQuery, number, user, version: int | None, stored_count: tuple | None
) -> Page:
    """A page of the catalog without search words.

    The count comes from the cache (see _browse_count()) and the card query is compiled once
    per shape (see card_rows()), so the queryset is built only when one of them needs it.
    """
    reader = user if user is not None else AnonymousUser()

    @functools.cache
    def filtered() -> QuerySet:
        return filter_products(Product.objects.published(), query)

    if query.availability == "in-stock":  # stock moves without a new catalog version
        count = filtered().count()
    else:
        count = _browse_count(filtered, query, version, stored_count)
    page = Paginator(range(count), query.per_page).get_page(number)
    start, stop = page.object_list.start, page.object_list.stop
    shape = (
        "catalog-list",
        tuple(query.params()),
        start,
        stop,
        reader.pk if reader.is_authenticated else None,
    )
    page.object_list = (
        card_rows(
            lambda: (
                sort_products(filtered(), query.sort)
                .with_card_image()
                .with_favourite_flag(reader)[start:stop]
            ),
            shape=shape,
        )
        if stop > start
        else []
    )
    return page


def browse_count_key(query: CatalogQuery) -> str:
    """The cache key of how many products these filters match; sorting and paging aside."""
    filters = urlencode([p for p in query.params() if p[0] not in ("sort", "per_page")])
    return "catalog:count:" + hashlib.sha256(filters.encode()).hexdigest()[:32]


def _browse_count(
    filtered: Callable[[], QuerySet], query: CatalogQuery, version: int | None, stored: tuple | None
) -> int:
    """How many products these filters match, counted once per catalog version.

    Stored as (version, count): every listing edit moves the catalog version, so the count is as
    fresh as the cached pages (stock, which orders change without a version, is left out: "in
    stock" is counted each time). Sorting, page size and page number do not change it.
    """
    from .cache import catalog_version

    key = browse_count_key(query)
    if version is None:
        version = catalog_version()
        stored = cache.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    count = filtered().count()
    cache.set(key, (version, count), COUNT_CACHE_SECONDS)
    return count


def makers_by_district():
    """Approved shops ordered by district then name, for the home page."""
    return (
        Shop.objects.approved()
        .order_by("district", "name")
        .only("name", "slug", "district", "is_verified", "photo")
    )


def collections_with_products(
    *, per_collection: int | None = None, collection: Collection | None = None
) -> list[Collection]:
    """Published collections with their public products in the curated order, in ONE query.

    Each collection gets `cards` (a list of products with their shop); collections left with no
    public product are dropped. Primary images are not loaded here, so that a page attaches them
    together with its other cards in one query.
    """
    items = (
        CollectionItem.objects.filter(
            collection__is_published=True,
            product__in=Product.objects.published().values("pk"),
        )
        .select_related("collection", "product__shop")
        .order_by("collection__position", "collection__title", "collection_id", "position", "pk")
    )
    if collection is not None:
        items = items.filter(collection=collection)
    collections: dict[int, Collection] = {}
    for item in items:
        if item.collection_id not in collections:
            item.collection.cards = []
            collections[item.collection_id] = item.collection
        cards = collections[item.collection_id].cards
        if per_collection is None or len(cards) < per_collection:
            cards.append(item.product)
    return list(collections.values())
