"""Placement: a cart becomes an order, one sub-order per shop, with its stock taken at once."""

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from artisans.models import Shop
from catalog.models import Product, ProductOption
from catalog.services import take_stock
from core import phrases
from core.phone import normalize_indonesian_phone
from core.phrases import phrase

from . import notices
from .cart import shipping_profile_for
from .down_payments import (
    DOWN_PAYMENT_METHODS,
    SPLIT_METHODS,
    split_by_percent,
    split_made_to_order,
)
from .locking import only_own_rows
from .models import (
    Address,
    AddressFields,
    MidtransChannel,
    Order,
    OrderLine,
    Payment,
    PaymentMethod,
    SubOrder,
    SubOrderEvent,
    new_order_reference,
)
from .payments import midtrans
from .routing import enqueue_routing
from .shipping import shipping_zone_of


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
    # The region codes are optional: an address saved before they were kept has none.
    values.update({name: str(address.get(name) or "") for name in AddressFields.CODE_FIELDS})
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
    down_payment_method: str = "",
    pickup_shop_ids: Set[int] = frozenset(),
) -> Order:
    """Create the order, its sub-orders per shop and lines, taking stock for every line at once.

    `buyer` is None for a guest; `email` is where the order's emails go (a signed-in buyer's own);
    `quantities` maps option id to quantity (a cart's `quantities()`); `address` maps the address
    fields (an `Address`'s `address_dict()`); `channel` is the Midtrans channel (QRIS, a virtual
    account, an e-wallet) when `payment_method` is Midtrans. With cash on delivery,
    `down_payment_method` (Midtrans, with its `channel`, or bank transfer) is how the down
    payments of made-to-order work are paid now; the order waits for them before it is routed.
    Raises OutOfStock (nothing created) when a line is short. The order returned holds its
    payments as read at placement (`order.payments.all()`); read them again after a change.
    """
    email = email.strip().lower()
    if not email:
        raise ValidationError(_("An email address is needed for the order."), code="email")
    if payment_method not in PaymentMethod.values:
        raise ValidationError(_("Choose a payment method."), code="payment_method")
    if payment_method != PaymentMethod.COD:
        down_payment_method = ""
    elif down_payment_method and down_payment_method not in DOWN_PAYMENT_METHODS:
        raise ValidationError(_("Choose how to pay the down payment."), code="down_payment")
    online_method = down_payment_method or payment_method
    if (online_method == PaymentMethod.MIDTRANS) != (channel in MidtransChannel.values):
        raise ValidationError(_("Choose how to pay online."), code="channel")
    quantities = {option_id: quantity for option_id, quantity in quantities.items() if quantity > 0}
    if not quantities:
        raise ValidationError(_("Your cart is empty."), code="empty_cart")
    values = _address_values(address)
    zone = shipping_zone_of(values)

    with transaction.atomic():
        order = _place_locked(
            buyer=buyer,
            email=email,
            quantities=quantities,
            values=values,
            zone=zone,
            payment_method=payment_method,
            channel=channel,
            down_payment_method=down_payment_method,
            pickup_shop_ids=set(pickup_shop_ids),
        )
        # The payment just made, read once for all that follows: the email and the redirect.
        prefetch_related_objects([order], "payments")
        (payment,) = order.payments.all()
        if payment.method == PaymentMethod.MIDTRANS:
            # Its email says what to pay with (a VA number, a QR code), which only Midtrans'
            # answer tells: it is written when the charge is (`apply_charge_state`). The charge
            # row made here is created at Midtrans by the payment page, or by the sweep if the
            # buyer closed the tab, so the email is never lost.
            midtrans.first_charge(payment=payment)
        else:
            # In this transaction: an order is never placed without its email in the outbox.
            notices.notify_buyer_of_placement(order=order)
        if order.status == Order.Status.CONFIRMED:
            enqueue_routing(order.pk)
    return order


