"""Reads across orders and the ledger: a shop's money on its way, stage by stage, with dates."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.utils import timezone

from artisans.models import Shop
from orders.models import SubOrder

from .models import LedgerEntry, Payout
from .services import available_balance_of, commission_percent_for, expected_maker_share

S = SubOrder.Status
# Paid by the buyer, not yet in their hands: the maker's money once delivered.
BEFORE_DELIVERY = (S.NEW, S.ACCEPTED, S.IN_PROGRESS, S.READY, S.SHIPPED)


@dataclass(frozen=True)
class PipelineItem:
    """One sub-order or payout at a stage: what it brings and the date that matters for it."""

    label: str
    amount: int
    when: date | datetime | None
    suborder_id: int | None = None
    payout_id: int | None = None
    status: str = ""


@dataclass
class Stage:
    total: int = 0
    items: list[PipelineItem] = field(default_factory=list)


@dataclass
class MoneyPipeline:
    down_payments: Stage
    waiting_for_delivery: Stage
    held: Stage
    available: int
    on_the_way: Stage
    paid_out: Stage


def down_payments_waiting(shop: Shop, percent: Decimal) -> Stage:
    """Down payments paid by buyers, waiting for the maker to mark the work started: the maker's
    share of each (less commission), which "Mulai dikerjakan" makes available at once."""
    suborders = (
        SubOrder.objects.filter(
            shop=shop,
            status__in=[SubOrder.Status.NEW, SubOrder.Status.ACCEPTED],
            order__paid_at__isnull=False,
            down_payment__gt=0,
            work_started_at__isnull=True,
        )
        .select_related("order")
        .order_by("order__paid_at", "pk")
    )
    stage = Stage()
    for suborder in suborders:
        amount = expected_maker_share(suborder, suborder.down_payment, percent)
        stage.items.append(
            PipelineItem(
                label=suborder.order.reference,
                amount=amount,
                when=suborder.order.paid_at,
                suborder_id=suborder.pk,
                status=suborder.get_status_display(),
            )
        )
        stage.total += amount
    return stage


def _waiting_for_delivery(shop: Shop, percent: Decimal) -> Stage:
    """Paid sub-orders not yet delivered, with the maker's expected share at today's rate."""
    suborders = (
        SubOrder.objects.filter(shop=shop, status__in=BEFORE_DELIVERY, order__paid_at__isnull=False)
        .select_related("order")
        .order_by("order__paid_at", "pk")
    )
    stage = Stage()
    for suborder in suborders:
        # What the delivery will credit: the down payment's share is the maker's at work start
        # (its own row), so only the rest is counted here, as the ledger will write it. Cash on
        # delivery: less the cash the maker takes at the door (the commission on it is owed).
        down = suborder.down_payment
        amount = (
            expected_maker_share(suborder, suborder.subtotal, percent)
            - expected_maker_share(suborder, down, percent)
            + suborder.shipping_cost
            - suborder.collected_in_cash
        )
        when = suborder.shipped_at or suborder.ready_by or suborder.order.paid_at
        stage.items.append(
            PipelineItem(
                label=suborder.order.reference,
                amount=amount,
                when=when,
                suborder_id=suborder.pk,
                status=suborder.get_status_display(),
            )
        )
        stage.total += amount
    return stage


def _held(shop: Shop, now: datetime) -> Stage:
    """Delivered sales in the cooperative's hold, each with the day it becomes available."""
    rows = (
        LedgerEntry.objects.of_shop(shop)
        .held(now)
        .values("suborder_id", "suborder__order__reference")
        .annotate(total=Sum("amount"), available_at=Max("available_at"))
        .order_by("available_at", "suborder_id")
    )
    stage = Stage()
    for row in rows:
        if not row["total"]:
            continue  # refunded while held: nothing is coming
        stage.items.append(
            PipelineItem(
                label=row["suborder__order__reference"] or "",
                amount=row["total"],
                when=row["available_at"],
                suborder_id=row["suborder_id"],
            )
        )
        stage.total += row["total"]
    return stage


def _payouts(shop: Shop, status: str, total: int, limit: int = 10) -> Stage:
    recent = Payout.objects.filter(shop=shop, status=status).order_by("-requested_at", "-pk")
    items = [
        PipelineItem(
            label=f"#{payout.pk}",
            amount=payout.amount,
            when=payout.paid_at or payout.requested_at,
            payout_id=payout.pk,
        )
        for payout in recent[:limit]
    ]
    return Stage(total=total, items=items)


def money_pipeline(shop: Shop, *, percent: Decimal | None = None) -> MoneyPipeline:
    """The shop's money from the buyer's payment to its bank account, stage by stage.

    `percent` is the shop's commission rate when the caller has read it already.
    """
    now = timezone.now()
    percent = commission_percent_for(shop) if percent is None else percent
    totals = Payout.objects.filter(shop=shop).aggregate(
        requested=Sum("amount", filter=Q(status=Payout.Status.REQUESTED)),
        paid=Sum("amount", filter=Q(status=Payout.Status.PAID)),
    )
    return MoneyPipeline(
        down_payments=down_payments_waiting(shop, percent),
        waiting_for_delivery=_waiting_for_delivery(shop, percent),
        held=_held(shop, now),
        available=available_balance_of(shop, at=now),
        on_the_way=_payouts(shop, Payout.Status.REQUESTED, totals["requested"] or 0),
        paid_out=_payouts(shop, Payout.Status.PAID, totals["paid"] or 0),
    )
