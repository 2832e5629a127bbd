"""Writes for orders: placing, paying, expiring, routing to artisans and moving sub-orders along."""

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop, ShopMember
from catalog.models import Product, ProductOption
from core.enqueue import send_after_commit, send_each
from core.phone import normalize_indonesian_phone

from .cart import shipping_profile_for
from .models import (
    Address,
    AddressFields,
    Order,
    OrderLine,
    Payment,
    PaymentMethod,
    ShippingZone,
    SubOrder,
    SubOrderEvent,
)
from .signals import suborder_status_changed

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class ShortLine:
    option_id: int
    title: str
    problem: str


def _address_values(address) -> dict[str, str]:
    if isinstance(address, AddressFields):
        values = address.address_dict()
    else:
        values = {name: str(address.get(name, "")).strip() for name in AddressFields.ADDRESS_FIELDS}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ValidationError(_("The address is incomplete."), code="address_incomplete")
    values["phone"] = normalize_indonesian_phone(values["phone"])
    if not (len(values["postal_code"]) == 5 and values["postal_code"].isdigit()):
        raise ValidationError(_("A postal code has 5 digits."), code="postal_code")
    return values


def _quantities(cart) -> dict[int, int]:
    raw = cart.quantities() if hasattr(cart, "quantities") else dict(cart)
    return {int(option_id): int(quantity) for option_id, quantity in raw.items() if quantity > 0}


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
    buyer_or_email,
    cart,
    address,
    payment_method: str,
    pickup_shop_ids: frozenset[int] | set[int] = frozenset(),
) -> Order:
    """Create the order, its sub-orders per shop and lines, taking stock for every line at once.

    `cart` is a cart object or a mapping {option id: quantity}; `address` an address object or a
    mapping of the address fields. Raises OutOfStock (nothing created) when a line is short.
    """
    if isinstance(buyer_or_email, str):
        buyer, email = None, buyer_or_email.strip().lower()
    else:
        buyer, email = buyer_or_email, buyer_or_email.email
    if not email:
        raise ValidationError(_("An email address is needed for the order."), code="email")
    if payment_method not in PaymentMethod.values:
        raise ValidationError(_("Choose a payment method."), code="payment_method")
    quantities = _quantities(cart)
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
            pickup_shop_ids=set(pickup_shop_ids),
        )
        if order.status == Order.Status.CONFIRMED:
            enqueue_routing(order.pk)
    return order


def _place_locked(*, buyer, email, quantities, values, zone, payment_method, pickup_shop_ids):
    # Lock the option rows in primary-key order so two carts holding the same options in
    # opposite order wait for each other instead of deadlocking. The products and shops are read
    # in the same query but not locked (`of=("self",)`).
    locking = ProductOption.objects.select_for_update(
        of=("self",) if _supports_for_update_of() else ()
    )
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

    now = timezone.now()
    order = Order(
        buyer=buyer,
        email=email,
        payment_method=payment_method,
        shipping_zone=zone,
        language=(translation.get_language() or settings.LANGUAGE_CODE)[:8],
        created_at=now,
        **values,
    )
    if payment_method == PaymentMethod.COD:
        order.status = Order.Status.CONFIRMED
        order.confirmed_at = now
    else:
        order.payment_due_at = now + timedelta(hours=settings.ORDER_PAYMENT_HOURS)
    _save_with_unique_reference(order)

    lines: list[OrderLine] = []
    events: list[SubOrderEvent] = []
    subtotal = shipping_total = 0
    for shop_id, shop in shops.items():
        pickup = shop_id in pickup_shop_ids and profiles[shop_id].offers_pickup
        shipping_cost = 0 if pickup else profiles[shop_id].rate_for(zone)
        suborder = SubOrder.objects.create(
            order=order,
            shop=shop,
            shop_name=shop.name,
            delivery=SubOrder.Delivery.PICKUP if pickup else SubOrder.Delivery.SHIP,
            shipping_cost=shipping_cost,
        )
        shop_subtotal = 0
        for option in options:
            if option.product.shop_id != shop_id:
                continue
            quantity = quantities[option.pk]
            product = option.product
            lines.append(
                OrderLine(
                    suborder=suborder,
                    product=product,
                    option=option,
                    product_title=product.title,
                    option_name=option.name,
                    unit_price=option.price,
                    quantity=quantity,
                    line_total=option.price * quantity,
                    is_made_to_order=product.is_made_to_order,
                    lead_time_days=product.lead_time_days if product.is_made_to_order else None,
                )
            )
            shop_subtotal += option.price * quantity
        suborder.subtotal = shop_subtotal
        suborder.total = shop_subtotal + shipping_cost
        suborder.save(update_fields=["subtotal", "total"])
        events.append(
            SubOrderEvent(
                suborder=suborder,
                to_status=SubOrder.Status.NEW,
                actor=buyer,
                note=str(_("Order placed.")),
                created_at=now,
            )
        )
        subtotal += shop_subtotal
        shipping_total += shipping_cost
    OrderLine.objects.bulk_create(lines)
    SubOrderEvent.objects.bulk_create(events)
    order.subtotal = subtotal
    order.shipping_total = shipping_total
    order.total = subtotal + shipping_total
    order.save(update_fields=["subtotal", "shipping_total", "total"])
    Payment.objects.create(order=order, method=payment_method, amount=order.total)
    return order


