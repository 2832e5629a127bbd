"""Links from a lower app to a page that a higher app owns, named by what the page shows.

Apps depend one way (CONVENTIONS, "The shape of the house"), yet a notice written by orders or a
page of artisans links to the artisan's dashboard. The lower app names the page by what it shows
(`url("shop-order", suborder.pk)`); the app that owns the page says once, when Django starts
(its `AppConfig.ready`), which of its URL names that is. The lower app never names the higher one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri

_routes: dict[str, str] = {}


def provide(page: str, route: str) -> None:
    """Declare that `page` is served by the URL named `route` (e.g. "dashboard:home")."""
    _routes[page] = route


def url(page: str, *args) -> str:
    """The path of `page` with `args`, in the active language; NoReverseMatch if nobody serves it."""
    route = _routes.get(page)
    if route is None:
        raise NoReverseMatch(f"No installed app provides the page {page!r}.")
    return reverse(route, args=args)


def absolute_url(url: str) -> str:
    """`url` under SITE_URL, the site's public address, unless it names a host already (S3).

    SITE_URL and not the request's Host: signed-out pages are cached per path, and a shared
    link must name the public site whatever address the page was first asked for at.
    """
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme:
        return url
    if parts.netloc:  # //cdn.example/… takes the site's scheme
        return f"{urlsplit(settings.SITE_URL).scheme or 'https'}:{url}"
    return settings.SITE_URL + iri_to_uri(url)
