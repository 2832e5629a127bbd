"""A Redis outage slows pages down to their uncached speed; it never takes the site down."""

import logging
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.urls import reverse

from catalog.services import save_product
from marketplace.settings import redis_cache
from orders.models import Order
from tests.factories import PASSWORD, make_product, make_user
from tests.orders.conftest import address_post

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


class RedisProcess:
    """A `redis-server` of the test's own on a free port, without persistence."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def keys(self) -> int:
        return redis.Redis.from_url(self.url).dbsize()


@pytest.fixture
def own_redis(settings):
    server = RedisProcess()
    server.start()
    settings.CACHES = {**settings.CACHES, "default": redis_cache(server.url)}
    yield server
    server.stop()


@pytest.fixture
def outage_log(caplog):
    """The outage warnings, as a process that has not logged one this minute writes them."""
    for log_filter in logging.getLogger("marketplace.cache").filters:
        log_filter.last_at = float("-inf")
    caplog.set_level(logging.WARNING, logger="marketplace.cache")
    return caplog


def _add_to_cart(client, product):
    response = client.post(
        reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1}
    )
    assert response.status_code == 302


def test_pages_login_and_checkout_work_while_redis_is_down(client, own_redis, outage_log):
    product = make_product(title="Kain Batik Paku Sangatta", stock=5)
    buyer = make_user()
    pages = ["/", f"/batik/{product.slug}/", "/batik/"]

    # given pages cached in Redis
    for url in pages:
        assert client.get(url).status_code == 200
    assert own_redis.keys() > 0

    # when Redis stops
    own_redis.stop()
    started = time.monotonic()

    # then every page is built from the database
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Kain Batik Paku Sangatta" in response.content, url
    # a buyer logs in (the rate limits count in this process) and checks out
    response = client.post(reverse("account_login"), {"login": buyer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == buyer
    _add_to_cart(client, product)
    response = client.post(
        reverse("orders:checkout"), {"payment_method": "bank_transfer", **address_post()}
    )
    assert response.status_code == 302
    assert Order.objects.filter(buyer=buyer).exists()
    # at about the speed of a site without a cache, and the log says why, once (not per call)
    assert time.monotonic() - started < 5
    outage = [r for r in outage_log.records if r.name == "marketplace.cache"]
    assert len(outage) == 1
    assert "The cache is down (ConnectionError" in outage[0].getMessage()
    assert outage[0].levelname == "WARNING" and outage[0].exc_info is None

    # when Redis is back, pages are cached again
    own_redis.start()
    client.logout()
    assert client.get("/batik/").status_code == 200
    assert own_redis.keys() > 0


def test_failed_logins_are_still_limited_while_redis_is_down(client, own_redis, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/key"}
    buyer = make_user()
    own_redis.stop()

    for _attempt in range(3):
        response = client.post(reverse("account_login"), {"login": buyer.email, "password": "x"})
        assert response.status_code == 200 and response.context["form"].errors
    # the right password no longer helps until the limit's window has passed
    response = client.post(reverse("account_login"), {"login": buyer.email, "password": PASSWORD})
    assert response.status_code == 200 and response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_a_listing_edit_while_redis_is_down_is_saved_and_shown(
    client, own_redis, django_capture_on_commit_callbacks
):
    product = make_product(title="Kemeja Batik Telapak Tangan", price=350_000)
    page = f"/batik/{product.slug}/"
    assert b"350.000" in client.get(page).content
    own_redis.stop()

    # when the cooperative corrects the price while the cache is away
    product.price = 375_000
    with django_capture_on_commit_callbacks(execute=True):
        save_product(product=product)

    # then the edit is kept and the page, built from the database, shows it
    product.refresh_from_db()
    assert product.price == 375_000
    response = client.get(page)
    assert response.status_code == 200
    assert b"375.000" in response.content
