"""The public catalog: home, browse and search, product pages and the buyer's wishlist."""

import hashlib
import json
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value, prefetch_related_objects
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.context import make_context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artisans.models import ShopFollow
from core.phone import whatsapp_link

from . import selectors
from .cache import CATALOG_VERSION_KEY, catalog_version, catalog_version_with
from .models import (
    CARD_IMAGE_FIELDS,
    Collection,
    Colour,
    Favourite,
    Motif,
    Product,
    ProductImage,
    ProductOption,
)
from .services import toggle_favourite

# Cached page parts live this long at most; any listing edit makes them stale at once anyway.
PAGE_CACHE_SECONDS = 600
# Stands in for the CSRF token inside cached HTML; each visitor gets their own token on the way out.
CSRF_PLACEHOLDER = "__catalog-csrf-token__"
CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
PAGE_PARTS = ("title", "description", "head", "content", "scripts")
# Products shown per curated collection on the home page; the collection page shows them all.
HOME_COLLECTION_CARDS = 4


def _page_cache_key(request, version: int) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"catalog:page:{version}:{get_language()}:{digest}"


def _response_cache_key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"catalog:response:{get_language()}:{digest}"


def _is_first_visit(request) -> bool:
    """No session and no pending messages: the whole page, header included, is the same for all.

    Such a visitor has an empty cart, no messages and is signed out, and checking costs no query.
    """
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _with_csrf_token(request, content: bytes) -> bytes:
    if CSRF_PLACEHOLDER_BYTES in content:
        return content.replace(CSRF_PLACEHOLDER_BYTES, get_token(request).encode())
    return content


def _render_parts(request, template_name: str, context: dict) -> dict[str, str]:
    """Every part (template partial) of the page, rendered with ONE context.

    Rendering each part with render_to_string() would run every context processor once per
    part; here they run once for them all.
    """
    template = get_template(template_name)
    partials = template.template.extra_data["partials"]
    request_context = make_context(context, request, autoescape=template.backend.engine.autoescape)
    with request_context.bind_template(template.template):
        return {name: str(partials[name].render(request_context)) for name in PAGE_PARTS}


def render_catalog_page(
    request, template_name: str, build_context: Callable[[], dict], *, status: int = 200
) -> HttpResponse:
    """Render a page whose parts (template partials) are cached for anonymous visitors.

    Two levels, both under the catalog version that `catalog.cache.bump_catalog_version()`
    moves on every listing edit, per full URL and language:
    - a first-time visitor (no session, no messages) gets the whole response from ONE cache read
      (the version and the page together), with their own CSRF token put in;
    - other signed-out visitors get the page's parts from the cache, and the header, messages
      and cart count rendered fresh by catalog/page.html.
    """
    use_cache = (
        settings.CATALOG_PAGE_CACHE
        and request.method == "GET"
        and not request.user.is_authenticated
    )
    whole = use_cache and _is_first_visit(request)
    version = None
    if whole:
        response_key = _response_cache_key(request)
        found = cache.get_many([CATALOG_VERSION_KEY, response_key])
        version, stored = found.get(CATALOG_VERSION_KEY), found.get(response_key)
        if version is not None and stored is not None and stored[0] == version:
            _version, content, content_type = stored
            response = HttpResponse(_with_csrf_token(request, content), content_type=content_type)
            response["X-Catalog-Cache"] = "hit"
            return response
    if use_cache and version is None:
        version = catalog_version()
    key = _page_cache_key(request, version) if use_cache else ""
    parts = cache.get(key) if use_cache else None
    state = "hit"
    if parts is None:
        state = "miss"
        context = build_context()
        if use_cache:
            context["csrf_token"] = CSRF_PLACEHOLDER
        parts = _render_parts(request, template_name, context)
        if use_cache:
            cache.set(key, parts, PAGE_CACHE_SECONDS)
    page_context = {"parts": {name: mark_safe(part) for name, part in parts.items()}}  # noqa: S308
    if whole:
        # The header's forms get the placeholder too, so the stored page holds no one's token.
        page_context["csrf_token"] = CSRF_PLACEHOLDER
    response = render(request, "catalog/page.html", page_context, status=status)
    if whole and status == 200:
        cache.set(
            response_key,
            (version, response.content, response["Content-Type"]),
            PAGE_CACHE_SECONDS,
        )
    if use_cache:
        response.content = _with_csrf_token(request, response.content)
        response["X-Catalog-Cache"] = state
    return response


def _attach_primary_images(products) -> None:
    """One query for the primary image of every product in these lists."""
    if not products:
        return
    prefetch_related_objects(
        products,
        Prefetch(
            "images",
            queryset=ProductImage.objects.filter(is_primary=True).only(*CARD_IMAGE_FIELDS),
            to_attr="primary_images",
        ),
    )


