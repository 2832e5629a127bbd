"""A maker's public shop page: the story, contact, and the shop's batik with the catalog's filters.

It lives in the catalog (not in artisans) because it lists the shop's products: artisans sit
below the catalog and do not import it. The address stays `/toko/<slug>/`, named
`artisans:shop-detail` (see marketplace/urls.py).
"""

from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from artisans.models import Shop, ShopFollow
from core.phone import whatsapp_link

from .. import cache as catalog_cache
from ..browse import AVAILABILITY, CatalogQuery
from ..models import Product
from .browse import matching_products, sort_choices
from .pagecache import cached_for_visitors

PRODUCTS_PER_PAGE = 24


@cached_for_visitors
def shop_detail(request, slug: str):
    """A maker's public shop page; members also see it while it waits for review."""
    shop = get_object_or_404(Shop.objects.annotate(follower_count=Count("follows")), slug=slug)
    is_member = shop.has_member(request.user)
    if not shop.is_public and not is_member:
        raise Http404
    # Members previewing a shop under review see its active listings.
    products = (
        Product.objects.published()
        if shop.is_public
        else Product.objects.filter(status=Product.Status.ACTIVE)
    )
    query = CatalogQuery.from_querydict(request.GET)
    found, _is_fuzzy = matching_products(products.filter(shop=shop), query)
    page = Paginator(found.with_card_data(request.user), PRODUCTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shop_url = request.build_absolute_uri(shop.get_absolute_url())
    is_following = (
        request.user.is_authenticated
        and ShopFollow.objects.filter(user=request.user, shop=shop).exists()
    )
    context = {
        "shop": shop,
        "page": page,
        "query": query,
        "query_string": query.query_string(),
        "sorts": sort_choices(query),
        "availability_choices": list(AVAILABILITY.items()),
        "is_member": is_member,
        "is_following": is_following,
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
        **catalog_cache.fragment_context(),
    }
    return TemplateResponse(request, "catalog/shop_detail.html", context)
