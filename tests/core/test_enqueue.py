"""With the broker down, a request that queues jobs answers at once; the jobs wait for a sweep."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from core.enqueue import send
from orders.models import Order
from orders.tasks import route_order_task
from tests.conftest import broker_down
from tests.factories import make_product
from tests.orders.conftest import address_post, set_shipping

pytestmark = pytest.mark.django_db


def test_a_failed_enqueue_gives_up_at_once():
    with broker_down():
        started = time.monotonic()
        assert send(route_order_task, 1) is False
        assert time.monotonic() - started < 1


def test_a_cod_checkout_answers_fast_with_the_broker_down(django_capture_on_commit_callbacks):
    item = make_product()
    set_shipping(item.shop, offers_cod=True)
    shopper = Client()
    shopper.post(reverse("orders:cart-add"), {"option": item.options.get().pk, "quantity": 1})

    with broker_down():
        started = time.monotonic()
        # The after-commit enqueues run as the request's transaction commits (here: on leaving).
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = shopper.post(
                reverse("orders:checkout"),
                {"email": "tamu@example.com", "payment_method": "cod", **address_post()},
            )
        elapsed = time.monotonic() - started

    # it tried to route the order and to send the outbox, and neither kept the buyer waiting
    assert len(callbacks) >= 2
    assert elapsed < 2
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.status == Order.Status.CONFIRMED and order.routed_at is None
