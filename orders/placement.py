"""Placement: a cart becomes an order, one sub-order per shop, with its stock taken at once."""

from collections.abc import Mapping, Set
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from artisans.models import Shop
from catalog.models import Product, ProductOption
from core.phone import normalize_indonesian_phone
from core.phrases import phrase

from . import notices
from .cart import shipping_profile_for
from .down_payments import split_made_to_order
from .locking import only_own_rows
from .models import (
    Address,
    AddressFields,
    MidtransChannel,
    Order,
    OrderLine,
    Payment,
    PaymentMethod,
    ShippingZone,
    SubOrder,
    SubOrderEvent,
    new_order_reference,
)
from .payments import midtrans
from .routing import enqueue_routing

KALIMANTAN_PROVINCES = {
    "kalimantan barat",
    "kalimantan tengah",
    "kalimantan selatan",
    "kalimantan timur",
    "kalimantan utara",
}


def shipping_zone_for(*, kabupaten: str, province: str) -> str:
    """Kutai Timur is local, the other Kalimantan provinces are Kalimantan, the rest Indonesia."""
    regency = " ".join(kabupaten.lower().replace("kabupaten", "").replace("kab.", "").split())
    if regency == "kutai timur":
        return ShippingZone.LOCAL
    if " ".join(province.lower().replace("provinsi", "").split()) in KALIMANTAN_PROVINCES:
        return ShippingZone.KALIMANTAN
    return ShippingZone.INDONESIA


class OutOfStock(ValidationError):
    """Some cart lines cannot be bought; `problems` maps option id to what is wrong."""

    def __init__(self, problems: dict[int, str]):
        self.problems = problems
        super().__init__(
            _("Some items in your cart cannot be ordered. Nothing was charged."),
            code="out_of_stock",
        )


def _address_values(address: Mapping[str, str]) -> dict[str, str]:
    values = {name: str(address.get(name, "")).strip() for name in AddressFields.ADDRESS_FIELDS}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ValidationError(_("The address is incomplete."), code="address_incomplete")
    values["phone"] = normalize_indonesian_phone(values["phone"])
    if not (len(values["postal_code"]) == 5 and values["postal_code"].isdigit()):
        raise ValidationError(_("A postal code has 5 digits."), code="postal_code")
    return values


def _line_problem(option: ProductOption, quantity: int) -> str:
    product = option.product
    shop = product.shop
    if product.status != Product.Status.ACTIVE or product.is_hidden or not shop.is_public:
        return str(_("This batik is no longer for sale."))
    if not shop.accepts_orders:
        return str(_("%(shop)s is not taking orders right now.") % {"shop": shop.name})
    if not product.is_made_to_order and option.stock < quantity:
        if option.stock == 0:
            return str(_("Sold out."))
        return str(_("Only %(stock)s left.") % {"stock": option.stock})
    return ""


def place_order(
    *,
    buyer: User | None,
    email: str,
    quantities: Mapping[int, int],
    address: Mapping[str, str],
    payment_method: str,
    channel: str = "",
    pickup_shop_ids: Set[int] = frozenset(),
) -> Order:
    """Create the order, its sub-orders per shop and lines, taking stock for every line at once.

    `buyer` is None for a guest; `email` is where the order's emails go (a signed-in buyer's own);
    `quantities` maps option id to quantity (a cart's `quantities()`); `address` maps the address
    fields (an `Address`'s `address_dict()`); `channel` is the Midtrans channel (QRIS, a virtual
    account, an e-wallet) when `payment_method` is Midtrans. Raises OutOfStock (nothing created) when a line is short.
    """
    email = email.strip().lower()
    if not email:
        raise ValidationError(_("An email address is needed for the order."), code="email")
    if payment_method not in PaymentMethod.values:
        raise ValidationError(_("Choose a payment method."), code="payment_method")
    if (payment_method == PaymentMethod.MIDTRANS) != (channel in MidtransChannel.values):
        raise ValidationError(_("Choose how to pay online."), code="channel")
    quantities = {option_id: quantity for option_id, quantity in quantities.items() if quantity > 0}
    if not quantities:
        raise ValidationError(_("Your cart is empty."), code="empty_cart")
    values = _address_values(address)
    zone = shipping_zone_for(kabupaten=values["kabupaten"], province=values["province"])

    with transaction.atomic():
        order = _place_locked(
            buyer=buyer,
            email=email,
            quantities=quantities,
            values=values,
            zone=zone,
            payment_method=payment_method,
            channel=channel,
            pickup_shop_ids=set(pickup_shop_ids),
        )
        if order.payment_method == PaymentMethod.MIDTRANS:
            # Its email says what to pay with (a VA number, a QR code), which only Midtrans'
            # answer tells: it is written when the charge is (`apply_charge_state`). The charge
            # row made here is created at Midtrans by the payment page, or by the sweep if the
            # buyer closed the tab, so the email is never lost.
            midtrans.first_charge(payment=order.payments.get())
        else:
            # In this transaction: an order is never placed without its email in the outbox.
            notices.notify_buyer_of_placement(order=order)
        if order.status == Order.Status.CONFIRMED:
            enqueue_routing(order.pk)
    return order


