"""Whole catalog pages kept for every reader, with each reader's own few bits put in.

A catalog page's HTML is the same for every reader, signed out (with or without a cart) or
signed in: it is rendered once per catalog version, language and address with placeholders
where the reader's own bits go, and each response gets its own put in: the CSRF token, the
cart count, the header's notices and account menu, the hearts on cards (catalog/hearts.py)
and a shop's follow button. Why substitution rather than a per-reader endpoint fetched by
script: the add-to-cart form, the hearts and the cart badge must work without JavaScript, and
the bits cost a few small renders.

A signed-out reader's bits depend only on the address and language (links to log in; their
cart count and CSRF token stay placeholders), so the page with those bits in is kept too, and
such a reader's response costs one cache read (their session comes in the same one,
core/sessions.py) and two replacements.

A page that shows stock (a product page, a list of what is in stock) sets FOLLOWS_STOCK on its
context and is kept under the stock version as well (catalog/cache.py).

Readers with a message waiting (e.g. "Added to cart"), a member previewing their own shop or
listing, and pages a view marks as the reader's own (`shared_with_signed_in=False`: the home
page's work of followed shops; the wishlist, `rendered_for_reader`) get the page rendered for
them, with the same placeholders filled the same way; its `{% cache %}` fragments still come
from the cache.
"""

import re
from dataclasses import dataclass, replace
from functools import wraps

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from .. import cache as catalog_cache
from ..hearts import PRODUCT_PK_SLOT, fill_hearts, product_ids_with_hearts
from ..readers import cart_count_of, ids_of

CSRF_PLACEHOLDER = "__visitor-csrf-token__"
CART_COUNT_PLACEHOLDER = "__visitor-cart-count__"
# The header's own parts (templates/includes/_visitor_header.html) and a shop's follow button.
HEADER_NOTICES_PLACEHOLDER = b"<!--visitor-header-notices-->"
HEADER_ACCOUNT_PLACEHOLDER = b"<!--visitor-header-account-->"
# `<!--visitor-shop-actions-<pk>-<1 if public else 0>-<slug>-->`: all the button needs.
SHOP_ACTIONS_PLACEHOLDER = re.compile(rb"<!--visitor-shop-actions-(\d+)-([01])-([-\w]+)-->")
# The parts of includes/_visitor_bits.html, in its order.
VISITOR_BITS = (
    "notices",
    "account",
    "cart_count",
    (b"heart", True),
    (b"heart", False),
    (b"button", True),
    (b"button", False),
    "shop_actions",
)
VISITOR_BIT_SEPARATOR = b"<!--visitor-bit-->"
# Set on a page's context when it may not be kept for other readers: a member's preview.
NOT_SHARED = "page_is_not_shared"
# Set on a page's context when it shows stock: kept under the stock version as well.
FOLLOWS_STOCK = "page_follows_stock"


def _has_messages(request) -> bool:
    # A cookie emptied when its messages were shown is no message (some clients still send it).
    if request.COOKIES.get(CookieStorage.cookie_name):
        return True
    session = getattr(request, "session", None)
    return session is not None and SessionStorage.session_key in session


def _may_be_kept(request) -> bool:
    """Whether the page may come from the cache, as far as can be told without the session."""
    return catalog_cache.is_enabled() and request.method in ("GET", "HEAD")


def _may_use_shared_page(request, shared_with_signed_in: bool) -> bool:
    return (shared_with_signed_in or not request.user.is_authenticated) and not _has_messages(
        request
    )


def _shop_of_page(user, content: bytes) -> dict | None:
    """What the shop page's follow / edit button needs (None on other pages)."""
    found = SHOP_ACTIONS_PLACEHOLDER.search(content)
    if not found:
        return None
    among = {int(found[1])}
    return {
        "slug": found[3].decode(),
        "is_public": found[2] == b"1",
        "is_following": bool(ids_of(user, "followed_shop_ids", among)),
        "is_member": bool(ids_of(user, "member_shop_ids", among)),
    }


def _with_visitor_bits(request, content: bytes, *, keep_counts: bool = False) -> bytes:
    """The reader's own bits in place of their placeholders (see the module doc); with
    `keep_counts`, the cart count and CSRF token are left as placeholders.

    They are rendered in one go (the context processors run once), then cut apart.
    """
    shop = _shop_of_page(request.user, content)
    context = {"product_pk_slot": PRODUCT_PK_SLOT, "shop": shop}
    if keep_counts:  # what the bits may hold of the reader's own stays a placeholder
        context.update(csrf_token=CSRF_PLACEHOLDER, cart_count=CART_COUNT_PLACEHOLDER)
    rendered = render_to_string("includes/_visitor_bits.html", context, request=request)
    bits = dict(zip(VISITOR_BITS, rendered.encode().split(VISITOR_BIT_SEPARATOR), strict=True))
    bits = {name: html.strip() for name, html in bits.items()}
    content = content.replace(HEADER_NOTICES_PLACEHOLDER, bits["notices"], 1)
    content = content.replace(HEADER_ACCOUNT_PLACEHOLDER, bits["account"], 1)
    if not keep_counts:
        content = content.replace(CART_COUNT_PLACEHOLDER.encode(), bits["cart_count"])
    if shop is not None:
        content = SHOP_ACTIONS_PLACEHOLDER.sub(lambda _match: bits["shop_actions"], content, 1)
    wanted = product_ids_with_hearts(content)
    if wanted:
        saved = ids_of(request.user, "favourite_product_ids", wanted)
        buttons = {name: html for name, html in bits.items() if isinstance(name, tuple)}
        content = fill_hearts(content, saved=saved, buttons=buttons)
    return content if keep_counts else _with_csrf_token(request, content)


