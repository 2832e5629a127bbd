"""Order jobs for the worker: thin wrappers that take ids and call one service."""

from celery import shared_task
from django.db import OperationalError

from . import services
from .models import Order, SubOrder, SubOrderEvent
from .payments import PaymentError


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def route_order_task(order_id: int) -> bool:
    """Route a paid (or cash-on-delivery) order to its artisans; a no-op once routed."""
    # route_order reads the order itself, under its row lock (False when it is gone).
    return services.route_order(order=Order(pk=order_id))


@shared_task
def route_overdue_orders_task() -> int:
    """Re-enqueue confirmed orders that no worker routed within a minute (a lost message)."""
    return services.route_overdue_orders()


@shared_task
def expire_unpaid_orders_task() -> int:
    """Expire orders whose payment did not arrive in time, giving their stock back."""
    return services.expire_unpaid_orders()


@shared_task
def auto_deliver_suborders_task() -> tuple[int, int]:
    """Mark long-shipped sub-orders delivered and long-delivered ones completed."""
    return services.auto_deliver_suborders()


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=8,
)
def notify_suborder_event_task(event_id: int) -> None:
    """Tell the other side of a sub-order about one change; safe to run twice (unique keys)."""
    from .notices import notify_of_suborder_event

    event = (
        SubOrderEvent.objects.select_related("suborder__order__buyer", "suborder__shop")
        .filter(pk=event_id)
        .first()
    )
    if event is not None:
        notify_of_suborder_event(event=event)


@shared_task(
    autoretry_for=(OperationalError, ConnectionError, PaymentError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def refund_suborder_task(suborder_id: int) -> str:
    """Refund a declined or cancelled card sub-order through Stripe; a no-op once refunded."""
    from .card_payments import refund_card_payment

    suborder = SubOrder.objects.filter(pk=suborder_id).first()
    if suborder is None:
        return ""
    refund = refund_card_payment(suborder=suborder)
    return refund.provider_reference if refund is not None else ""


@shared_task(
    autoretry_for=(OperationalError, ConnectionError, PaymentError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def cancel_card_intent_task(payment_id: int) -> str:
    """Cancel at Stripe the card intent of an order closed unpaid; a no-op once cancelled."""
    from .card_payments import cancel_unwanted_intent

    return cancel_unwanted_intent(payment_id=payment_id)


@shared_task
def cancel_unwanted_intents_task() -> int:
    """Re-enqueue intent cancels whose message was lost, or whose retries ran out."""
    from .card_payments import cancel_unwanted_intents

    return cancel_unwanted_intents()


@shared_task
def refund_due_suborders_task() -> int:
    """Re-enqueue card refunds that are due but were never sent (a lost message)."""
    from .card_payments import refund_due_suborders

    return refund_due_suborders()