def _supports_for_update_of() -> bool:
    from django.db import connection

    return connection.features.has_select_for_update_of


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
            from .models import new_order_reference

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


# --- Routing --------------------------------------------------------------------------------


def enqueue_routing(order_id: int) -> None:
    """After commit, ask the worker to route the order; a broker outage is logged, not raised.

    The sweep (`route_overdue_orders`) picks up an order whose message never made it.
    """
    from .tasks import route_order_task

    send_after_commit(route_order_task, order_id)


def mark_order_paid(*, order: Order, payment: Payment, by=None) -> bool:
    """Record the payment as received and route the order; False when it was already paid.

    Called by the admin for bank transfers and by the Stripe webhook for cards, any number of
    times: only the first call changes anything.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        payment = Payment.objects.select_for_update().get(pk=payment.pk, order=order)
        now = timezone.now()
        if payment.status != Payment.Status.PAID:
            payment.status = Payment.Status.PAID
            payment.paid_at = now
            payment.confirmed_by = by
            payment.save(update_fields=["status", "paid_at", "confirmed_by", "updated_at"])
        if order.paid_at is not None:
            return False
        order.paid_at = now
        if order.status == Order.Status.AWAITING_PAYMENT:
            order.status = Order.Status.CONFIRMED
            order.confirmed_at = now
            order.save(update_fields=["paid_at", "status", "confirmed_at"])
            enqueue_routing(order.pk)
            return True
        order.save(update_fields=["paid_at"])
        if order.status in (Order.Status.EXPIRED, Order.Status.CANCELLED):
            # Money arrived for an order whose stock was already given back: refund it.
            order.suborders.update(is_refund_due=True)
            if payment.method == PaymentMethod.CARD:
                from .card_payments import enqueue_card_refund

                for suborder_id in order.suborders.values_list("pk", flat=True):
                    enqueue_card_refund(suborder_id)
        return True


def confirm_transfer(*, payment: Payment, by) -> bool:
    """The cooperative admin saw the transfer arrive in the bank account."""
    if payment.method != PaymentMethod.BANK_TRANSFER:
        raise ValidationError(_("Only bank transfers are confirmed by hand."), code="not_transfer")
    return mark_order_paid(order=payment.order, payment=payment, by=by)


def submit_transfer_proof(*, order: Order, proof) -> Payment:
    """Attach the buyer's proof of transfer (already validated) to the order's payment."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.AWAITING_PAYMENT:
            raise ValidationError(_("This order is not waiting for a payment."), code="not_due")
        payment = (
            order.payments.select_for_update()
            .filter(method=PaymentMethod.BANK_TRANSFER)
            .exclude(status__in=[Payment.Status.PAID, Payment.Status.CANCELLED])
            .first()
        )
        if payment is None:
            raise ValidationError(_("This order is not paid by bank transfer."), code="no_payment")
        payment.proof.save(proof.name, proof, save=False)
        payment.proof_uploaded_at = timezone.now()
        payment.status = Payment.Status.PROOF_SUBMITTED
        payment.save(update_fields=["proof", "proof_uploaded_at", "status", "updated_at"])
    return payment