def home(request):
    """Hero, featured work, new arrivals, motifs with their stories, makers by district."""

    def build() -> dict:
        published = Product.objects.published().card_fields()
        featured = list(published.filter(is_featured=True)[:8])
        new_arrivals = list(published[:12])
        following = []
        if request.user.is_authenticated:
            followed = ShopFollow.objects.filter(user=request.user, shop=OuterRef("shop_id"))
            following = list(published.filter(Exists(followed))[:8])
        collections = selectors.collections_with_products(per_collection=HOME_COLLECTION_CARDS)
        cards = [product for collection in collections for product in collection.cards]
        _attach_primary_images([*featured, *new_arrivals, *following, *cards])
        return {
            "collections": collections,
            "featured": featured,
            "new_arrivals": new_arrivals,
            "following": following,
            "motifs": Motif.objects.all(),
            "makers": selectors.makers_by_district(),
        }

    return render_catalog_page(request, "catalog/home.html", build)


def collection_detail(request, slug: str):
    """A collection curated by the cooperative, its batik in the curated order."""

    def build() -> dict:
        collection = get_object_or_404(Collection.objects.published(), slug=slug)
        found = selectors.collections_with_products(collection=collection)
        products = found[0].cards if found else []
        _attach_primary_images(products)
        return {"collection": collection, "products": products}

    return render_catalog_page(request, "catalog/collection_detail.html", build)


def product_list(request):
    """Browse and search: filters, sorting and pages, all kept in the URL."""

    def build() -> dict:
        query = selectors.CatalogQuery.from_querydict(request.GET)
        # The version (for the taxonomy and the count) and the stored count, in one read.
        version, stored_count = catalog_version_with(selectors.browse_count_key(query))
        facets = selectors.current_taxonomy_facets(version)
        page, result = selectors.catalog_page(
            query,
            request.GET.get("page"),
            user=request.user,
            version=version,
            stored_count=stored_count,
        )
        chips = _filter_chips(query, facets)
        context = {
            "query": query,
            "facets": facets,
            "page": page,
            "is_fuzzy": result.is_fuzzy,
            "chips": chips,
            "query_string": query.query_string(),
            # Relevance is a choice only when there is something to be relevant to.
            "sorts": [
                (value, label)
                for value, label in selectors.SORTS.items()
                if value != "relevance" or query.q
            ],
            "availability_choices": selectors.AVAILABILITY,
            "districts": selectors.District.choices,
            "per_page_choices": [(size, size) for size in selectors.PER_PAGE_CHOICES],
            "search_cap": selectors.SEARCH_CANDIDATES,
            "selected": {param: set(slugs) for param, slugs in query.taxa.items()},
        }
        if not page.object_list:
            context["suggested_motifs"] = facets.by_kind["motif"][:8]
            context["suggested_makers"] = selectors.Shop.objects.approved().order_by(
                "-is_verified", "name"
            )[:6]
        return context

    return render_catalog_page(request, "catalog/product_list.html", build)


def _filter_chips(query: selectors.CatalogQuery, facets: selectors.Facets) -> list[dict]:
    """One removable chip per active filter, each linking to the URL without it."""
    chips = []
    if query.q:
        chips.append(
            {"label": f"“{query.q}”", "url": "?" + query.query_string(without=("q", query.q))}
        )
    for param, kind in selectors.TAXON_FILTERS.items():
        for slug in query.taxa.get(param, []):
            chips.append(
                {
                    "label": facets.name(kind, slug),
                    "url": "?" + query.query_string(without=(param, slug)),
                }
            )
    districts = dict(selectors.District.choices)
    for district in query.districts:
        chips.append(
            {
                "label": districts[district],
                "url": "?" + query.query_string(without=("district", district)),
            }
        )
    from core.templatetags.money import format_rupiah

    if query.price_min is not None:
        chips.append(
            {
                "label": _("from %(price)s") % {"price": format_rupiah(query.price_min)},
                "url": "?" + query.query_string(without=("price_min", str(query.price_min))),
            }
        )
    if query.price_max is not None:
        chips.append(
            {
                "label": _("up to %(price)s") % {"price": format_rupiah(query.price_max)},
                "url": "?" + query.query_string(without=("price_max", str(query.price_max))),
            }
        )
    if query.availability:
        chips.append(
            {
                "label": str(selectors.AVAILABILITY[query.availability]),
                "url": "?" + query.query_string(without=("availability", query.availability)),
            }
        )
    if query.verified:
        chips.append(
            {
                "label": _("Verified makers"),
                "url": "?" + query.query_string(without=("verified", "1")),
            }
        )
    return chips


def _json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json">, safe against </script> in the text."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(  # noqa: S308
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )


