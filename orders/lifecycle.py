"""The sub-order's life: a table of allowed moves, one small handler per target status.

Also the moves the system makes on its own: unpaid orders expire, long-shipped sub-orders count as
delivered, long-delivered ones as completed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from catalog.services import put_back_stock
from core import phrases
from core.phrases import Phrase, phrase
from core.templatetags.money import format_rupiah

from . import provenance
from .down_payments import (
    checkout_method,
    close_balance_requests,
    is_rest_asked_before_shipping,
    is_rest_in_cash,
    may_ship,
    paid_for,
    request_balance,
)
from .locking import only_own_rows
from .models import Order, Payment, SubOrder, SubOrderEvent
from .payments.common import close_open_payments, request_refund
from .signals import suborder_status_changed

S = SubOrder.Status
ARTISAN, BUYER, SYSTEM = "artisan", "buyer", "system"

# From each status, the statuses it may become and who may make that move; anything else is
# refused. "system" is a beat task, or the cooperative acting for nobody in particular.
MOVES: dict[str, dict[str, frozenset[str]]] = {
    S.NEW: {
        S.ACCEPTED: frozenset({ARTISAN}),
        S.DECLINED: frozenset({ARTISAN}),
        S.CANCELLED: frozenset({BUYER, SYSTEM}),
    },
    # Before work starts the buyer may still cancel, and gets everything back.
    S.ACCEPTED: {
        S.IN_PROGRESS: frozenset({ARTISAN}),
        S.SHIPPED: frozenset({ARTISAN}),
        S.CANCELLED: frozenset({BUYER, SYSTEM}),
    },
    # After it starts, a buyer's cancel leaves the down payment with the maker (unless the maker
    # is late by more than the margin); a maker who cannot finish declines and refunds it.
    S.IN_PROGRESS: {
        S.READY: frozenset({ARTISAN}),
        S.SHIPPED: frozenset({ARTISAN}),
        S.DECLINED: frozenset({ARTISAN}),
        S.CANCELLED: frozenset({BUYER, SYSTEM}),
    },
    # Ready, waiting for the rest of the price: the cooperative decides if it never comes.
    S.READY: {S.SHIPPED: frozenset({ARTISAN}), S.CANCELLED: frozenset({SYSTEM})},
    S.SHIPPED: {S.DELIVERED: frozenset({BUYER, SYSTEM})},
    S.DELIVERED: {S.COMPLETED: frozenset({SYSTEM})},
}


@dataclass
class Move:
    """One move being made: the locked sub-order, what the mover gave, and what changes."""

    suborder: SubOrder
    now: datetime
    ready_by: date | None
    reason: str
    courier: str
    tracking_number: str
    # What the timeline says: a phrase the system wrote (shown in each reader's language), or
    # text a person typed (a decline reason), shown as typed.
    note: "Phrase | str"
    fields: list[str] = field(default_factory=lambda: ["status"])

    def set(self, **values) -> None:
        """Change these sub-order fields (saved with the new status)."""
        for name, value in values.items():
            setattr(self.suborder, name, value)
            self.fields.append(name)


def _accept(move: Move) -> None:
    ready_by = move.ready_by
    if ready_by is None and move.suborder.lines.filter(is_made_to_order=True).exists():
        raise ValidationError(
            _("Give the date the made-to-order work will be ready."), code="ready_by"
        )
    if ready_by is not None and ready_by < timezone.localdate():
        raise ValidationError(_("The ready date cannot be in the past."), code="ready_by")
    move.set(ready_by=ready_by, accepted_at=move.now)
    if ready_by is not None and not move.note:
        move.note = phrase(gettext_noop("Ready by %(date)s."), date=ready_by)


def _decline(move: Move) -> None:
    if not move.reason:
        raise ValidationError(_("Say why you decline the order."), code="reason")
    move.set(decline_reason=move.reason, declined_at=move.now)
    move.note = move.reason
    _give_back(move, may_keep_down_payment=False)


def _cancel(move: Move) -> None:
    move.set(cancelled_at=move.now)
    _give_back(move, may_keep_down_payment=True)


def _start_work(move: Move) -> None:
    if move.suborder.down_payment and move.suborder.order.paid_at is None:
        # An institution's order is routed before its down payment arrives.
        raise ValidationError(
            _("The down payment is not paid yet: start the work once it is."),
            code="down_payment_unpaid",
        )
    move.set(work_started_at=move.now)
    move.note = move.note or phrase(gettext_noop("Work started."))


def _mark_ready(move: Move) -> None:
    move.set(ready_at=move.now)
    if is_rest_in_cash(move.suborder):
        move.note = move.note or phrase(
            gettext_noop("Ready. %(amount)s is paid in cash on delivery or at pickup."),
            amount=format_rupiah(move.suborder.collected_in_cash),
        )
    elif is_rest_asked_before_shipping(move.suborder):
        request_balance(suborder=move.suborder, now=move.now)
        move.note = move.note or phrase(
            gettext_noop("Ready. The rest of the price, %(amount)s, is asked before it ships."),
            amount=format_rupiah(move.suborder.balance),
        )
    else:
        move.note = move.note or phrase(gettext_noop("Ready to ship."))


def _ship(move: Move) -> None:
    if not may_ship(move.suborder):
        raise ValidationError(
            _("The rest of the price is not paid yet: the batik ships once it is."),
            code="balance_unpaid",
        )
    courier, tracking = move.courier, move.tracking_number
    if move.suborder.delivery == SubOrder.Delivery.SHIP and not (courier and tracking):
        raise ValidationError(_("Name the courier and give the tracking number."), code="tracking")
    move.set(courier=courier, tracking_number=tracking, shipped_at=move.now)
    # Each made-to-order piece leaves the workshop with its own record of origin.
    provenance.record_made_to_order_pieces(suborder=move.suborder)
    move.note = move.note or " ".join(filter(None, [courier, tracking]))


def _deliver(move: Move) -> None:
    move.set(delivered_at=move.now)


def _complete(move: Move) -> None:
    move.set(completed_at=move.now)


HANDLERS: dict[str, Callable[[Move], None]] = {
    S.ACCEPTED: _accept,
    S.IN_PROGRESS: _start_work,
    S.READY: _mark_ready,
    S.DECLINED: _decline,
    S.CANCELLED: _cancel,
    S.SHIPPED: _ship,
    S.DELIVERED: _deliver,
    S.COMPLETED: _complete,
}


def _give_back(move: Move, *, may_keep_down_payment: bool) -> None:
    """A declined or cancelled sub-order returns its stock, and the money paid for it.

    A down payment stays with the maker when the buyer (or the cooperative) cancels after the
    work started, unless the maker missed the ready date by more than the margin.
    """
    suborder = move.suborder
    restore_stock(suborder)
    move.fields.append("stock_restored_at")
    close_balance_requests(suborder=suborder, now=move.now)
    order = suborder.order
    if order.paid_at is None:
        return
    kept = 0
    if may_keep_down_payment and suborder.work_started_at is not None:
        is_late_past_margin = (
            suborder.ready_by
            and (timezone.localdate() - suborder.ready_by).days
            > settings.ORDER_DOWN_PAYMENT_LATE_MARGIN_DAYS
        )
        if not is_late_past_margin:
            kept = suborder.down_payment
    amount = paid_for(suborder) - kept
    move.set(is_down_payment_kept=kept > 0)
    if amount > 0:
        request_refund(suborder=suborder, method=checkout_method(order), amount=amount)


def _role_of(suborder: SubOrder, by, as_role: str | None) -> str | None:
    if by is None:
        # No account: the system (beat tasks), or a guest buyer who followed their signed link.
        return BUYER if as_role == BUYER and suborder.order.buyer_id is None else SYSTEM
    if as_role in (None, ARTISAN) and suborder.shop.has_member(by):
        return ARTISAN
    if as_role in (None, BUYER) and suborder.order.buyer_id == by.pk:
        return BUYER
    return None


def _check_allowed(suborder: SubOrder, to: str, role: str | None) -> None:
    if role is None:
        raise ValidationError(_("You may not change this order."), code="not_allowed")
    if role not in MOVES.get(suborder.status, {}).get(to, ()):
        raise ValidationError(
            _("An order that is “%(from)s” cannot become “%(to)s”."),
            code="illegal_transition",
            params={"from": S(suborder.status).label, "to": S(to).label},
        )
    if role == ARTISAN and (
        suborder.order.status != Order.Status.CONFIRMED or suborder.routed_at is None
    ):
        raise ValidationError(_("This order is not confirmed yet."), code="not_confirmed")


def transition_suborder(
    *,
    suborder: SubOrder,
    to: str,
    by,
    as_role: str | None = None,
    ready_by: date | None = None,
    reason: str = "",
    courier: str = "",
    tracking_number: str = "",
    note: "Phrase | str" = "",
) -> SubOrder:
    """Move a sub-order to `to` if `by` may; record the event and tell the other side.

    `as_role` is "buyer" for a guest's signed link, "artisan" from the dashboard; `ready_by` is for
    accepting (required for made-to-order work), `reason` for declining, `courier` and
    `tracking_number` for shipping.
    """
    with transaction.atomic():
        suborder = (
            SubOrder.objects.select_for_update(of=only_own_rows())
            .select_related("order", "shop")
            .get(pk=suborder.pk)
        )
        from_status = suborder.status
        _check_allowed(suborder, to, _role_of(suborder, by, as_role))
        move = Move(
            suborder=suborder,
            now=timezone.now(),
            ready_by=ready_by,
            reason=reason.strip(),
            courier=courier.strip(),
            tracking_number=tracking_number.strip(),
            note=note,
        )
        HANDLERS[to](move)
        suborder.status = to
        suborder.save(update_fields=move.fields)
        event = SubOrderEvent.objects.create(
            suborder=suborder,
            from_status=from_status,
            to_status=to,
            actor=by,
            note=str(move.note),
            note_phrase=phrases.as_json(move.note),
            created_at=move.now,
        )
        _close_order_if_all_cancelled(suborder.order, move.now)
        from . import notices

        notices.notify_of_suborder_event(event=event)
        transaction.on_commit(
            lambda: suborder_status_changed.send(
                sender=SubOrder, suborder=suborder, from_status=from_status, to_status=to
            )
        )
    return suborder


def _close_order_if_all_cancelled(order: Order, now: datetime) -> None:
    """An unpaid order whose every sub-order was cancelled needs no payment any more."""
    if order.status != Order.Status.AWAITING_PAYMENT:
        return
    if order.suborders.exclude(status=S.CANCELLED).exists():
        return
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED)
    close_open_payments(order=order, now=now)


def restore_stock(suborder: SubOrder) -> None:
    """Give the sub-order's stock back, once (the caller holds the sub-order's row lock)."""
    if suborder.stock_restored_at is not None:
        return
    lines = suborder.lines.filter(is_made_to_order=False, option__isnull=False)
    put_back_stock(lines.order_by("option_id").values_list("option_id", "quantity"))
    suborder.stock_restored_at = timezone.now()


# --- The system's own moves ------------------------------------------------------------------


def expire_unpaid_orders() -> int:
    """Expire orders not paid in time (unless proof awaits checking); give their stock back once."""
    now = timezone.now()
    candidates = (
        Order.objects.filter(status=Order.Status.AWAITING_PAYMENT, payment_due_at__lt=now)
        .exclude(payments__status=Payment.Status.PROOF_SUBMITTED)
        .values_list("pk", flat=True)
    )
    return sum(1 for order_id in list(candidates) if _expire_order(order_id, now))


def _expire_order(order_id: int, now: datetime) -> bool:
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
        close_open_payments(order=order, now=now)
        not_paid = phrase(gettext_noop("Not paid in time."))
        for suborder in order.suborders.select_for_update().order_by("pk"):
            restore_stock(suborder)
            from_status = suborder.status
            suborder.status = S.CANCELLED
            suborder.cancelled_at = now
            suborder.save(update_fields=["status", "cancelled_at", "stock_restored_at"])
            SubOrderEvent.objects.create(
                suborder=suborder,
                from_status=from_status,
                to_status=S.CANCELLED,
                note=str(not_paid),
                note_phrase=not_paid.as_json(),
                created_at=now,
            )
        notices.notify_buyer_of_expiry(order=order)
    return True


def send_payment_reminders() -> int:
    """Remind each buyer whose unpaid order expires within the reminder window, once per order.

    Cash on delivery only for a down payment (nothing else is due by a deadline; without one it
    is confirmed at once); never while a transfer proof awaits checking. Returns how many
    reminders were written.
    """
    now = timezone.now()
    window_ends = now + timedelta(hours=settings.ORDER_PAYMENT_REMINDER_HOURS)
    candidates = (
        Order.objects.filter(
            status=Order.Status.AWAITING_PAYMENT,
            payment_reminder_sent_at__isnull=True,
            payment_due_at__gt=now,
            payment_due_at__lte=window_ends,
        )
        .exclude(payments__status=Payment.Status.PROOF_SUBMITTED)
        .values_list("pk", flat=True)
    )
    return sum(1 for order_id in list(candidates) if _remind_of_payment(order_id, now))


def _remind_of_payment(order_id: int, now: datetime) -> bool:
    from . import notices

    with transaction.atomic():
        # The conditional update is the claim: of two runs at once, one sets the time, and the
        # other finds it set (or the order paid meanwhile) and sends nothing.
        claimed = Order.objects.filter(
            pk=order_id,
            status=Order.Status.AWAITING_PAYMENT,
            payment_reminder_sent_at__isnull=True,
        ).update(payment_reminder_sent_at=now)
        if not claimed:
            return False
        notices.notify_buyer_of_payment_reminder(
            order=Order.objects.select_related("buyer").get(pk=order_id)
        )
    return True


def auto_deliver_suborders() -> tuple[int, int]:
    """Mark long-shipped sub-orders delivered, and long-delivered ones completed."""
    now = timezone.now()
    shipped_before = now - timedelta(days=settings.ORDER_AUTO_DELIVER_DAYS)
    delivered_before = now - timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS)
    delivered = _move_all(
        SubOrder.objects.filter(status=S.SHIPPED, shipped_at__lt=shipped_before), S.DELIVERED
    )
    completed = _move_all(
        SubOrder.objects.filter(status=S.DELIVERED, delivered_at__lt=delivered_before), S.COMPLETED
    )
    return delivered, completed


def _move_all(suborders, to: str) -> int:
    """Move each sub-order to `to` as the system; skip one that moved meanwhile. How many moved."""
    moved = 0
    for suborder in suborders:
        try:
            transition_suborder(suborder=suborder, to=to, by=None)
        except ValidationError:
            continue
        moved += 1
    return moved