def route_order(*, order: Order) -> bool:
    """Hand each sub-order to its artisans and confirm to the buyer; False when nothing to do.

    The order row stays locked while routing, so two workers never route one order together,
    and notification keys are unique, so a second run sends nothing.
    """
    from notifications.services import notify_many

    from . import notices

    with transaction.atomic():
        # One lock, on the order row only; the buyer is read along for the notices.
        order = (
            Order.objects.select_for_update(of=("self",) if _supports_for_update_of() else ())
            .select_related("buyer")
            .filter(pk=order.pk)
            .first()
        )
        if order is None or order.status != Order.Status.CONFIRMED or order.routed_at:
            return False
        delay = float(getattr(settings, "ROUTING_TEST_DELAY_SECONDS", 0) or 0)
        if delay:
            time.sleep(delay)  # A test-only slow point, to kill a worker mid-routing.
        now = timezone.now()
        members = ShopMember.objects.select_related("user").order_by("pk")
        suborders = list(
            order.suborders.select_related("shop").prefetch_related(
                "lines", Prefetch("shop__memberships", queryset=members)
            )
        )
        SubOrder.objects.filter(order=order, routed_at__isnull=True).update(routed_at=now)
        Order.objects.filter(pk=order.pk).update(routed_at=now)
        order.routed_at = now
        for suborder in suborders:
            suborder.routed_at = now
        # All notices in one insert and their emails in the outbox, in this transaction: a crash
        # before the commit leaves the order unrouted, and the sweep routes it again. The worker
        # sends the emails once this commits, so a slow mail server never holds up routing.
        notify_many(notices.routing_deliveries(order=order, suborders=suborders))
    return True


def route_overdue_orders(*, older_than_seconds: int | None = None) -> int:
    """Enqueue routing for confirmed orders still unrouted after a while; return how many."""
    seconds = (
        settings.ORDER_ROUTING_SWEEP_SECONDS if older_than_seconds is None else older_than_seconds
    )
    cutoff = timezone.now() - timedelta(seconds=seconds)
    order_ids = list(Order.objects.due_for_routing(older_than=cutoff).values_list("pk", flat=True))
    from .tasks import route_order_task

    send_each(route_order_task, order_ids)
    return len(order_ids)


# --- Stock given back ------------------------------------------------------------------------


def _restore_stock(suborder: SubOrder) -> None:
    """Give the sub-order's stock back, once (the caller holds the sub-order's row lock)."""
    if suborder.stock_restored_at is not None:
        return
    for line in suborder.lines.filter(is_made_to_order=False, option__isnull=False).order_by(
        "option_id"
    ):
        ProductOption.objects.filter(pk=line.option_id).update(stock=F("stock") + line.quantity)
    suborder.stock_restored_at = timezone.now()


def expire_unpaid_orders() -> int:
    """Expire orders not paid in time (unless proof awaits checking); give their stock back once."""
    now = timezone.now()
    candidates = (
        Order.objects.awaiting_payment()
        .filter(payment_due_at__lt=now)
        .exclude(payments__status=Payment.Status.PROOF_SUBMITTED)
        .values_list("pk", flat=True)
    )
    expired = 0
    for order_id in list(candidates):
        if _expire_order(order_id, now):
            expired += 1
    return expired


