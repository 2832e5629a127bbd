"""Placing, paying, expiring and moving orders, through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from catalog.models import ProductOption
from notifications.models import Notification
from notifications.services import send_pending_emails
from orders import lifecycle, placement, routing
from orders.models import Order, OrderLine, Payment, PaymentMethod, SubOrder, SubOrderEvent
from orders.payments.common import mark_order_paid
from orders.shipping import shipping_zone_for, shipping_zone_of
from tests.factories import make_product, make_shop, make_user
from tests.orders.conftest import set_shipping

pytestmark = pytest.mark.django_db


def _option(product) -> ProductOption:
    return product.options.get()


def test_two_artisan_order_is_split_and_snapshotted(address):
    # given two shops' batik in one cart
    buyer = make_user()
    paku = make_product(stock=3, price=350_000, motif="paku")
    sawit = make_product(stock=2, price=200_000, motif="sawit")
    set_shipping(paku.shop, rate_local=10_000)

    # when the buyer orders 2 and 1
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={_option(paku).pk: 2, _option(sawit).pk: 1},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )

    # then one order, one sub-order per shop, stock taken, totals in whole rupiah
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.reference.startswith("BK-") and len(order.reference) == 14
    assert order.shipping_zone == "local"
    assert order.phone == "+6281234567890"
    subs = {sub.shop_id: sub for sub in order.suborders.all()}
    assert subs[paku.shop_id].subtotal == 700_000 and subs[paku.shop_id].shipping_cost == 10_000
    assert subs[sawit.shop_id].shipping_cost == 15_000  # the default local rate
    assert order.total == 700_000 + 200_000 + 25_000
    assert _option(paku).stock == 1 and _option(sawit).stock == 1
    assert order.payments.get().amount == order.total
    # and titles, prices and shop names stay as they were when the artisan renames later
    paku.title, paku.price = "Renamed", 1
    paku.save()
    line = OrderLine.objects.get(suborder=subs[paku.shop_id])
    assert line.product_title.startswith("Kain Batik Tulis Motif Paku")
    assert line.unit_price == 350_000 and line.line_total == 700_000
    assert subs[paku.shop_id].shop_name == paku.shop.name
    assert SubOrderEvent.objects.filter(suborder__order=order, to_status="new").count() == 2


def test_a_short_line_creates_nothing_and_names_the_line(address):
    plenty = make_product(stock=5)
    scarce = make_product(stock=1)
    with pytest.raises(placement.OutOfStock) as error:
        placement.place_order(
            buyer=None,
            email="tamu@example.com",
            quantities={_option(plenty).pk: 1, _option(scarce).pk: 2},
            address=address,
            payment_method=PaymentMethod.BANK_TRANSFER,
        )
    assert list(error.value.problems) == [_option(scarce).pk]
    assert Order.objects.count() == 0 and SubOrder.objects.count() == 0
    assert _option(plenty).stock == 5 and _option(scarce).stock == 1


def test_made_to_order_takes_no_stock_and_carries_lead_time(address):
    product = make_product(stock=0, is_made_to_order=True, lead_time_days=21)
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={_option(product).pk: 3},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    line = OrderLine.objects.get(suborder__order=order)
    assert line.is_made_to_order and line.lead_time_days == 21
    assert _option(product).stock == 0


def test_shop_on_vacation_cannot_be_ordered(address):
    product = make_product(shop=make_shop(is_on_vacation=True))
    with pytest.raises(placement.OutOfStock):
        placement.place_order(
            buyer=None,
            email="tamu@example.com",
            quantities={_option(product).pk: 1},
            address=address,
            payment_method=PaymentMethod.BANK_TRANSFER,
        )


@pytest.mark.parametrize(
    ("regency_code", "zone"),
    [
        ("64.08", "local"),  # Kabupaten Kutai Timur
        ("64.72", "kalimantan"),  # Kota Samarinda, Kalimantan Timur
        ("64.01", "kalimantan"),  # Kabupaten Paser, Kalimantan Timur
        ("63.71", "kalimantan"),  # Kota Banjarmasin, Kalimantan Selatan
        ("65.01", "kalimantan"),  # Kabupaten Bulungan, Kalimantan Utara
        ("31.71", "indonesia"),  # Jakarta Pusat
        ("35.78", "indonesia"),  # Kota Surabaya
    ],
)
def test_shipping_zone_from_the_regency_code(regency_code, zone):
    assert shipping_zone_for(regency_code=regency_code) == zone


@pytest.mark.parametrize(
    ("kabupaten", "province", "zone"),
    [
        ("Kutai Timur", "Kalimantan Timur", "local"),
        ("Kab. Kutai Timur", "Kalimantan Timur", "local"),
        ("Kota Samarinda", "Kalimantan Timur", "kalimantan"),
        ("Kota Banjarmasin", "Kalimantan Selatan", "kalimantan"),
        ("Kota Surabaya", "Jawa Timur", "indonesia"),
        ("Jakarta Selatan", "DKI Jakarta", "indonesia"),
    ],
)
def test_an_address_saved_before_the_codes_finds_its_zone_by_the_official_names(
    kabupaten, province, zone
):
    assert shipping_zone_of({"kabupaten": kabupaten, "province": province}) == zone


def test_the_zone_follows_the_code_not_the_typed_name(address):
    # Given an address whose text still says Kutai Timur but whose chosen regency is Samarinda
    product = make_product()
    set_shipping(product.shop, rate_local=15_000, rate_kalimantan=35_000)
    address.update(regency_code="64.72", district_code="", village_code="")

    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={_option(product).pk: 1},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )

    assert order.shipping_zone == "kalimantan"
    assert order.shipping_total == 35_000
    assert order.regency_code == "64.72"


def test_cod_only_when_every_artisan_offers_it(address):
    with_cod = make_product()
    without = make_product()
    set_shipping(with_cod.shop, offers_cod=True)
    with pytest.raises(ValidationError):
        placement.place_order(
            buyer=None,
            email="tamu@example.com",
            quantities={_option(with_cod).pk: 1, _option(without).pk: 1},
            address=address,
            payment_method=PaymentMethod.COD,
        )
    assert _option(with_cod).stock == 5
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={_option(with_cod).pk: 1},
        address=address,
        payment_method=PaymentMethod.COD,
    )
    assert order.status == Order.Status.CONFIRMED and order.confirmed_at


def test_pickup_costs_no_shipping(address):
    product = make_product()
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={_option(product).pk: 1},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
        pickup_shop_ids={product.shop_id},
    )
    sub = order.suborders.get()
    assert sub.delivery == SubOrder.Delivery.PICKUP and sub.shipping_cost == 0


def _placed(address, *, buyer=None, stock=5, quantity=2, **product):
    item = make_product(stock=stock, **product)
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email if buyer else "tamu@example.com",
        quantities={_option(item).pk: quantity},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    return order, item


def test_unpaid_orders_expire_and_give_stock_back_once(address):
    order, item = _placed(address)
    assert _option(item).stock == 3
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))

    assert lifecycle.expire_unpaid_orders() == 1
    assert lifecycle.expire_unpaid_orders() == 0

    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert _option(item).stock == 5
    assert order.suborders.get().status == SubOrder.Status.CANCELLED
    assert order.payments.get().status == Payment.Status.CANCELLED
    assert Notification.objects.filter(key=f"order-{order.pk}-expired-buyer").count() == 1


def test_an_order_with_proof_waiting_does_not_expire(address):
    order, _item = _placed(address)
    order.payments.update(status=Payment.Status.PROOF_SUBMITTED)
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))
    assert lifecycle.expire_unpaid_orders() == 0


def test_mark_order_paid_is_idempotent_and_routes_once(address, django_capture_on_commit_callbacks):
    order, _item = _placed(address)
    payment = order.payments.get()
    admin = make_user(is_staff=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert mark_order_paid(order=order, payment=payment, by=admin) is True
        assert mark_order_paid(order=order, payment=payment, by=admin) is False
    assert len(callbacks) == 1  # one routing enqueued
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED and order.paid_at
    assert payment.status == Payment.Status.PAID and payment.confirmed_by == admin


def test_route_order_twice_sends_nothing_twice(address, mailoutbox):
    buyer = make_user()
    order, item = _placed(address, buyer=buyer)
    staff = make_user(email="staf@example.com")
    item.shop.memberships.create(user=staff, role="staff")
    mark_order_paid(order=order, payment=order.payments.get())

    assert routing.route_order(order=order) is True
    assert routing.route_order(order=order) is False

    order.refresh_from_db()
    assert order.routed_at and order.suborders.get().routed_at
    # the owner and the staff member each once, the buyer once (after the placement email)
    assert Notification.objects.filter(kind="order-routed").count() == 2
    assert Notification.objects.filter(kind="order-confirmed", recipient=buyer).count() == 1
    # the emails wait in the outbox until the worker sends them, each once
    assert mailoutbox == []
    assert send_pending_emails() == 4
    assert send_pending_emails() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [item.shop.owner.email, staff.email, buyer.email, buyer.email]
    )
    artisan_note = Notification.objects.get(recipient=item.shop.owner)
    assert artisan_note.whatsapp_url.startswith("https://wa.me/6281234567890?text=")


def test_artisan_email_is_in_their_language(address, mailoutbox):
    owner = make_user(preferred_language="en")
    order, item = _placed(address, shop=make_shop(owner=owner))
    mark_order_paid(order=order, payment=order.payments.get())
    routing.route_order(order=order)
    note = Notification.objects.get(recipient=owner)
    assert note.title.startswith("New order ")
    assert note.url.startswith("/en/")


def _routed(address, **kwargs):
    order, item = _placed(address, **kwargs)
    mark_order_paid(order=order, payment=order.payments.get())
    routing.route_order(order=order)
    return order, item, order.suborders.get()


def test_sub_order_life_accept_ship_deliver(address):
    buyer = make_user()
    order, item, sub = _routed(address, buyer=buyer)
    artisan = item.shop.owner
    lifecycle.transition_suborder(suborder=sub, to="accepted", by=artisan)
    lifecycle.transition_suborder(
        suborder=sub, to="shipped", by=artisan, courier="JNE", tracking_number="JNE123"
    )
    lifecycle.transition_suborder(suborder=sub, to="delivered", by=buyer)
    sub.refresh_from_db()
    assert sub.status == "delivered" and sub.tracking_number == "JNE123"
    moves = list(sub.events.values_list("from_status", "to_status", "actor"))
    assert moves == [
        ("", "new", buyer.pk),
        ("new", "accepted", artisan.pk),
        ("accepted", "shipped", artisan.pk),
        ("shipped", "delivered", buyer.pk),
    ]


@pytest.fixture
def english():
    """Messages in English, so the assertions below read like the code."""
    with translation.override("en"):
        yield


def test_illegal_transitions_are_refused(address, english):
    buyer = make_user()
    order, item, sub = _routed(address, buyer=buyer)
    artisan = item.shop.owner
    other_artisan = make_shop().owner

    with pytest.raises(ValidationError, match="cannot become"):
        lifecycle.transition_suborder(
            suborder=sub, to="shipped", by=artisan, courier="JNE", tracking_number="1"
        )
    with pytest.raises(ValidationError, match="may not change"):
        lifecycle.transition_suborder(suborder=sub, to="accepted", by=other_artisan)
    with pytest.raises(ValidationError, match="cannot become"):
        lifecycle.transition_suborder(suborder=sub, to="accepted", by=buyer)
    lifecycle.transition_suborder(suborder=sub, to="cancelled", by=buyer)
    with pytest.raises(ValidationError, match="cannot become"):
        lifecycle.transition_suborder(suborder=sub, to="accepted", by=artisan)
    sub.refresh_from_db()
    assert sub.status == "cancelled"
    assert sub.events.count() == 2


def test_made_to_order_needs_a_ready_date(address, english):
    order, item, sub = _routed(address, stock=0, is_made_to_order=True, lead_time_days=14)
    with pytest.raises(ValidationError, match="ready"):
        lifecycle.transition_suborder(suborder=sub, to="accepted", by=item.shop.owner)
    ready = timezone.localdate() + timedelta(days=14)
    lifecycle.transition_suborder(suborder=sub, to="accepted", by=item.shop.owner, ready_by=ready)
    sub.refresh_from_db()
    assert sub.ready_by == ready


def test_decline_restores_stock_marks_refund_and_tells_the_buyer(address):
    buyer = make_user()
    order, item, sub = _routed(address, buyer=buyer)
    assert _option(item).stock == 3
    with pytest.raises(ValidationError):
        lifecycle.transition_suborder(suborder=sub, to="declined", by=item.shop.owner, reason="")
    lifecycle.transition_suborder(
        suborder=sub, to="declined", by=item.shop.owner, reason="Kain habis terjual di pasar"
    )
    sub.refresh_from_db()
    assert sub.is_refund_due and sub.stock_restored_at
    assert _option(item).stock == 5
    # the buyer's notice is written with the move
    note = Notification.objects.get(recipient=buyer, kind="suborder-update")
    assert note.body == "Kain habis terjual di pasar"


def test_buyer_cancels_an_unpaid_order_before_acceptance(address):
    buyer = make_user()
    order, item = _placed(address, buyer=buyer)
    lifecycle.transition_suborder(suborder=order.suborders.get(), to="cancelled", by=buyer)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert _option(item).stock == 5
    assert not order.suborders.get().is_refund_due


def test_shipped_sub_orders_are_delivered_automatically(address, settings):
    order, item, sub = _routed(address)
    lifecycle.transition_suborder(suborder=sub, to="accepted", by=item.shop.owner)
    lifecycle.transition_suborder(
        suborder=sub, to="shipped", by=item.shop.owner, courier="JNE", tracking_number="1"
    )
    SubOrder.objects.filter(pk=sub.pk).update(
        shipped_at=timezone.now() - timedelta(days=settings.ORDER_AUTO_DELIVER_DAYS + 1)
    )
    assert lifecycle.auto_deliver_suborders() == (1, 0)
    sub.refresh_from_db()
    assert sub.status == "delivered"
