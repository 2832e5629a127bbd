"""Routing through a real worker process: the full path, a killed worker, a broker outage."""

import contextlib
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from marketplace.celery import app as celery_app
from notifications.models import Notification, OutgoingEmail
from notifications.services import send_pending_emails
from orders import placement, routing
from orders.models import Order, PaymentMethod
from orders.tasks import route_overdue_orders_task
from tests.concurrency import all_at_once
from tests.conftest import wait_for
from tests.factories import ADDRESS, make_product, make_shop, make_user
from tests.orders.conftest import address_post, set_shipping

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _recipients(email_dir: Path) -> list[str]:
    """The To: address of every email the worker wrote to its email folder."""
    if not email_dir.exists():
        return []
    found: list[str] = []
    for path in sorted(email_dir.iterdir()):
        found += re.findall(r"^To: (.+)$", path.read_text(errors="replace"), flags=re.MULTILINE)
    return found


def test_two_artisan_order_paid_by_transfer_reaches_each_artisan_once(celery_worker, tmp_path):
    # given a signed-in buyer with batik from two artisans in the cart
    paku, sawit = make_product(motif="paku"), make_product(motif="sawit")
    buyer = make_user(email="pembeli@example.com")
    shopper = Client()
    shopper.force_login(buyer)
    for product in (paku, sawit):
        shopper.post(
            reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1}
        )

    # when they check out by bank transfer and the cooperative confirms it in the admin
    response = shopper.post(
        reverse("orders:checkout"), {"payment_method": "bank_transfer", **address_post()}
    )
    assert response.status_code == 302
    order = Order.objects.get(buyer=buyer)
    assert order.suborders.count() == 2
    admin = Client()
    admin.force_login(make_user(is_staff=True, is_superuser=True))
    response = admin.post(reverse("admin:orders_order_confirm_transfer", args=[order.pk]))
    assert response.status_code == 302

    # then the worker routes it: each artisan one notification and one email, the buyer one
    # confirmation (after the email at placement that told them how to pay)
    wait_for(
        lambda: Order.objects.filter(pk=order.pk, routed_at__isnull=False).exists(), timeout=30
    )
    artisans = [paku.shop.owner, sawit.shop.owner]
    for person in artisans:
        assert Notification.objects.filter(recipient=person).count() == 1
    assert Notification.objects.filter(recipient=buyer, kind="order-confirmed").count() == 1
    # and sends the four emails, each once
    assert wait_for(lambda: not OutgoingEmail.objects.filter(sent_at=None).exists(), timeout=30)
    assert OutgoingEmail.objects.count() == 4
    recipients = _recipients(tmp_path / "emails")
    assert sorted(recipients) == sorted([a.email for a in artisans] + [buyer.email] * 2)


def _restart(worker, **env) -> None:
    worker.stop(kill=True)
    worker.env = {**worker.env, **env}
    worker.start()


def _route_overdue_now(order: Order) -> None:
    """Make the order look a minute late and run the beat's sweep, as beat would."""
    Order.objects.filter(pk=order.pk).update(confirmed_at=timezone.now() - timedelta(minutes=2))
    route_overdue_orders_task()


def test_worker_killed_mid_routing_routes_exactly_once_after_restart(celery_worker, tmp_path):
    # given a worker that pauses in the middle of routing, holding the order (a test-only module
    # it loads through its settings; see tests/orders/slow_routing.py)
    project_settings = celery_worker.env.get("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    _restart(celery_worker, DJANGO_SETTINGS_MODULE="tests.orders.slow_routing_settings")
    item = make_product()
    set_shipping(item.shop, offers_cod=True)
    buyer = make_user()

    # when a cash-on-delivery order is placed and the worker is killed while routing it
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={item.options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.COD,
    )
    # slow_routing says in the worker's log when it pauses (this process never imports it, or
    # its own routing would pause too)
    wait_for(lambda: "slow_routing: paused mid-routing" in celery_worker.log(), timeout=30)
    celery_worker.stop(kill=True)
    order.refresh_from_db()
    assert order.routed_at is None

    # then after a restart the sweep routes it, exactly once
    _restart(celery_worker, DJANGO_SETTINGS_MODULE=project_settings)
    _route_overdue_now(order)
    wait_for(
        lambda: Order.objects.filter(pk=order.pk, routed_at__isnull=False).exists(), timeout=30
    )
    route_overdue_orders_task()  # a second sweep finds nothing to do
    time.sleep(2)
    assert Notification.objects.filter(recipient=item.shop.owner).count() == 1
    assert Notification.objects.filter(recipient=buyer).count() == 1
    assert sorted(_recipients(tmp_path / "emails")) == sorted([item.shop.owner.email, buyer.email])


@contextlib.contextmanager
def _broker_down():
    """Point this process's Celery app at a port where no broker listens."""

    def reset() -> None:
        pools.reset()
        celery_app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            celery_app.__dict__["amqp"]._producer_pool = None

    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset()
    try:
        yield
    finally:
        celery_app.conf.broker_url = saved
        reset()


def test_checkout_succeeds_with_the_broker_down_and_routes_when_it_is_back(celery_worker):
    item = make_product()
    set_shipping(item.shop, offers_cod=True)
    shopper = Client()
    shopper.post(reverse("orders:cart-add"), {"option": item.options.get().pk, "quantity": 1})

    with _broker_down():
        started = time.monotonic()
        response = shopper.post(
            reverse("orders:checkout"),
            {"email": "tamu@example.com", "payment_method": "cod", **address_post()},
        )
        # An enqueue to an unreachable Redis gives up at once (it took about 6 s of retries
        # each, and checkout asks twice: to route the order and to send the outbox).
        assert time.monotonic() - started < 2
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.status == Order.Status.CONFIRMED and order.routed_at is None

    # the broker is back: the beat's sweep routes the order
    _route_overdue_now(order)
    wait_for(
        lambda: Order.objects.filter(pk=order.pk, routed_at__isnull=False).exists(), timeout=30
    )
    assert Notification.objects.filter(recipient=item.shop.owner).count() == 1
    assert Notification.objects.filter(email="tamu@example.com").count() == 1


def test_route_order_twice_at_once_sends_nothing_twice(mailoutbox):
    shops = [make_shop(), make_shop()]
    buyer = make_user()
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={make_product(shop=shop).options.get().pk: 1 for shop in shops},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.CONFIRMED, confirmed_at=timezone.now(), paid_at=timezone.now()
    )
    results = all_at_once(2, lambda _index: routing.route_order(order=order))
    assert sorted(results) == [False, True]
    assert routing.route_order(order=order) is False
    assert Notification.objects.filter(kind="order-routed").count() == 2
    assert Notification.objects.filter(kind="order-confirmed").count() == 1
    # and two senders at once send the four emails (the buyer's at placement too) once
    sent = all_at_once(2, lambda _index: send_pending_emails())
    assert sum(sent) == 4
    assert len(mailoutbox) == 4
