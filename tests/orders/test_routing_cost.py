"""Routing an order stays cheap: a fixed number of queries, one insert for all its notices."""

import pytest

from notifications.models import Notification, OutgoingEmail
from notifications.services import Delivery, Message, notify_many, send_pending_emails
from orders import placement, routing
from orders.models import PaymentMethod
from tests.factories import make_product, make_shop, make_user
from tests.orders.conftest import set_shipping

pytestmark = pytest.mark.django_db


def _two_shop_order(address, *, members_per_shop: int):
    shops = []
    for _ in range(2):
        shop = make_shop()
        set_shipping(shop, offers_cod=True)
        for _ in range(members_per_shop - 1):
            shop.memberships.create(user=make_user(), role="staff")
        shops.append(shop)
    cart = {make_product(shop=shop, stock=5).options.get().pk: 1 for shop in shops}
    return placement.place_order(
        buyer=None,
        email="pembeli@example.com",
        quantities=cart,
        address=address,
        payment_method=PaymentMethod.COD,
    )


@pytest.mark.parametrize("members_per_shop", [1, 3])
def test_routing_costs_the_same_queries_however_many_members(
    address, mailoutbox, django_assert_max_num_queries, members_per_shop
):
    order = _two_shop_order(address, members_per_shop=members_per_shop)
    # 8 queries, plus the savepoint and its release (a test runs inside a transaction)
    with django_assert_max_num_queries(10):
        assert routing.route_order(order=order) is True
    artisans = 2 * members_per_shop
    assert Notification.objects.filter(kind="order-routed").count() == artisans
    # cash on delivery: the email at placement was the buyer's confirmation, no second one
    assert Notification.objects.filter(kind="order-placed").count() == 1
    assert Notification.objects.filter(kind="order-confirmed").count() == 0
    # every email waits in the outbox, and goes out in one batch over one connection
    assert OutgoingEmail.objects.pending().count() == artisans + 1
    # one batch claimed, each email marked sent as it goes (so an interrupted run re-sends none
    # of them), then one look that finds nothing left; claims run in savepoints here
    with django_assert_max_num_queries(7 + artisans + 1):
        assert send_pending_emails() == artisans + 1
    assert len(mailoutbox) == artisans + 1
    assert not OutgoingEmail.objects.pending().exists()


def test_notify_many_twice_writes_and_mails_each_key_once(mailoutbox):
    english, indonesian = make_user(preferred_language="en"), make_user(preferred_language="id")
    message = Message(kind="test", title="Halo", email_template="order_expired", context={})
    deliveries = [
        Delivery(key="k-en", message=message, recipient=english, language="en"),
        Delivery(key="k-id", message=message, recipient=indonesian, language="id"),
    ]
    notify_many(deliveries)
    first = dict(Notification.objects.values_list("key", "pk"))
    notify_many([*deliveries, Delivery(key="k-guest", message=message, email="g@x.id")])
    send_pending_emails()

    assert sorted(first) == ["k-en", "k-id"]
    again = dict(Notification.objects.values_list("key", "pk"))
    assert sorted(again) == ["k-en", "k-guest", "k-id"]
    assert {key: again[key] for key in first} == first  # the first two were kept, not rewritten
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [english.email, indonesian.email, "g@x.id"]
    )
