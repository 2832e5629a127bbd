"""Stars, review lists and review JSON-LD for pages owned by other apps.

`{% stars value %}` draws a rating with Unicode stars and an aria-label such as "4.5 out of 5".
`{% product_reviews product %}` / `{% shop_reviews shop %}` render a page of visible reviews,
newest first, in one query: the denormalised `rating_count` is the paginator's count, and
nothing is queried at all when there are no reviews.
"""

import json

from django import template
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from core.stars import stars_html

from ..models import ProductReview, ShopReview

register = template.Library()

REVIEWS_PER_PAGE = 10
PAGE_PARAMETER = "ulasan"
JSON_LD_REVIEWS = 5


class _CountedPaginator(Paginator):
    """A paginator told its count (the visible reviews, kept on the product or shop)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@register.simple_tag
def stars(value, css_class: str = ""):
    """Five stars filled to `value` (1–5), read out by screen readers as "4.5 out of 5"."""
    return stars_html(value, css_class)


def _reviews_page(request, subject, queryset):
    """The requested page of the subject's visible reviews, memoised on the subject object."""
    number = request.GET.get(PAGE_PARAMETER) if request is not None else None
    cache = subject.__dict__.setdefault("_review_pages", {})
    if number not in cache:
        paginator = _CountedPaginator(
            queryset.visible().newest_first().select_related("buyer"),
            REVIEWS_PER_PAGE,
            count=subject.rating_count,
        )
        page = paginator.get_page(number)
        page.object_list = list(page.object_list)
        cache[number] = page
    return cache[number]


def _page_links(request, page) -> dict:
    links = {}
    for name, has, number in (
        ("previous_url", page.has_previous, lambda: page.previous_page_number()),
        ("next_url", page.has_next, lambda: page.next_page_number()),
    ):
        if has():
            query = request.GET.copy()
            query[PAGE_PARAMETER] = number()
            links[name] = f"?{query.urlencode()}#reviews"
    return links


def _list_context(context, subject, queryset) -> dict:
    request = context.get("request")
    result = {"subject": subject, "page": None, "request": request}
    if subject.rating_count:
        page = _reviews_page(request, subject, queryset)
        result.update(page=page, **_page_links(request, page))
    return result


@register.inclusion_tag("reviews/includes/_review_list.html", takes_context=True)
def product_reviews(context, product):
    return _list_context(context, product, ProductReview.objects.filter(product=product))


@register.inclusion_tag("reviews/includes/_review_list.html", takes_context=True)
def shop_reviews(context, shop):
    return _list_context(context, shop, ShopReview.objects.filter(shop=shop))


@register.simple_tag(takes_context=True)
def reviews_json_ld(context, json_ld, product):
    """The catalog's Product JSON-LD with `aggregateRating` and the reviews shown on the page."""
    if not product.rating_count:
        return json_ld
    data = json.loads(str(json_ld))
    data["aggregateRating"] = {
        "@type": "AggregateRating",
        "ratingValue": str(product.rating_average),
        "reviewCount": product.rating_count,
        "bestRating": 5,
        "worstRating": 1,
    }
    page = _reviews_page(
        context.get("request"), product, ProductReview.objects.filter(product=product)
    )
    data["review"] = [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": review.author_name},
            "datePublished": review.created_at.date().isoformat(),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": review.rating,
                "bestRating": 5,
                "worstRating": 1,
            },
            **({"reviewBody": review.text} if review.text else {}),
        }
        for review in page.object_list[:JSON_LD_REVIEWS]
    ]
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(  # noqa: S308
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
