"""The bench's in-process measurements: Django's test client in the bench's own process.

The site configured as gunicorn runs it (production settings, the bench's database and Redis),
visitors made through the site's own forms, and pages timed on a cache miss; bench/catalog.py
and bench/growth.py both use it.
"""

import functools
import logging
import math
import sys
import time

import appcode
import harness

CLIENT_HEADERS = {
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_ACCEPT_LANGUAGE": "id",
    "HTTP_HOST": "127.0.0.1",
}


@functools.cache
def _browser():
    from django.test import Client

    return Client(**CLIENT_HEADERS)


def client(cookies: dict[str, str]):
    """The test client holding only `cookies`: the next visitor of a server that is running.

    One Client for the whole run, its cookies replaced each time: a new Client loads the
    middleware on its first request (WhiteNoise reads every static file then), which a
    server does once at start and a timed request should not.
    """
    from http.cookies import SimpleCookie

    browser = _browser()
    browser.cookies = SimpleCookie()
    for name, value in cookies.items():
        browser.cookies[name] = value
    return browser


def make_visitors(option_id: int, sessions: int) -> dict[str, list[dict[str, str]]]:
    """The cookies of each visitor kind, made through the site's own forms: `sessions` each.

    Real guests and buyers each have a session of their own; wrk gives each request the next one.
    """
    guests, buyers = [], []
    for number in range(sessions):
        guest = client({})
        response = guest.post(appcode.CART_ADD, appcode.cart_add_form(option_id), follow=True)
        if response.status_code != 200 or not guest.cookies.get("sessionid"):
            sys.exit(f"Adding to the cart as a guest failed ({response.status_code}).")
        guests.append({name: morsel.value for name, morsel in guest.cookies.items()})
        buyer = client({})
        buyer.get(appcode.LOGIN)
        response = buyer.post(appcode.LOGIN, appcode.login_form(number % appcode.BUYERS))
        if response.status_code != 302:
            sys.exit(f"A bench buyer could not log in at {appcode.LOGIN} ({response.status_code}).")
        buyer.post(appcode.CART_ADD, appcode.cart_add_form(option_id), follow=True)
        buyers.append({name: morsel.value for name, morsel in buyer.cookies.items()})
    return {"first-time": [{}], "session-cart": guests, "signed-in": buyers}


def start_django(database_url: str, redis_url: str) -> dict[str, str]:
    """Django set up in this process with the production settings gunicorn gets; the env."""
    harness.ensure_database(database_url)
    env = harness.production_env(database_url=database_url, redis_url=redis_url)
    harness.collect_static(env)
    harness.setup_django(env)
    # The request log lines (INFO, as in production) go to a file, not over the progress bars.
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream((harness.RESULTS / "in-process.log").open("a"))  # noqa: SIM115
    return env


def seeded_site(products: int, sessions: int) -> tuple[dict, list[str], dict]:
    """The catalog of `products` seeded (kept when already there), and (sample, vocabulary,
    visitors): the pages' sample addresses, the search words, each visitor kind's cookies."""
    appcode.migrate()
    appcode.refuse_foreign_data()
    appcode.seed_catalog(products)
    sample = appcode.sample()
    return sample, appcode.vocabulary(), make_visitors(sample["option_id"], sessions)


def growth_pages(sample: dict, vocab: list[str]) -> dict[str, list[str]]:
    """The pages timed in-process on a cache miss (the growth and search figures)."""
    last = max(1, math.ceil(sample["products"] / 24))
    return {
        "home": [appcode.HOME],
        "catalog": [appcode.CATALOG],
        "catalog-in-stock": [f"{appcode.CATALOG}?{appcode.IN_STOCK}"],
        "catalog-last-page": [appcode.catalog_page(last)],
        "search-selective": [appcode.search(word) for word in vocab[5:25]],
        "search-broad": [appcode.search(word) for word in ("batik", "kain", "tulis")],
        "product": [appcode.product(slug) for slug in sample["product_slugs"]],
        "shop": [appcode.shop(slug) for slug in sample["shop_slugs"]],
    }


def clear_caches() -> None:
    """Every cache of the site emptied (the shared one and this process's cards): a miss."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


def time_miss(cookies: dict[str, str], path: str) -> tuple[float, int]:
    """Milliseconds and status of one request for `path` on a cache miss, with `cookies`."""
    clear_caches()
    browser = client(cookies)
    started = time.perf_counter()
    status = browser.get(path).status_code
    return (time.perf_counter() - started) * 1000, status


def timing_summary(elapsed: list[float], errors: int) -> dict:
    return {
        "median_ms": round(harness.median(elapsed), 2),
        "p95_ms": round(harness.percentile(elapsed, 95), 2),
        "errors": errors,
    }


def page_times(visitors: dict, pages: dict[str, list[str]], requests: int) -> dict:
    """Median and p95 milliseconds of each page on a cache miss, in this process."""
    times: dict = {}
    steps, step = len(visitors) * len(pages), 0
    for kind, sessions in visitors.items():
        cookies = sessions[0]
        times[kind] = {}
        for page, paths in pages.items():
            harness.progress("Timing pages in-process", step, steps)
            client(cookies).get(paths[0])
            elapsed, errors = [], 0
            for i in range(requests):
                ms, status = time_miss(cookies, paths[i % len(paths)])
                elapsed.append(ms)
                errors += status != 200
            times[kind][page] = timing_summary(elapsed, errors)
            step += 1
    harness.progress("Timing pages in-process", steps, steps)
    return times


def search_times(vocab: list[str], requests: int) -> dict:
    """p95 of new searches, signed out: the search with its page of cards, as the view calls
    them (the figure the target is set on), and the whole page on a warm site.

    Selective: a different rare word each time (other words for the whole pages, so that none
    comes from the cache). Broad: common words, each time in another sort or page; the whole
    pages repeat those searches (none is cached, but the database has just read their rows).
    A search that finds nothing counts as an error: every bench word is in the catalog.
    """
    from django.core.cache import cache

    cache.clear()
    client({}).get(appcode.CATALOG)  # the site's shared parts cached, as on a live server
    broad = [
        (word, sort, page)
        for page in (1, 2)
        for sort in appcode.SEARCH_SORTS
        for word in ("batik", "kain", "tulis")
    ][:requests]
    selective = [(word, "", 1) for word in vocab[100:]]
    results = {}
    for label, searches, pages in (
        ("search-selective", selective[:requests], selective[requests : 2 * requests]),
        ("search-broad", broad, broad),
    ):
        elapsed, errors = [], 0
        for word, sort, page in searches:
            started = time.perf_counter()
            cards = appcode.search_with_first_page(word, sort=sort, page=page)
            elapsed.append((time.perf_counter() - started) * 1000)
            errors += cards == 0  # every bench word is in the seeded catalog
        whole = []
        for word, sort, page in pages:
            started = time.perf_counter()
            status = client({}).get(appcode.search(word, sort=sort, page=page)).status_code
            whole.append((time.perf_counter() - started) * 1000)
            errors += status != 200
        results[label] = {
            "requests": len(elapsed),
            "median_ms": round(harness.median(elapsed), 2),
            "p95_ms": round(harness.percentile(elapsed, 95), 2),
            "page_median_ms": round(harness.median(whole), 2),
            "page_p95_ms": round(harness.percentile(whole, 95), 2),
            "errors": errors,
        }
    return results
