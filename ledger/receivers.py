"""The ledger follows sub-orders: delivery credits the shop, a later cancel takes it back."""

import logging

from orders.models import SubOrder

from . import services

logger = logging.getLogger(__name__)


def record_suborder_status_change(sender, *, suborder, from_status, to_status, **kwargs) -> None:
    """Runs after the status change committed; a failure is left to the periodic sweep."""
    try:
        if to_status == SubOrder.Status.IN_PROGRESS:
            services.record_down_payment_released(suborder=suborder)
        elif to_status in services.CREDITED_STATUSES:
            # Completion too, in case the delivery's signal was lost; crediting twice is a no-op.
            services.record_suborder_delivered(suborder=suborder)
        elif to_status in (SubOrder.Status.DECLINED, SubOrder.Status.CANCELLED):
            services.record_suborder_refunded(suborder=suborder)
    except Exception:
        logger.exception("Ledger could not follow sub-order %s to %s.", suborder.pk, to_status)