def _product_json_ld(request, product: Product, images, options, url: str) -> str:
    if product.is_made_to_order:
        availability = "https://schema.org/MadeToOrder"
    elif any(option.stock > 0 for option in options):
        availability = "https://schema.org/InStock"
    else:
        availability = "https://schema.org/OutOfStock"
    prices = [option.price for option in options] or [product.price]
    offer = {
        "@type": "AggregateOffer" if len(set(prices)) > 1 else "Offer",
        "priceCurrency": "IDR",
        "availability": availability,
        "url": url,
        "seller": {"@type": "Organization", "name": product.shop.name},
    }
    if offer["@type"] == "AggregateOffer":
        offer.update(lowPrice=min(prices), highPrice=max(prices), offerCount=len(prices))
    else:
        offer["price"] = prices[0]
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": product.description[:500],
        "sku": str(product.pk),
        "url": url,
        "image": [request.build_absolute_uri(image.image.url) for image in images],
        "brand": {"@type": "Brand", "name": product.shop.name},
        "offers": offer,
    }
    if product.fabric:
        data["material"] = product.fabric.name
    return _json_ld({key: value for key, value in data.items() if value})


def product_detail(request, slug: str):
    """A product page: gallery, options with stock, the maker, related work, share and SEO."""

    def build() -> dict:
        product = get_object_or_404(
            Product.objects.visible_to(request.user)
            .with_favourite_flag(request.user)
            .select_related("shop", "technique", "fabric", "product_type"),
            slug=slug,
        )
        is_preview = (
            product.status != Product.Status.ACTIVE
            or not product.shop.is_public
            or product.is_hidden
        )
        options = list(ProductOption.objects.filter(product=product))
        for option in options:
            option.product = product
        images = list(product.images.all())
        taxa = list(
            Motif.objects.filter(products=product)
            .order_by()
            .values_list("slug", "name")
            .annotate(kind=Value("motif"), colour_hex=Value(""))
            .union(
                Colour.objects.filter(products=product)
                .order_by()
                .values_list("slug", "name")
                .annotate(kind=Value("colour"), colour_hex=F("hex")),
                all=True,
            )
            .order_by()
        )
        motifs = [{"slug": s, "name": n} for s, n, kind, _hex in taxa if kind == "motif"]
        colours = [{"slug": s, "name": n, "hex": h} for s, n, kind, h in taxa if kind == "colour"]
        same_motif = Product.motifs.through.objects.filter(
            product=OuterRef("pk"), motif__slug__in=[m["slug"] for m in motifs]
        )
        related = list(
            Product.objects.published()
            .filter(Q(shop_id=product.shop_id) | Q(Exists(same_motif)))
            .exclude(pk=product.pk)
            .card_fields()
            .with_favourite_flag(request.user)[:8]
        )
        _attach_primary_images(related)
        url = request.build_absolute_uri(product.get_absolute_url())
        shop = product.shop
        message = _("Hello %(shop)s, I am interested in “%(product)s”: %(url)s") % {
            "shop": shop.name,
            "product": product.title,
            "url": url,
        }
        prices = sorted({option.price for option in options}) or [product.price]
        in_stock = [option for option in options if option.stock > 0]
        return {
            "product": product,
            "is_preview": is_preview,
            "images": images,
            "primary_image": images[0] if images else None,
            "options": options,
            "single_option": options[0] if len(options) == 1 and not options[0].name else None,
            "motifs": motifs,
            "colours": colours,
            "related": related,
            "shop": shop,
            "whatsapp_url": whatsapp_link(shop.whatsapp, message) if shop.whatsapp else "",
            "share_text": f"{product.title} – {url}",
            "absolute_url": url,
            "og_image": request.build_absolute_uri(images[0].image.url) if images else "",
            "json_ld": _product_json_ld(request, product, images, options, url),
            "min_price": prices[0],
            "max_price": prices[-1],
            "can_order": shop.accepts_orders
            and product.status == Product.Status.ACTIVE
            and not product.is_hidden
            and (product.is_made_to_order or bool(in_stock)),
            "is_sold_out": not product.is_made_to_order and not in_stock,
            "default_option": in_stock[0] if in_stock else (options[0] if options else None),
            "max_stock": max((option.stock for option in options), default=0),
        }

    return render_catalog_page(request, "catalog/product_detail.html", build)


@require_POST
def favourite_toggle(request, pk: int):
    """Save or unsave a product (works without JavaScript: posts, then goes back)."""
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?{urlencode({'next': request.POST.get('next', '')})}"
        )
    product = get_object_or_404(Product.objects.published(), pk=pk)
    saved = toggle_favourite(user=request.user, product=product)
    if saved:
        messages.success(request, _("Saved to your favourites."))
    else:
        messages.info(request, _("Removed from your favourites."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = product.get_absolute_url()
    return redirect(next_url)


@login_required
def favourite_list(request):
    """The buyer's wishlist: saved batik still on sale, most recently saved first."""
    favourites = (
        Favourite.objects.filter(user=request.user, product__in=Product.objects.published())
        .select_related("product__shop")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(favourites, 48).get_page(request.GET.get("page"))
    products = [favourite.product for favourite in page.object_list]
    for product in products:
        product.is_favourite = True
    _attach_primary_images(products)
    return render(request, "catalog/favourite_list.html", {"page": page, "products": products})


def bench_bare(request):
    """The benchmark's yardstick: a Django view that does nothing (only with BENCH_BARE_VIEW=1)."""
    return HttpResponse(b"ok", content_type="text/plain")