def _with_csrf_token(request, content: bytes) -> bytes:
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder in content:
        content = content.replace(placeholder, get_token(request).encode())
    return content


def _with_counts(request, content: bytes) -> bytes:
    """A signed-out reader's cart count and CSRF token put into their kept page."""
    count = cart_count_of(request)
    content = content.replace(CART_COUNT_PLACEHOLDER.encode(), str(count).encode())
    return _with_csrf_token(request, content)


def _render_shared(response: TemplateResponse) -> None:
    """Render the page as every reader gets it: their own bits left as placeholders."""
    response.context_data.update(
        csrf_token=CSRF_PLACEHOLDER, cart_count=CART_COUNT_PLACEHOLDER, visitor_placeholders=True
    )
    response.render()


@dataclass(frozen=True)
class KeptPage:
    """A page as kept in the cache, with the versions it was rendered at."""

    catalog_version: int
    stock_version: int | None  # None: the page shows no stock
    content: bytes
    content_type: str

    def is_current(self, versions: catalog_cache.Versions) -> bool:
        return self.catalog_version == versions.catalog and self.stock_version in (
            None,
            versions.stock,
        )

    def response(self, content: bytes, status: str) -> HttpResponse:
        response = HttpResponse(content, content_type=self.content_type)
        response["X-Catalog-Cache"] = status
        return response


def _for_this_reader(request, response):
    """A page that is not kept for others: rendered for this reader alone (bits filled the
    same way); anything but a TemplateResponse goes out as the view made it."""
    if isinstance(response, TemplateResponse):
        if not response.is_rendered:
            _render_shared(response)
        response.content = _with_visitor_bits(request, response.content)
        response["X-Catalog-Cache"] = "private"
    return response


def rendered_for_reader(view):
    """A page that is always the reader's own (the wishlist), its bits filled the way the kept
    pages' are, so that a card looks the same on every page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return _for_this_reader(request, view(request, *args, **kwargs))

    return wrapper


def _render_if_keepable(response, versions: catalog_cache.Versions) -> KeptPage | None:
    """The view's page rendered as every reader gets it, if it may be kept for others (with the
    versions read before the view ran: an edit meanwhile leaves it stale, never wrong)."""
    if not isinstance(response, TemplateResponse):
        return None
    _render_shared(response)
    if response.status_code != 200 or response.context_data.get(NOT_SHARED):
        return None
    follows_stock = response.context_data.get(FOLLOWS_STOCK)
    return KeptPage(
        catalog_version=versions.catalog,
        stock_version=versions.stock if follows_stock else None,
        content=response.content,
        content_type=response["Content-Type"],
    )


def cached_for_visitors(view=None, *, shared_with_signed_in: bool = True):
    """Serve a catalog view's page from the cache, each reader's own bits put in (module doc).

    The view returns a TemplateResponse; the header X-Catalog-Cache says "hit", "miss" or
    "private" (rendered for this reader alone).
    """
    if view is None:
        return lambda view: cached_for_visitors(view, shared_with_signed_in=shared_with_signed_in)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_be_kept(request):
            return _for_this_reader(request, view(request, *args, **kwargs))
        path, language = request.get_full_path(), get_language()
        key = catalog_cache.page_key(path, language)
        signed_out_key = catalog_cache.page_key(path, language, signed_out=True)
        # Most readers are signed out: their kept page, the versions and their session (are
        # they signed in, their cart) come in one cache round trip. A signed-in reader gets the
        # signed-out page too, unused: cheaper than a round trip more for everyone else.
        versions, entries = catalog_cache.versions_with(
            [signed_out_key], session=getattr(request, "session", None)
        )
        if not _may_use_shared_page(request, shared_with_signed_in):
            return _for_this_reader(request, view(request, *args, **kwargs))
        signed_in = request.user.is_authenticated
        kept = None if signed_in else entries.get(signed_out_key)
        if kept is not None and kept.is_current(versions):
            return kept.response(_with_counts(request, kept.content), "hit")
        stored = cache.get(key)  # a signed-in reader, or the first signed-out reader of a page
        status = "hit"
        if stored is None or not stored.is_current(versions):
            response = view(request, *args, **kwargs)
            stored = _render_if_keepable(response, versions)
            if stored is None:
                return _for_this_reader(request, response)
            cache.set(key, stored, catalog_cache.CACHE_SECONDS)
            status = "miss"
        if signed_in:
            return stored.response(_with_visitor_bits(request, stored.content), status)
        kept = replace(
            stored, content=_with_visitor_bits(request, stored.content, keep_counts=True)
        )
        cache.set(signed_out_key, kept, catalog_cache.CACHE_SECONDS)
        return kept.response(_with_counts(request, kept.content), status)

    return wrapper