def _expire_order(order_id: int, now) -> bool:
    from . import notices

    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None or order.status != Order.Status.AWAITING_PAYMENT:
            return False
        if order.payments.filter(status=Payment.Status.PROOF_SUBMITTED).exists():
            return False
        order.status = Order.Status.EXPIRED
        order.expired_at = now
        order.save(update_fields=["status", "expired_at"])
        _cancel_unpaid_payments(order, now)
        for suborder in order.suborders.select_for_update().order_by("pk"):
            _restore_stock(suborder)
            from_status = suborder.status
            suborder.status = SubOrder.Status.CANCELLED
            suborder.cancelled_at = now
            suborder.save(update_fields=["status", "cancelled_at", "stock_restored_at"])
            SubOrderEvent.objects.create(
                suborder=suborder,
                from_status=from_status,
                to_status=SubOrder.Status.CANCELLED,
                note=str(_("Not paid in time.")),
                created_at=now,
            )
        notices.notify_buyer_of_expiry(order=order)
    return True


# --- Sub-order life --------------------------------------------------------------------------

S = SubOrder.Status
ARTISAN, BUYER, SYSTEM = "artisan", "buyer", "system"
# Which side may make which move; anything else is refused.
TRANSITIONS: dict[tuple[str, str], set[str]] = {
    (S.NEW, S.ACCEPTED): {ARTISAN},
    (S.NEW, S.DECLINED): {ARTISAN},
    (S.NEW, S.CANCELLED): {BUYER, SYSTEM},
    (S.ACCEPTED, S.SHIPPED): {ARTISAN},
    (S.SHIPPED, S.DELIVERED): {BUYER, SYSTEM},
    (S.DELIVERED, S.COMPLETED): {SYSTEM},
}


def _role_of(suborder: SubOrder, by, as_role: str | None) -> str | None:
    if by is None:
        # No account: the system (beat tasks), or a guest buyer who followed their signed link.
        return BUYER if as_role == BUYER and suborder.order.buyer_id is None else SYSTEM
    if as_role in (None, ARTISAN) and suborder.shop.has_member(by):
        return ARTISAN
    if as_role in (None, BUYER) and suborder.order.buyer_id == by.pk:
        return BUYER
    return None