def _place_locked(
    *,
    buyer,
    email,
    quantities,
    values,
    zone,
    payment_method,
    channel,
    down_payment_method,
    pickup_shop_ids,
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

    ready_made = [
        (option.pk, quantities[option.pk])
        for option in options
        if not option.product.is_made_to_order
    ]
    sold_out = take_stock(ready_made)
    if sold_out is not None:  # Only without row locks (SQLite serialises writers anyway).
        raise OutOfStock({sold_out: str(_("Sold out."))})

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
    down_payments = sum(suborder.down_payment for suborder in suborders)
    if payment_method == PaymentMethod.COD and down_payments and not down_payment_method:
        raise ValidationError(_("Choose how to pay the down payment."), code="down_payment")
    if payment_method == PaymentMethod.COD and not down_payments:
        order.status = Order.Status.CONFIRMED
        order.confirmed_at = now
    else:
        # Paid online (cash on delivery: its down payments), by a deadline, before routing.
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
    if payment_method == PaymentMethod.COD and down_payments:
        # Only the down payments now, online; all the rest in cash at the door or at pickup.
        method, amount = down_payment_method, down_payments
    else:
        method, amount = payment_method, order.total - later
    Payment.objects.create(
        order=order,
        method=method,
        channel=channel if method == PaymentMethod.MIDTRANS else "",
        purpose=Payment.Purpose.DOWN_PAYMENT if later else Payment.Purpose.FULL,
        amount=amount,
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
    values = {
        name: values.get(name, "")
        for name in (*AddressFields.ADDRESS_FIELDS, *AddressFields.CODE_FIELDS)
    }
    address, _created = Address.objects.get_or_create(
        user=user, **values, defaults={"label": label}
    )
    if not Address.objects.filter(user=user, is_default=True).exists():
        Address.objects.filter(pk=address.pk).update(is_default=True)
    return address


@dataclass(frozen=True)
class AgreedLine:
    """One line of an agreed order: not a catalog option, a piece made to an agreed price."""

    title: str
    option_name: str
    unit_price: int
    quantity: int
    # Days the maker has for the work (to the agreed delivery date).
    lead_time_days: int


@dataclass(frozen=True)
class AgreedPart:
    """One maker's part of an agreed order, and the commission agreed on it (not a percent)."""

    shop: Shop
    lines: list[AgreedLine]
    commission: int


def place_agreed_order(
    *,
    buyer: User,
    email: str,
    address: Mapping[str, str],
    payment_method: str,
    parts: list[AgreedPart],
    down_payment_percent: int,
    channel: str = "",
) -> Order:
    """An order agreed outside the cart (an institution's accepted quote), routed at once.

    Every line is made to order, handed over in person (no shipping cost); each sub-order keeps
    its agreed commission. `down_payment_percent` of each part is asked now and the rest is
    invoiced after the handover (`request_invoice`); with 0, everything is. The order is
    confirmed and routed without waiting for a payment, like cash on delivery.
    """
    if payment_method not in SPLIT_METHODS:
        raise ValidationError(
            _("Choose bank transfer or an online payment."), code="payment_method"
        )
    if (payment_method == PaymentMethod.MIDTRANS) and channel not in MidtransChannel.values:
        raise ValidationError(_("Choose how to pay online."), code="channel")
    if not parts or not all(part.lines for part in parts):
        raise ValidationError(_("An order needs at least one line."), code="empty")
    values = {name: str(address.get(name, "")).strip() for name in AddressFields.ADDRESS_FIELDS}
    # An institution's delivery address is its own: the zone only files the order (no shipping).
    zone = shipping_zone_of(values)
    now = timezone.now()
    with transaction.atomic():
        suborders = []
        for part in parts:
            subtotal = sum(line.unit_price * line.quantity for line in part.lines)
            if not 0 <= part.commission <= subtotal:
                raise ValidationError(
                    _("The commission must lie between nothing and the price."), code="commission"
                )
            split = split_by_percent(amount=subtotal, percent=down_payment_percent)
            suborders.append(
                SubOrder(
                    shop=part.shop,
                    shop_name=part.shop.name,
                    delivery=SubOrder.Delivery.HANDOVER,
                    subtotal=subtotal,
                    total=subtotal,
                    down_payment=split.down_payment,
                    balance=split.balance,
                    agreed_commission=part.commission,
                )
            )
        subtotal = sum(suborder.subtotal for suborder in suborders)
        order = Order(
            buyer=buyer,
            email=email.strip().lower(),
            payment_method=payment_method,
            shipping_zone=zone,
            language=(translation.get_language() or settings.LANGUAGE_CODE)[:8],
            created_at=now,
            subtotal=subtotal,
            total=subtotal,
            status=Order.Status.CONFIRMED,
            confirmed_at=now,
            is_invoiced_after_handover=True,
            **values,
        )
        _save_with_unique_reference(order)
        for suborder in suborders:
            suborder.order = order
        SubOrder.objects.bulk_create(suborders)
        OrderLine.objects.bulk_create(
            OrderLine(
                suborder=suborder,
                product_title=line.title,
                option_name=line.option_name,
                unit_price=line.unit_price,
                quantity=line.quantity,
                line_total=line.unit_price * line.quantity,
                is_made_to_order=True,
                lead_time_days=line.lead_time_days,
            )
            for suborder, part in zip(suborders, parts, strict=True)
            for line in part.lines
        )
        SubOrderEvent.objects.bulk_create(
            SubOrderEvent(
                suborder=suborder,
                to_status=SubOrder.Status.NEW,
                actor=buyer,
                **phrases.fields("note", phrase(gettext_noop("Order placed."))),
                created_at=now,
            )
            for suborder in suborders
        )
        down_payment = sum(suborder.down_payment for suborder in suborders)
        if down_payment:
            payment = Payment.objects.create(
                order=order,
                method=payment_method,
                channel=channel,
                purpose=Payment.Purpose.DOWN_PAYMENT,
                amount=down_payment,
                due_at=now + timedelta(days=settings.PROCUREMENT_INVOICE_DAYS),
            )
            if payment_method == PaymentMethod.MIDTRANS:
                midtrans.first_charge(payment=payment)
        # Routed now: the makers start on the agreed terms, not on a payment.
        enqueue_routing(order.pk)
    return order
