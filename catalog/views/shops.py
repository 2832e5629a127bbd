"""A maker's public shop page: the story, contact, and the shop's batik with the catalog's filters.

It lives in the catalog (not in artisans) because it lists the shop's products: artisans sit
below the catalog and do not import it. The address stays `/toko/<slug>/`, named
`artisans:shop-detail` (see marketplace/urls.py).
"""

import dataclasses
from urllib.parse import quote

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from artisans.models import Shop, ShopMember
from core.links import absolute_url
from core.phone import whatsapp_link

from .. import cache as catalog_cache
from ..browse import AVAILABILITY, CatalogQuery, browse_page
from ..models import Product
from .browse import list_depth, matching_products, sort_choices, stock_keys
from .pagecache import NOT_SHARED, cached_for_visitors

PRODUCTS_PER_PAGE = 24


def _shop_for(user, slug: str) -> Shop:
    """The shop of this address, with its follower count; a shop under review only for its
    members (a preview)."""
    shop = get_object_or_404(Shop.objects.annotate(follower_count=Count("follows")), slug=slug)
    if not shop.is_public and not (
        user.is_authenticated and ShopMember.objects.filter(shop=shop, user=user).exists()
    ):
        raise Http404
    return shop


@cached_for_visitors
def shop_detail(request, slug: str):
    """A maker's public shop page; members also see it while it waits for review.

    The shop's story, motifs and reviews are `{% cache %}` fragments of the template: a warm
    page queries the shop and one page of its cards.
    """
    shop = _shop_for(request.user, slug)
    # Members previewing a shop under review see its active listings.
    products = (
        Product.objects.published()
        if shop.is_public
        else Product.objects.filter(status=Product.Status.ACTIVE)
    )
    query = CatalogQuery.from_querydict(request.GET)
    query.per_page = PRODUCTS_PER_PAGE

    def shop_results() -> dict:
        result = matching_products(products.filter(shop=shop), query)
        found, counted, ordered_ids = result.products, result.found, result.ordered_ids
        # A shop's own search shows what it has for the words typed, not other words' matches;
        # the corrected words are offered as a link.
        if result.is_fuzzy or result.is_corrected:
            found, counted, ordered_ids = found.none(), 0, None
        page = browse_page(
            found, query, request.GET.get("page"), depth=list_depth(query),
            found=counted, ordered_ids=ordered_ids,
        )  # fmt: skip
        corrected = dataclasses.replace(query, q=result.suggestion)
        suggestion = (
            {"q": result.suggestion, "url": "?" + corrected.query_string() + "#shop-products"}
            if result.suggestion
            else {}
        )
        return {"page": page, "suggestion": suggestion}

    results = SimpleLazyObject(shop_results)

    fragments = catalog_cache.fragment_context()
    shop_url = absolute_url(shop.get_absolute_url())
    context = {
        "shop": shop,
        # Read only when the list's `{% cache %}` fragment is missing.
        "page": SimpleLazyObject(lambda: results["page"]),
        "suggestion": SimpleLazyObject(lambda: results["suggestion"]),
        "query": query,
        "query_string": query.query_string(),
        "canonical_query": query.canonical_query_string(request.GET.get("page")),
        "sorts": sort_choices(query),
        "availability_choices": list(AVAILABILITY.items()),
        # A member's preview of a shop under review is theirs alone.
        NOT_SHARED: not shop.is_public,
        "motifs": shop.motifs.all(),
        "techniques": shop.techniques.all(),
        "whatsapp_url": whatsapp_link(
            shop.whatsapp,
            _(
                "Hello %(shop)s, I found your shop on Batik Kutai Timur and would like to ask about your batik."
            )
            % {"shop": shop.name},
        ),
        "share_url": shop_url,
        "share_whatsapp_url": "https://wa.me/?text=" + quote(f"{shop.name} – {shop_url}"),
        "share_facebook_url": "https://www.facebook.com/sharer/sharer.php?u=" + quote(shop_url),
        **fragments,
        **stock_keys(query, fragments),
    }
    return TemplateResponse(request, "catalog/shop_detail.html", context)
