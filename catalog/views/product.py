"""A product page: gallery, options with stock, the maker, related work, share and SEO."""

import json

from django.db.models import F, Q, Value
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.phone import whatsapp_link
from core.translated import pick

from .. import cache as catalog_cache
from ..models import Colour, Motif, Product, ProductOption
from .pagecache import FOLLOWS_STOCK, NOT_SHARED, cached_for_visitors

RELATED_CARDS = 8
# Related work by motif is looked for among this many of the newest listings with the motif:
# read off the motif's rows newest first, instead of every product of a common motif.
RELATED_CANDIDATES = 64


def _json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json">, safe against </script> in the text."""
    text = json.dumps(data, ensure_ascii=False)
    # Every <, > and & is written as a JSON unicode escape, so the text cannot close the script.
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
        "name": product.local_title,
        "description": product.local_description[:500],
        "sku": str(product.pk),
        "url": url,
        "image": [absolute_url(image.image.url) for image in images],
        "brand": {"@type": "Brand", "name": product.shop.name},
        "offers": offer,
    }
    if product.fabric:
        data["material"] = product.fabric.local_name
    return _json_ld({key: value for key, value in data.items() if value})


# The columns of `_options_and_taxonomy()`'s rows; each kind fills in the columns it lacks.
_ROW_COLUMNS = (
    "kind", "pk", "name", "name_en", "slug", "colour_hex", "price_delta", "stock", "position"
)  # fmt: skip


def _options_and_taxonomy(product: Product) -> tuple[list, list[dict], list[dict]]:
    """The product's options, motifs and colours, in ONE query (a UNION ALL of values rows)."""
    options = ProductOption.objects.filter(product=product).annotate(
        kind=Value("option"), name_en=Value(""), slug=Value(""), colour_hex=Value("")
    )
    no_price = {"price_delta": Value(0), "stock": Value(0)}
    motifs = Motif.objects.filter(products=product).annotate(
        kind=Value("motif"), colour_hex=Value(""), **no_price
    )
    colours = Colour.objects.filter(products=product).annotate(
        kind=Value("colour"), colour_hex=F("hex"), **no_price
    )
    rows = (
        options.order_by()
        .values_list(*_ROW_COLUMNS)
        .union(
            motifs.order_by().values_list(*_ROW_COLUMNS),
            colours.order_by().values_list(*_ROW_COLUMNS),
            all=True,
        )
        .order_by("kind", "position", "pk")
    )
    options, motifs, colours = [], [], []
    for kind, pk, name, name_en, slug, colour_hex, price_delta, stock, position in rows:
        if kind == "option":
            options.append(
                ProductOption(
                    pk=pk,
                    product=product,
                    name=name,
                    price_delta=price_delta,
                    stock=stock,
                    position=position,
                )
            )
        elif kind == "motif":
            motifs.append({"slug": slug, "name": pick({"name": name, "name_en": name_en}, "name")})
        else:
            name = pick({"name": name, "name_en": name_en}, "name")
            colours.append({"slug": slug, "name": name, "hex": colour_hex})
    return options, motifs, colours


def related_products(product: Product, user):
    """The newest public work of the same shop or with one of the same motifs (lazy)."""
    motifs = Product.motifs.through.objects.filter(product_id=product.pk).values("motif_id")
    same_motif = (
        Product.motifs.through.objects.filter(motif_id__in=motifs)
        .order_by("-product_id")
        .values("product_id")[:RELATED_CANDIDATES]
    )
    return (
        Product.objects.published()
        .filter(Q(shop_id=product.shop_id) | Q(pk__in=same_motif))
        .exclude(pk=product.pk)
        .with_card_data()[:RELATED_CARDS]
    )


def _details(request, product: Product) -> dict:
    """What the page's cached fragments show: gallery, options and prices, taxonomy, SEO."""
    shop = product.shop
    options, motifs, colours = _options_and_taxonomy(product)
    images = list(product.images.all())
    url = absolute_url(product.get_absolute_url())
    message = _("Hello %(shop)s, I am interested in “%(product)s”: %(url)s") % {
        "shop": shop.name,
        "product": product.local_title,
        "url": url,
    }
    prices = sorted({option.price for option in options}) or [product.price]
    in_stock = [option for option in options if option.stock > 0]
    return {
        "images": images,
        "primary_image": images[0] if images else None,
        "options": options,
        "single_option": options[0] if len(options) == 1 and not options[0].name else None,
        "motifs": motifs,
        "colours": colours,
        "whatsapp_url": whatsapp_link(shop.whatsapp, message) if shop.whatsapp else "",
        "share_text": f"{product.local_title} – {url}",
        "absolute_url": url,
        "og_image": absolute_url(images[0].image.url) if images else "",
        "json_ld": _product_json_ld(request, product, images, options, url),
        "min_price": prices[0],
        "max_price": prices[-1],
        "can_order": shop.accepts_orders
        and product.status == Product.Status.ACTIVE
        and not product.is_hidden
        and (product.is_made_to_order or bool(in_stock)),
        "is_sold_out": not product.is_made_to_order and not in_stock,
        "max_stock": max((option.stock for option in options), default=0),
    }


# The shop comes with its own commission rate, if the cooperative set one (ledger's one-to-one
# `commission`): the maker's share on the page costs no query of its own.
PRODUCT_RELATED = ("shop__commission", "technique", "fabric", "product_type")


def _product_for(user, slug: str) -> Product:
    """The public product of this address, or one of the user's shops' own for a preview.

    The public lookup first: it is the page almost every reader asks for, and its query is a
    quarter of the cost of `visible_to()`'s (two membership subqueries to build and plan).
    """
    try:
        return Product.objects.published().select_related(*PRODUCT_RELATED).get(slug=slug)
    except Product.DoesNotExist:
        if not user.is_authenticated:
            raise Http404 from None
    return get_object_or_404(
        Product.objects.visible_to(user).select_related(*PRODUCT_RELATED), slug=slug
    )


@cached_for_visitors
def product_detail(request, slug: str):
    """A product page: gallery, options with stock, the maker, related work, share and SEO."""
    product = _product_for(request.user, slug)
    shop = product.shop
    is_preview = product.status != Product.Status.ACTIVE or not shop.is_public or product.is_hidden
    context = {
        "product": product,
        "shop": shop,
        "is_preview": is_preview,
        # A member's preview of a listing that is not public is theirs alone.
        NOT_SHARED: is_preview,
        # Its options say how many pieces are left.
        FOLLOWS_STOCK: True,
        # Read only when a `{% cache %}` fragment of the page is missing.
        "details": SimpleLazyObject(lambda: _details(request, product)),
        # Built and read only when the page's shared fragment is missing.
        "related": SimpleLazyObject(lambda: list(related_products(product, request.user))),
        **catalog_cache.fragment_context(),
    }
    return TemplateResponse(request, "catalog/product_detail.html", context)
