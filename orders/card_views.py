"""Card payment pages: the buyer's payment page (Stripe.js) and Stripe's webhook endpoint."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Order, PaymentMethod
from .payments import card, stripe
from .views import _base_url, _order_for

logger = logging.getLogger(__name__)

# Intent states in which Stripe has the buyer's money or is taking it: no second card form.
_WAITING_STATES = {"processing", "succeeded", "requires_capture"}


@never_cache
@require_GET
def pay_by_card(request, reference: str | None = None, token: str | None = None):
    """Pay an order by card with Stripe.js; reached right after placing the order."""
    order = _order_for(request, reference=reference, token=token)
    if order.payment_method != PaymentMethod.CARD:
        raise Http404
    base_url = _base_url(order, token)
    if not stripe.is_configured():
        messages.error(request, _("Card payments are not available right now."))
        return redirect(base_url)
    if request.GET.get("returned") and order.paid_at is None:
        # The webhook usually arrives first; if not, ask Stripe (same idempotent path).
        try:
            card.sync_card_payment(order=order)
        except stripe.PaymentError:
            logger.warning("Could not check order %s with Stripe.", order.reference, exc_info=True)
        order = Order.objects.get(pk=order.pk)
    if order.paid_at is not None:
        messages.success(request, _("Thank you! Your card payment is confirmed."))
        return redirect(base_url)
    if order.status != Order.Status.AWAITING_PAYMENT:
        messages.error(request, _("This order is not waiting for a payment."))
        return redirect(base_url)
    try:
        intent = card.start_card_payment(order=order)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(base_url)
    except stripe.PaymentError:
        logger.warning("Stripe refused or was unreachable for %s.", order.reference, exc_info=True)
        intent = None
    payment = card.card_payment_for(order)
    return render(
        request,
        "orders/payment_form.html",
        {
            "order": order,
            "payment": payment,
            "intent": intent,
            "is_waiting": intent is not None and intent.status in _WAITING_STATES,
            "base_url": base_url,
            "return_url": f"{base_url}bayar/?returned=1",
            "stripe_js_url": settings.STRIPE_JS_URL,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        },
    )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: verified by signature, kept once per id, then acted on by type."""
    try:
        event = stripe.construct_event(request.body, request.headers.get("Stripe-Signature"))
    except stripe.InvalidWebhook as error:
        logger.warning("Refused a Stripe webhook: %s", error)
        return HttpResponseBadRequest("invalid signature")
    outcome = card.handle_stripe_event(event=event)
    return JsonResponse({"received": True, "outcome": outcome})
