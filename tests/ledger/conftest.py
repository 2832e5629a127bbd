"""Ledger fixtures: a sub-order moved through its real life by the orders services."""

import pytest
from django.utils import translation

from marketplace.celery import app as celery_app
from orders import lifecycle, placement, routing
from orders.models import PaymentMethod, SubOrder
from orders.payments.common import mark_order_paid
from tests.factories import ADDRESS, make_user
from tests.orders.conftest import set_shipping

S = SubOrder.Status


@pytest.fixture(autouse=True)
def _indonesian_first():
    """A request under /en/ leaves English active; start every test from the default language."""
    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(scope="session")
def broker_env(broker_env):
    """Drop the pool the shared fixture closed, so this process can publish again."""
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.__dict__.get("amqp") and setattr(celery_app.amqp, "_producer_pool", None)
    return broker_env


def place_cod_routed(*, buyer, cart: dict, shipping: int = 15_000):
    """A cash-on-delivery order from one shop, confirmed and routed to the artisan."""
    for option in cart:
        set_shipping(option.product.shop, offers_cod=True, rate_local=shipping)
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={option.pk: quantity for option, quantity in cart.items()},
        address=ADDRESS,
        payment_method=PaymentMethod.COD,
    )
    routing.route_order(order=order)
    return order


def place_routed(*, buyer, cart: dict, shipping: int = 15_000):
    """A bank-transfer order from one shop, paid (the money is the cooperative's) and routed."""
    for option in cart:
        set_shipping(option.product.shop, rate_local=shipping)
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={option.pk: quantity for option, quantity in cart.items()},
        address=ADDRESS,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    mark_order_paid(order=order, payment=order.payments.get(), by=make_user(is_staff=True))
    routing.route_order(order=order)
    order.refresh_from_db()
    return order


def move(suborder, *steps, capture) -> SubOrder:
    """Run transitions (to, by, details) as their users would, firing the after-commit hooks."""
    for to, by, details in steps:
        with capture(execute=True):
            suborder = lifecycle.transition_suborder(suborder=suborder, to=to, by=by, **details)
    return suborder


def complete(suborder, *, artisan, buyer, capture) -> SubOrder:
    """Accept, ship, deliver and complete a sub-order through the orders services."""
    return move(
        suborder,
        (S.ACCEPTED, artisan, {}),
        (S.SHIPPED, artisan, {"courier": "JNE", "tracking_number": "JNE123"}),
        (S.DELIVERED, buyer, {}),
        (S.COMPLETED, None, {}),
        capture=capture,
    )
