"""Browsing the catalog without search words: filters from the URL, sorting and pages."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Subquery, Value
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from artisans.models import District

from .models import Colour, Motif, Product

PER_PAGE_CHOICES = (24, 48, 96)
# A list goes this many products deep at most, whatever the sort: deeper pages would make the
# database skip (OFFSET) ever more rows as the catalog grows, and nobody pages through thousands
# of batik; past it the page asks the buyer to narrow the list with filters.
BROWSE_DEPTH = 2400

SORTS = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "price-asc": _("Price: low to high"),
    "price-desc": _("Price: high to low"),
    "popular": _("Most loved"),
}
AVAILABILITY = {"in-stock": _("Ready to ship"), "made-to-order": _("Made to order")}
# URL parameter → facet kind; the kinds match facets.taxonomy_facets().
TAXON_FILTERS = {
    "motif": "motif",
    "technique": "technique",
    "fabric": "fabric",
    "type": "type",
    "colour": "colour",
}
_SLUG = re.compile(r"^[-a-z0-9_]{1,90}$")


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

    def canonical_query_string(self, page: str | None) -> str:
        """The query of the list's canonical address: the words and filters in their fixed
        order, and the page number only in the default order and page size.

        Another sort or page size shows the same batik, so it points to the default view's
        first page; a page of the default view is a page of its own. Anything else in the URL
        (utm_*, fbclid, a repeated or unknown parameter) is not part of what the page shows.
        """
        pairs = [pair for pair in self.params() if pair[0] not in ("sort", "per_page")]
        is_default_view = len(pairs) == len(self.params())
        if is_default_view and page and page.isdigit() and int(page) > 1:
            pairs.append(("page", str(int(page))))
        return urlencode(pairs)

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


# The order of each sort, as the keys of one index each (migrations 0002, 0003); search's "relevance"
# is its own (catalog.search), a browse without words sorts it as "newest".
NEWEST = ("-created_at", "-pk")
SORT_ORDER = {
    "newest": NEWEST,
    "price-asc": ("price", "pk"),
    "price-desc": ("-price", "-pk"),
    "popular": ("-favourite_count", "-created_at", "-pk"),
}


def sort_products(queryset: QuerySet, sort: str) -> QuerySet:
    return queryset.order_by(*SORT_ORDER.get(sort, NEWEST))


class DepthPaginator(Paginator):
    """Pages of a list that goes at most `depth` products deep, told how many were found.

    `found` is counted up to depth + 1 (see capped_count()), so it costs the same at 10k
    products as at 100k; `is_capped` tells the page to say there is more.
    """

    def __init__(self, per_page: int, *, found: int, depth: int = BROWSE_DEPTH):
        super().__init__([], per_page)
        self.found = found
        self.depth = depth

    @cached_property
    def count(self) -> int:
        return min(self.found, self.depth)

    @property
    def is_capped(self) -> bool:
        return self.found > self.depth


def capped_count(products: QuerySet, depth: int = BROWSE_DEPTH) -> Subquery:
    """How many of `products` there are, counted up to depth + 1, as a subquery.

    A COUNT over a LIMIT: the database stops after depth + 1 rows, whatever the catalog size.
    """
    limited = products.order_by().values("pk")[: depth + 1]
    counted = (
        Product.objects.filter(pk__in=limited)
        .order_by()
        .annotate(everything=Value(1))
        .values("everything")
        .annotate(found=Count("pk"))
        .values("found")
    )
    return Subquery(counted)


def _page_number(number, per_page: int, depth: int) -> int:
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    return max(1, min(number, -(-depth // per_page)))


def browse_page(
    products: QuerySet,
    query: CatalogQuery,
    number,
    *,
    depth: int = BROWSE_DEPTH,
    found: int | None = None,
    ordered_ids: list[int] | None = None,
) -> Page:
    """One page of cards of `products` (filtered and sorted), at most `depth` deep.

    ONE query: the page's cards, each carrying the capped count, unless the caller counted
    them already (`found`, up to depth + 1: a search does) or holds every id in order
    (`ordered_ids`: a ranked search; then only the page's cards are read, by id). Only a page
    past the end (a stale link) costs a count of its own and then the last page.
    """
    per_page = query.per_page
    number = _page_number(number, per_page, depth)
    if ordered_ids is not None:
        found = len(ordered_ids)

    def rows(number: int) -> list:
        start = (number - 1) * per_page
        end = min(start + per_page, depth)
        if ordered_ids is not None:
            wanted = ordered_ids[start:end]
            cards = products.filter(pk__in=wanted).order_by().with_card_data().in_bulk()
            return [cards[pk] for pk in wanted if pk in cards]
        # The page's ids first, from the products alone, and only then their cards: the shop
        # and image joins run for one page of rows, not for every match sorted or skipped.
        on_page = products.values("pk")[start:end]
        cards = products.filter(pk__in=on_page).with_card_data()
        if found is None:
            cards = cards.annotate(found=capped_count(products, depth))
        return list(cards)

    found_rows = rows(number)
    if found is None:
        found = found_rows[0].found if found_rows else products.order_by()[: depth + 1].count()
    paginator = DepthPaginator(per_page, found=found, depth=depth)
    if not found_rows and number > paginator.num_pages:  # a stale link past the end
        number = paginator.num_pages
        found_rows = rows(number) if found else []
    return Page(found_rows, number, paginator)