def transition_suborder(*, suborder: SubOrder, to: str, by, **details) -> SubOrder:
    """Move a sub-order to `to` if `by` may; record the event and tell the other side.

    details: `reason` (decline), `ready_by` (accept, required for made-to-order work),
    `courier` and `tracking_number` (ship), `note`, `as_role` ("buyer" for a guest's signed link).
    """
    with transaction.atomic():
        suborder = (
            SubOrder.objects.select_for_update(of=("self",) if _supports_for_update_of() else ())
            .select_related("order", "shop")
            .get(pk=suborder.pk)
        )
        from_status = suborder.status
        role = _role_of(suborder, by, details.get("as_role"))
        allowed = TRANSITIONS.get((from_status, to))
        if role is None:
            raise ValidationError(_("You may not change this order."), code="not_allowed")
        if allowed is None or role not in allowed:
            raise ValidationError(
                _("An order that is “%(from)s” cannot become “%(to)s”."),
                code="illegal_transition",
                params={"from": S(from_status).label, "to": S(to).label},
            )
        if role == ARTISAN and (
            suborder.order.status != Order.Status.CONFIRMED or suborder.routed_at is None
        ):
            raise ValidationError(_("This order is not confirmed yet."), code="not_confirmed")
        now = timezone.now()
        note = details.get("note", "")
        fields = ["status"]
        if to == S.ACCEPTED:
            ready_by = details.get("ready_by")
            if ready_by is None and suborder.lines.filter(is_made_to_order=True).exists():
                raise ValidationError(
                    _("Give the date the made-to-order work will be ready."), code="ready_by"
                )
            if ready_by is not None and ready_by < timezone.localdate():
                raise ValidationError(_("The ready date cannot be in the past."), code="ready_by")
            suborder.ready_by, suborder.accepted_at = ready_by, now
            fields += ["ready_by", "accepted_at"]
            if ready_by:
                note = note or str(_("Ready by %(date)s.") % {"date": _format_date(ready_by)})
        elif to == S.DECLINED:
            reason = (details.get("reason") or "").strip()
            if not reason:
                raise ValidationError(_("Say why you decline the order."), code="reason")
            suborder.decline_reason, suborder.declined_at = reason, now
            note = reason
            fields += ["decline_reason", "declined_at"]
        elif to == S.CANCELLED:
            suborder.cancelled_at = now
            fields += ["cancelled_at"]
        elif to == S.SHIPPED:
            courier = (details.get("courier") or "").strip()
            tracking = (details.get("tracking_number") or "").strip()
            if suborder.delivery == SubOrder.Delivery.SHIP and not (courier and tracking):
                raise ValidationError(
                    _("Name the courier and give the tracking number."), code="tracking"
                )
            suborder.courier, suborder.tracking_number, suborder.shipped_at = courier, tracking, now
            fields += ["courier", "tracking_number", "shipped_at"]
            note = note or " ".join(filter(None, [courier, tracking]))
        elif to == S.DELIVERED:
            suborder.delivered_at = now
            fields += ["delivered_at"]
        elif to == S.COMPLETED:
            suborder.completed_at = now
            fields += ["completed_at"]
        if to in (S.DECLINED, S.CANCELLED):
            _restore_stock(suborder)
            fields += ["stock_restored_at"]
            if suborder.order.paid_at is not None:
                suborder.is_refund_due = True
                fields += ["is_refund_due"]
                if suborder.order.payment_method == PaymentMethod.CARD:
                    from .card_payments import enqueue_card_refund

                    enqueue_card_refund(suborder.pk)
        suborder.status = to
        suborder.save(update_fields=fields)
        event = SubOrderEvent.objects.create(
            suborder=suborder,
            from_status=from_status,
            to_status=to,
            actor=by,
            note=note,
            created_at=now,
        )
        _close_order_if_all_cancelled(suborder.order, now)
        from .tasks import notify_suborder_event_task

        send_after_commit(notify_suborder_event_task, event.pk)
        transaction.on_commit(
            lambda: suborder_status_changed.send(
                sender=SubOrder, suborder=suborder, from_status=from_status, to_status=to
            )
        )
    return suborder


def _format_date(value: date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


def _close_order_if_all_cancelled(order: Order, now) -> None:
    """An unpaid order whose every sub-order was cancelled needs no payment any more."""
    if order.status != Order.Status.AWAITING_PAYMENT:
        return
    if order.suborders.exclude(status=S.CANCELLED).exists():
        return
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED)
    _cancel_unpaid_payments(order, now)


def _cancel_unpaid_payments(order: Order, now) -> None:
    """The order wants no payment any more: close its open payments, a card's intent included.

    The intent is cancelled at Stripe by the worker, after commit (see
    card_payments.cancel_unwanted_intent); the sweep sends what the broker lost.
    """
    order.payments.exclude(status=Payment.Status.PAID).update(
        status=Payment.Status.CANCELLED, updated_at=now
    )
    if order.payment_method != PaymentMethod.CARD:
        return
    from .tasks import cancel_card_intent_task

    for payment_id in order.payments.unwanted_card_intents().values_list("pk", flat=True):
        send_after_commit(cancel_card_intent_task, payment_id)


def auto_deliver_suborders() -> tuple[int, int]:
    """Mark long-shipped sub-orders delivered, and long-delivered ones completed."""
    now = timezone.now()
    delivered = completed = 0
    shipped_before = now - timedelta(days=settings.ORDER_AUTO_DELIVER_DAYS)
    for suborder in SubOrder.objects.filter(status=S.SHIPPED, shipped_at__lt=shipped_before):
        try:
            transition_suborder(suborder=suborder, to=S.DELIVERED, by=None)
            delivered += 1
        except ValidationError:
            continue
    delivered_before = now - timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS)
    for suborder in SubOrder.objects.filter(status=S.DELIVERED, delivered_at__lt=delivered_before):
        try:
            transition_suborder(suborder=suborder, to=S.COMPLETED, by=None)
            completed += 1
        except ValidationError:
            continue
    return delivered, completed
