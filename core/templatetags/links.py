"""{% page_url "shop-profile" %}: the path of a page a higher app owns (see core.links)."""

from django import template

from core import links

register = template.Library()


@register.simple_tag
def page_url(page: str, *args) -> str:
    return links.url(page, *args)
