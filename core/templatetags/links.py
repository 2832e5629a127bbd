"""Links: `{% page_url "shop-profile" %}`, the path of a page a higher app owns (see core.links);
`{{ url|absolute }}`, an address at the site's public address; `{% canonical_url %}`, the page's
canonical address."""

from django import template

from core import links

register = template.Library()


@register.simple_tag
def page_url(page: str, *args) -> str:
    return links.url(page, *args)


@register.filter
def absolute(url: str) -> str:
    """`url` at the site's public address (core.links.absolute_url)."""
    return links.absolute_url(url)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's canonical address: its path under SITE_URL, with only the query the view
    calls meaningful (`canonical_query`, e.g. a catalog's filters and page); tracking
    parameters and any other query are left out."""
    request = context.get("request")
    if request is None:
        return ""
    query = context.get("canonical_query") or ""
    return links.absolute_url(request.path) + (f"?{query}" if query else "")
