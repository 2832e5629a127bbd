"""Browse and search the catalog: filters, sorting and pages, all kept in the URL."""

import dataclasses
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from artisans.models import District, Shop
from core.templatetags.money import format_rupiah

from .. import browse as browsing
from .. import cache as catalog_cache
from .. import search
from ..browse import (
    AVAILABILITY,
    PER_PAGE_CHOICES,
    SORTS,
    TAXON_FILTERS,
    CatalogQuery,
    browse_page,
    filter_products,
    sort_products,
)
from ..facets import Facets, current_taxonomy_facets
from ..models import Product
from .pagecache import FOLLOWS_STOCK, cached_for_visitors


def matching_products(base: QuerySet, query: CatalogQuery) -> search.SearchResult:
    """The products of `base` matching the query's filters and words, sorted, with what the
    search made of the words (similar words, a correction to suggest).

    The one call into search: its products a Product queryset, unsliced, to page and chain on.
    """
    filtered = filter_products(base, query)
    if not search.search_words(query.q):
        return search.SearchResult(sort_products(filtered, query.sort))
    return search.search_products(filtered, q=query.q, sort=query.sort)


def list_depth(query: CatalogQuery) -> int:
    """How deep a list's pages reach: a search's order holds for its first SEARCH_LIMIT."""
    return search.SEARCH_LIMIT if search.search_words(query.q) else browsing.BROWSE_DEPTH


def sort_choices(query: CatalogQuery) -> list[tuple[str, str]]:
    """The sorts to offer: relevance only when there is something to be relevant to."""
    return [(value, label) for value, label in SORTS.items() if value != "relevance" or query.q]


def _results(request, query: CatalogQuery, facets: Facets) -> dict:
    """The list part of the page: one page of cards, its count, the corrected words to
    suggest, and more suggestions when empty."""
    found = matching_products(Product.objects.published(), query)
    page = browse_page(
        found.products, query, request.GET.get("page"), depth=list_depth(query),
        found=found.found, ordered_ids=found.ordered_ids,
    )  # fmt: skip
    results = {
        "page": page,
        "is_fuzzy": found.is_fuzzy,
        "is_corrected": found.is_corrected,
        "share_image": first_photo(page.object_list),
    }
    if found.suggestion:
        # The same address with the corrected words: the filters and sort stay.
        corrected = dataclasses.replace(query, q=found.suggestion)
        results["suggestion"] = {"q": found.suggestion, "url": "?" + corrected.query_string()}
    if not page.object_list:
        results["suggested_motifs"] = facets.by_kind["motif"][:8]
        results["suggested_makers"] = Shop.objects.approved().order_by("-is_verified", "name")[:6]
    return results


def first_photo(cards) -> str:
    """The path of the first card's photo, for the page's link preview ("" without one)."""
    # A card without a primary image has no `primary_image` at all (FilteredRelation).
    photos = (getattr(card, "primary_image", None) for card in cards)
    return next((photo.image.url for photo in photos if photo is not None), "")


@cached_for_visitors
def product_list(request):
    """Browse and search: filters, sorting and pages, all kept in the URL.

    The filters and the list part (the grid of cards, count, chips, pagination) are
    `{% cache %}` fragments of the catalog version, language and address: `facets` and
    `results` are lazy, so a warm page runs neither the card query nor the card renders.
    """
    query = CatalogQuery.from_querydict(request.GET)
    fragments = catalog_cache.fragment_context()
    facets = SimpleLazyObject(lambda: current_taxonomy_facets(fragments["catalog_version"]))
    context = {
        "query": query,
        "query_string": query.query_string(),
        "filter_state": urlencode(query.filter_params()),
        "canonical_query": query.canonical_query_string(request.GET.get("page")),
        "facets": facets,
        "results": SimpleLazyObject(lambda: _results(request, query, facets)),
        "chips": SimpleLazyObject(lambda: filter_chips(query, facets)),
        "sorts": sort_choices(query),
        "availability_choices": list(AVAILABILITY.items()),
        "districts": District.choices,
        "per_page_choices": [(size, size) for size in PER_PAGE_CHOICES],
        "selected": {param: set(slugs) for param, slugs in query.taxa.items()},
        **fragments,
        **stock_keys(query, fragments),
    }
    return TemplateResponse(request, "catalog/product_list.html", context)


def stock_keys(query: CatalogQuery, fragments: dict) -> dict:
    """A list of what is in stock changes with every order, not with the catalog version: its
    page and list fragment are kept under the stock version as well."""
    follows_stock = query.availability == "in-stock"
    return {
        FOLLOWS_STOCK: follows_stock,
        "list_stock_version": fragments["stock_version"] if follows_stock else "",
    }


def filter_chips(query: CatalogQuery, facets: Facets) -> list[dict]:
    """One removable chip per active filter, each linking to the URL without it."""

    def chip(label, param: str, value: str) -> dict:
        return {"label": label, "url": "?" + query.query_string(without=(param, value))}

    chips = []
    if query.q:
        chips.append(chip(f"“{query.q}”", "q", query.q))
    for param, kind in TAXON_FILTERS.items():
        chips += [chip(facets.name(kind, slug), param, slug) for slug in query.taxa.get(param, [])]
    districts = dict(District.choices)
    chips += [chip(districts[district], "district", district) for district in query.districts]
    if query.price_min is not None:
        label = _("from %(price)s") % {"price": format_rupiah(query.price_min)}
        chips.append(chip(label, "price_min", str(query.price_min)))
    if query.price_max is not None:
        label = _("up to %(price)s") % {"price": format_rupiah(query.price_max)}
        chips.append(chip(label, "price_max", str(query.price_max)))
    if query.availability:
        chips.append(
            chip(str(AVAILABILITY[query.availability]), "availability", query.availability)
        )
    if query.verified:
        chips.append(chip(_("Verified makers"), "verified", "1"))
    return chips
