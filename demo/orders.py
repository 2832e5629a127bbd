"""Demo orders, so the demo makers' dashboards and the buyer's order list are not empty."""

from django.contrib.auth import get_user_model

from artisans.models import Shop
from orders import lifecycle, placement, routing
from orders.models import Order, PaymentMethod, SubOrder
from orders.payments.transfer import confirm_transfer

from .catalog import ADMIN_EMAIL, BUYER_EMAIL

DEMO_ADDRESS = {
    "recipient": "Budi Santoso",
    "phone": "0813-5000-2000",
    "street": "Jl. Yos Sudarso II No. 21",
    "kelurahan": "Teluk Lingga",
    "kecamatan": "Sangatta Utara",
    "kabupaten": "Kabupaten Kutai Timur",
    "province": "Kalimantan Timur",
    "postal_code": "75683",
    "province_code": "64",
    "regency_code": "64.08",
    "district_code": "64.08.04",
    "village_code": "64.08.04.1010",
}
S = SubOrder.Status


def _one_option_of(shop: Shop) -> int:
    """The first ready-to-ship option of the shop with stock to spare."""
    from catalog.models import ProductOption

    option = (
        ProductOption.objects.filter(
            product__shop=shop, product__is_made_to_order=False, stock__gte=2
        )
        .order_by("pk")
        .first()
    )
    return option.pk


def _paid_order(*, buyer, shops: list[Shop], admin) -> Order:
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={_one_option_of(shop): 1 for shop in shops},
        address=dict(DEMO_ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    confirm_transfer(payment=order.payments.get(), by=admin)
    order.refresh_from_db()
    routing.route_order(order=order)
    return order


def seed_demo_orders() -> int:
    """Three orders by the demo buyer, at different stages; running it again adds nothing."""
    User = get_user_model()
    buyer = User.objects.get(email=BUYER_EMAIL)
    admin = User.objects.get(email=ADMIN_EMAIL)
    if Order.objects.filter(buyer=buyer).exists():
        return 0
    shops = list(Shop.objects.approved().order_by("pk")[:3])

    # Waiting for the makers to accept: a two-shop order.
    _paid_order(buyer=buyer, shops=shops[:2], admin=admin)
    # Shipped by the first maker.
    shipped = _paid_order(buyer=buyer, shops=shops[:1], admin=admin).suborders.get()
    lifecycle.transition_suborder(suborder=shipped, to=S.ACCEPTED, by=shipped.shop.owner)
    lifecycle.transition_suborder(
        suborder=shipped, to=S.SHIPPED, by=shipped.shop.owner, courier="JNE",
        tracking_number="JNE0012345678",
    )  # fmt: skip
    # Delivered and completed: a sale in the maker's ledger, and something the buyer can review.
    done = _paid_order(buyer=buyer, shops=shops[:1], admin=admin).suborders.get()
    lifecycle.transition_suborder(suborder=done, to=S.ACCEPTED, by=done.shop.owner)
    lifecycle.transition_suborder(
        suborder=done, to=S.SHIPPED, by=done.shop.owner, courier="J&T", tracking_number="JT88001"
    )
    lifecycle.transition_suborder(suborder=done, to=S.DELIVERED, by=buyer)
    lifecycle.transition_suborder(suborder=done, to=S.COMPLETED, by=None)
    return 3
