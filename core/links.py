"""Links from a lower app to a page that a higher app owns, named by what the page shows.

Apps depend one way (CONVENTIONS, "The shape of the house"), yet a notice written by orders or a
page of artisans links to the artisan's dashboard. The lower app names the page by what it shows
(`url("shop-order", suborder.pk)`); the app that owns the page says once, when Django starts
(its `AppConfig.ready`), which of its URL names that is. The lower app never names the higher one.
"""

from django.urls import NoReverseMatch, reverse

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
