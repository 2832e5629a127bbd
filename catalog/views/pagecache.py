"""Whole catalog pages kept for signed-out visitors, with each visitor's own few bits put in.

A page's HTML is the same for every signed-out visitor, with or without a session (a cart):
it is rendered once per catalog version, language and address with placeholders where the
visitor's CSRF token and cart count go, and each response gets its own values put in. Why
substitution rather than a per-visitor endpoint fetched by script: the add-to-cart form and
the cart badge must work without JavaScript, and the values cost one string replace.

Visitors with a message waiting (e.g. "Added to cart") and signed-in buyers get the page
rendered for them; its `{% cache %}` fragments (a list's whole grid of cards, filters, the
product page's parts) still come from the cache. Those pages get the CSRF placeholder too, so
that no fragment ever holds one visitor's token; and each card's heart is a placeholder
that becomes the buyer's own saved or unsaved button (see catalog/hearts.py).
"""

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
from ..hearts import with_hearts

CSRF_PLACEHOLDER = "__visitor-csrf-token__"
CART_COUNT_PLACEHOLDER = "__visitor-cart-count__"


def _has_messages(request) -> bool:
    # A cookie emptied when its messages were shown is no message (some clients still send it).
    if request.COOKIES.get(CookieStorage.cookie_name):
        return True
    session = getattr(request, "session", None)
    return session is not None and SessionStorage.session_key in session


def _is_cacheable(request) -> bool:
    return (
        catalog_cache.is_enabled()
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not _has_messages(request)
    )


def _with_csrf_token(request, content: bytes) -> bytes:
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder not in content:
        return content
    return content.replace(placeholder, get_token(request).encode())


def _with_visitor_bits(request, content: bytes) -> bytes:
    """The visitor's CSRF token and cart count in place of their placeholders."""
    # One small render: the context processors give the cart count as on any page.
    cart_count = render_to_string("includes/_cart_count.txt", request=request).strip()
    content = content.replace(CART_COUNT_PLACEHOLDER.encode(), cart_count.encode())
    return _with_csrf_token(request, content)


def _rendered_for(request, response):
    """A page rendered for this visitor alone, its fragments free of their CSRF token and
    of anybody's hearts."""
    if isinstance(response, TemplateResponse):
        response.context_data["csrf_token"] = CSRF_PLACEHOLDER
        response.render()
        response.content = _with_csrf_token(request, with_hearts(request, response.content))
    return response


def cached_for_visitors(view):
    """Serve a catalog view's page from the cache to signed-out visitors (see module doc).

    The view returns a TemplateResponse; the header X-Catalog-Cache says "hit" or "miss".
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_cacheable(request):
            return _rendered_for(request, view(request, *args, **kwargs))
        key = catalog_cache.page_key(request.get_full_path(), get_language())
        version, stored = catalog_cache.catalog_version_with(key)
        if stored is not None and stored[0] == version:
            response = HttpResponse(stored[1], content_type=stored[2])
            response["X-Catalog-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if not isinstance(response, TemplateResponse):
                return response
            response.context_data.update(
                csrf_token=CSRF_PLACEHOLDER, cart_count=CART_COUNT_PLACEHOLDER
            )
            response.render()
            if response.status_code == 200:
                cache.set(
                    key,
                    (version, response.content, response["Content-Type"]),
                    catalog_cache.CACHE_SECONDS,
                )
            response["X-Catalog-Cache"] = "miss"
        response.content = _with_visitor_bits(request, response.content)
        return response

    return wrapper