def _place_locked(
    *, buyer, email, quantities, values, zone, payment_method, channel, pickup_shop_ids
):
    # Lock the option rows in primary-key order so two carts holding the same options in
    # opposite order wait for each other instead of deadlocking. The products and shops are read
    # in the same query but not locked (`of=("self",)`).
    locking = ProductOption.objects.select_for_update(of=only_own_rows())
    options = list(locking.filter(pk__in=quantities).select_related("product__shop").order_by("pk"))
    found = {option.pk for option in options}
    problems = {
        option_id: str(_("This batik is no longer for sale."))
        for option_id in quantities
        if option_id not in found
    }
    for option in options:
        problem = _line_problem(option, quantities[option.pk])
        if problem:
            problems[option.pk] = problem
    if problems:
        raise OutOfStock(problems)

    shops: dict[int, Shop] = {}
    for option in options:
        shops.setdefault(option.product.shop_id, option.product.shop)
    profiles = {
        shop_id: shipping_profile_for(shop)
        for shop_id, shop in Shop.objects.select_related("shipping_profile").in_bulk(shops).items()
    }
    if payment_method == PaymentMethod.COD and not all(p.offers_cod for p in profiles.values()):
        raise ValidationError(
            _("Cash on delivery is only possible when every artisan in the order offers it."),
            code="cod_not_offered",
        )

    for option in options:
        if option.product.is_made_to_order:
            continue
        taken = ProductOption.objects.filter(pk=option.pk, stock__gte=quantities[option.pk]).update(
            stock=F("stock") - quantities[option.pk]
        )
        if not taken:  # Only without row locks (SQLite serialises writers anyway).
            raise OutOfStock({option.pk: str(_("Sold out."))})

    # Every total is known before the first insert, so each row is written once, complete.
    by_shop: dict[int, list[ProductOption]] = {shop_id: [] for shop_id in shops}
    for option in options:
        by_shop[option.product.shop_id].append(option)
    now = timezone.now()
    suborders: list[SubOrder] = []
    for shop_id, shop in shops.items():
        pickup = shop_id in pickup_shop_ids and profiles[shop_id].offers_pickup
        shipping_cost = 0 if pickup else profiles[shop_id].rate_for(zone)
        shop_subtotal = sum(option.price * quantities[option.pk] for option in by_shop[shop_id])
        split = split_made_to_order(
            amount=sum(
                option.price * quantities[option.pk]
                for option in by_shop[shop_id]
                if option.product.is_made_to_order
            ),
            shop=shop,
            payment_method=payment_method,
        )
        suborders.append(
            SubOrder(
                shop=shop,
                shop_name=shop.name,
                delivery=SubOrder.Delivery.PICKUP if pickup else SubOrder.Delivery.SHIP,
                shipping_cost=shipping_cost,
                subtotal=shop_subtotal,
                total=shop_subtotal + shipping_cost,
                down_payment=split.down_payment,
                balance=split.balance,
            )
        )
    subtotal = sum(suborder.subtotal for suborder in suborders)
    shipping_total = sum(suborder.shipping_cost for suborder in suborders)
    order = Order(
        buyer=buyer,
        email=email,
        payment_method=payment_method,
        shipping_zone=zone,
        language=(translation.get_language() or settings.LANGUAGE_CODE)[:8],
        created_at=now,
        subtotal=subtotal,
        shipping_total=shipping_total,
        total=subtotal + shipping_total,
        **values,
    )
    if payment_method == PaymentMethod.COD:
        order.status = Order.Status.CONFIRMED
        order.confirmed_at = now
    else:
        order.payment_due_at = now + timedelta(hours=settings.ORDER_PAYMENT_HOURS)
    _save_with_unique_reference(order)

    for suborder in suborders:
        suborder.order = order
    SubOrder.objects.bulk_create(suborders)
    lines = [
        OrderLine(
            suborder=suborder,
            product=option.product,
            option=option,
            product_title=option.product.title,
            option_name=option.name,
            unit_price=option.price,
            quantity=quantities[option.pk],
            line_total=option.price * quantities[option.pk],
            is_made_to_order=option.product.is_made_to_order,
            lead_time_days=(
                option.product.lead_time_days if option.product.is_made_to_order else None
            ),
        )
        for suborder in suborders
        for option in by_shop[suborder.shop_id]
    ]
    OrderLine.objects.bulk_create(lines)
    placed = phrase(gettext_noop("Order placed."))
    SubOrderEvent.objects.bulk_create(
        [
            SubOrderEvent(
                suborder=suborder,
                to_status=SubOrder.Status.NEW,
                actor=buyer,
                note=str(placed),
                note_phrase=placed.as_json(),
                created_at=now,
            )
            for suborder in suborders
        ]
    )
    later = sum(suborder.balance for suborder in suborders)
    Payment.objects.create(
        order=order,
        method=payment_method,
        channel=channel,
        purpose=Payment.Purpose.DOWN_PAYMENT if later else Payment.Purpose.FULL,
        amount=order.total - later,
        due_at=order.payment_due_at,
    )
    return order


def _save_with_unique_reference(order: Order, attempts: int = 8) -> None:
    """Save the order, drawing a new reference on the rare clash with an existing one."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                order.save(force_insert=True)
            return
        except IntegrityError:
            if (
                attempt == attempts - 1
                or not Order.objects.filter(reference=order.reference).exists()
            ):
                raise
            order.reference = new_order_reference()


def save_address(*, user, values: Mapping[str, str], label: str = "") -> Address:
    """Remember an address for the account's next checkout (once per identical address)."""
    values = {name: values[name] for name in AddressFields.ADDRESS_FIELDS}
    address, _created = Address.objects.get_or_create(
        user=user, **values, defaults={"label": label}
    )
    if not Address.objects.filter(user=user, is_default=True).exists():
        Address.objects.filter(pk=address.pk).update(is_default=True)
    return address
