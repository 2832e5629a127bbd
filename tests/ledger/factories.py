"""Sub-orders written straight to the database, for pages that only read them."""

import itertools
from datetime import timedelta

from django.utils import timezone

from orders.models import Order, OrderLine, PaymentMethod, SubOrder
from tests.factories import ADDRESS

_numbers = itertools.count(1)


def make_suborder(
    *,
    shop,
    product=None,
    status: str = SubOrder.Status.NEW,
    subtotal: int = 350_000,
    quantity: int = 1,
    shipping_cost: int = 15_000,
    days_ago: int = 0,
    payment_method: str = PaymentMethod.BANK_TRANSFER,
    **extra,
) -> SubOrder:
    """A routed sub-order of `shop` with one line, placed `days_ago` days ago and paid then
    (the money is the cooperative's, unless `payment_method` is cash on delivery)."""
    number = next(_numbers)
    placed = timezone.now() - timedelta(days=days_ago)
    phone = ADDRESS["phone"]
    order = Order.objects.create(
        reference=f"BK-TEST-{number:04d}",
        email=f"buyer{number}@example.com",
        status=Order.Status.CONFIRMED,
        payment_method=payment_method,
        shipping_zone="local",
        subtotal=subtotal,
        shipping_total=shipping_cost,
        total=subtotal + shipping_cost,
        created_at=placed,
        confirmed_at=placed,
        paid_at=None if payment_method == PaymentMethod.COD else placed,
        routed_at=placed,
        **{**ADDRESS, "phone": phone},
    )
    suborder = SubOrder.objects.create(
        order=order,
        shop=shop,
        shop_name=shop.name,
        status=status,
        subtotal=subtotal,
        shipping_cost=shipping_cost,
        total=subtotal + shipping_cost,
        routed_at=placed,
        **extra,
    )
    OrderLine.objects.create(
        suborder=suborder,
        product=product,
        option=product.options.first() if product else None,
        product_title=product.title if product else "Kain batik",
        unit_price=subtotal // quantity,
        quantity=quantity,
        line_total=subtotal,
    )
    return suborder
