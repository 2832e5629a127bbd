"""Routing: a confirmed order handed to its artisans, once, and the sweep for lost messages."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from artisans.models import ShopMember
from core.enqueue import send_after_commit, send_each

from .locking import only_own_rows
from .models import Order, OrderLine, SubOrder


def enqueue_routing(order_id: int) -> None:
    """After commit, ask the worker to route the order; a broker outage is logged, not raised.

    The sweep (`route_overdue_orders`) picks up an order whose message never made it.
    """
    from .tasks import route_order_task

    send_after_commit(route_order_task, order_id)


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
            Order.objects.select_for_update(of=only_own_rows())
            .select_related("buyer")
            .filter(pk=order.pk)
            .first()
        )
        if order is None or order.status != Order.Status.CONFIRMED or order.routed_at:
            return False
        now = timezone.now()
        # Ordered by pk: the default ordering goes through the order's own ("-created_at"),
        # which adds a join to a row already in hand.
        members = ShopMember.objects.select_related("user").order_by("pk")
        suborders = list(
            order.suborders.select_related("shop")
            .prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
                Prefetch("shop__memberships", queryset=members),
            )
            .order_by("pk")
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
