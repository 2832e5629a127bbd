"""Order jobs for the worker: thin wrappers that take ids and call one service."""

from celery import shared_task
from django.db import OperationalError

from . import lifecycle, onetap, routing
from .down_payments import checkout_method
from .models import Order, Payment, SubOrder
from .payments import card, midtrans, midtrans_refunds
from .payments.midtrans_api import GatewayError
from .payments.providers import provider_for
from .payments.stripe import PaymentError

# Errors after which a payment job is tried again later: the database, the broker, a provider.
_RETRY_ON = (OperationalError, ConnectionError, PaymentError, GatewayError)


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def route_order_task(order_id: int) -> bool:
    """Route a paid (or cash-on-delivery) order to its artisans; a no-op once routed."""
    # route_order reads the order itself, under its row lock (False when it is gone).
    return routing.route_order(order=Order(pk=order_id))


@shared_task
def route_overdue_orders_task() -> int:
    """Re-enqueue confirmed orders that no worker routed within a minute (a lost message)."""
    return routing.route_overdue_orders()


@shared_task
def expire_unpaid_orders_task() -> int:
    """Expire orders whose payment did not arrive in time, giving their stock back."""
    return lifecycle.expire_unpaid_orders()


@shared_task
def send_payment_reminders_task() -> int:
    """Remind the buyers of unpaid orders that expire soon; each order once."""
    return lifecycle.send_payment_reminders()


@shared_task
def send_answer_reminders_task() -> int:
    """Remind makers of new orders they have not answered; each maker's link once."""
    return onetap.send_answer_reminders()


@shared_task
def auto_deliver_suborders_task() -> tuple[int, int]:
    """Mark long-shipped sub-orders delivered and long-delivered ones completed."""
    return lifecycle.auto_deliver_suborders()


@shared_task(
    autoretry_for=_RETRY_ON,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def refund_suborder_task(suborder_id: int) -> str:
    """Refund a declined or cancelled paid sub-order through its provider; a no-op once refunded."""
    suborder = SubOrder.objects.select_related("order").filter(pk=suborder_id).first()
    provider = provider_for(checkout_method(suborder.order)) if suborder is not None else None
    if provider is None:
        return ""
    return provider.refund_suborder(suborder=suborder)


@shared_task(
    autoretry_for=_RETRY_ON,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def close_payment_request_task(payment_id: int) -> str:
    """Withdraw at its provider the payment request of an order closed unpaid; once."""
    method = Payment.objects.filter(pk=payment_id).values_list("method", flat=True).first()
    provider = provider_for(method) if method is not None else None
    if provider is None:
        return "nothing to cancel"
    return provider.close_request(payment_id=payment_id)


@shared_task
def cancel_unwanted_intents_task() -> int:
    """Re-enqueue intent cancels whose message was lost, or whose retries ran out."""
    return card.cancel_unwanted_intents()


@shared_task
def refund_due_suborders_task() -> int:
    """Re-enqueue card refunds that are due but were never sent (a lost message)."""
    return card.refund_due_suborders()


@shared_task(autoretry_for=_RETRY_ON, retry_backoff=True, retry_backoff_max=600, max_retries=8)
def sync_midtrans_charge_task(charge_id: int) -> str:
    """Read one Midtrans charge's status and apply it (its notification never came)."""
    return midtrans.sync_charge(charge_id=charge_id)


@shared_task(autoretry_for=_RETRY_ON, retry_backoff=True, retry_backoff_max=600, max_retries=8)
def cancel_midtrans_charge_task(charge_id: int) -> str:
    """Cancel at Midtrans a charge that no payment request wants any more; once."""
    return midtrans.cancel_charge(charge_id=charge_id)


@shared_task(autoretry_for=_RETRY_ON, retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_midtrans_refund_task(refund_id: int) -> str:
    """Send a due refund through Midtrans; a no-op once sent."""
    return midtrans_refunds.send_refund(refund_id=refund_id)


@shared_task
def check_open_midtrans_charges_task() -> int:
    """Re-read charges not heard of lately, and re-send cancels and refunds a lost message left."""
    return midtrans.check_open_charges()
