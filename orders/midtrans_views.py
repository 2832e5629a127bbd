"""Online payment pages (QRIS, virtual accounts, e-wallets) and Midtrans' notification endpoint."""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.qr import qr_svg

from .forms import RefundAccountForm
from .models import MidtransChannel, MidtransCharge, MidtransRefund, Order, PaymentMethod
from .payments import midtrans, midtrans_api, midtrans_refunds
from .views import _base_url, _order_for

logger = logging.getLogger(__name__)

VIRTUAL_ACCOUNTS = {
    MidtransChannel.BCA_VA,
    MidtransChannel.BNI_VA,
    MidtransChannel.BRI_VA,
    MidtransChannel.PERMATA_VA,
}
E_WALLETS = {MidtransChannel.GOPAY, MidtransChannel.SHOPEEPAY}
# The payment page's address below an order's page (see urls.py).
PAY_PATH = "bayar-online/"


def _online_order(request, reference, token) -> Order:
    order = _order_for(request, reference=reference, token=token)
    # Paid online: the whole order, or a cash-on-delivery order's down payment.
    if not any(payment.method == PaymentMethod.MIDTRANS for payment in order.payments.all()):
        raise Http404
    return order


@never_cache
@require_http_methods(["GET", "POST"])
def pay_online(request, reference: str | None = None, token: str | None = None):
    """What to pay with, for the channel the buyer chose; POST `channel` switches to another."""
    order = _online_order(request, reference, token)
    base_url = _base_url(order, token)
    payment = midtrans.open_payment_for(order)
    if payment is None or not midtrans.is_due(order, payment):
        if order.paid_at is not None:
            messages.success(request, _("Thank you! Your payment is confirmed."))
        else:
            messages.error(request, _("This order is not waiting for a payment."))
        return redirect(base_url)
    channel = request.POST.get("channel", "") if request.method == "POST" else ""
    charge, unavailable = None, False
    try:
        charge = midtrans.start_charge(payment=payment, channel=channel)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(base_url if request.method == "GET" else request.path)
    except midtrans.ChargeUnavailable:
        unavailable = True
    if request.method == "POST":
        return redirect(request.path)
    return render(
        request,
        "orders/pay_online.html",
        {
            "order": order,
            "payment": payment,
            "charge": charge,
            "unavailable": unavailable,
            "qr_svg": _qr_svg(charge),
            "is_virtual_account": charge is not None and charge.channel in VIRTUAL_ACCOUNTS,
            "is_e_wallet": charge is not None and charge.channel in E_WALLETS,
            "channels": MidtransChannel.choices,
            "base_url": base_url,
            "simulator_url": settings.MIDTRANS_SIMULATOR_URL,
        },
    )


def _qr_svg(charge: MidtransCharge | None) -> str:
    """The QR code drawn here from Midtrans' `qr_string`, as inline SVG (no outside image)."""
    if charge is None or not charge.qr_string:
        return ""
    return qr_svg(charge.qr_string, scale=6, title=_("QR code to pay"))


@never_cache
@require_GET
def payment_status(request, reference: str | None = None, token: str | None = None):
    """Whether the order is paid yet: the payment page asks every few seconds."""
    order = _online_order(request, reference, token)
    # Paid once nothing asked now is open any more (the checkout's request, or a piece's rest).
    payment = midtrans.open_payment_for(order)
    paid = order.paid_at is not None and (payment is None or not midtrans.is_due(order, payment))
    return JsonResponse({"paid": paid, "status": order.status, "url": _base_url(order, token)})


@never_cache
@require_POST
def check_payment(request, reference: str | None = None, token: str | None = None):
    """The buyer says they paid: read the charge's status from Midtrans now."""
    order = _online_order(request, reference, token)
    payment = midtrans.open_payment_for(order)
    charge = midtrans.current_charge(payment) if payment is not None else None
    if charge is not None:
        try:
            midtrans.sync_charge(charge_id=charge.pk)
        except midtrans_api.GatewayError:
            logger.warning("Could not read charge %s from Midtrans.", charge.gateway_order_id)
    order.refresh_from_db(fields=["paid_at"])
    if midtrans.open_payment_for(order) is not None or order.paid_at is None:
        messages.info(request, _("No payment has arrived yet. It can take a minute after you pay."))
        return redirect(f"{_base_url(order, token)}{PAY_PATH}")
    messages.success(request, _("Thank you! Your payment is confirmed."))
    return redirect(_base_url(order, token))


@require_POST
def refund_account(request, refund_id: int, reference: str | None = None, token: str | None = None):
    """The buyer gives the account for an owed refund of this order (and only of this order)."""
    order = _online_order(request, reference, token)
    refund = get_object_or_404(
        MidtransRefund.objects.select_related("charge"),
        pk=refund_id,
        charge__payment__order=order,
    )
    form = RefundAccountForm(request.POST)
    if form.is_valid():
        try:
            midtrans_refunds.give_refund_account(refund=refund, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Thank you. The cooperative will transfer the refund."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect(_base_url(order, token))


@csrf_exempt
@require_POST
def midtrans_notification(request):
    """Midtrans' HTTP notifications: verified by signature, then the status is read back."""
    try:
        body = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("not JSON")
    if not isinstance(body, dict):
        return HttpResponseBadRequest("not an object")
    try:
        outcome = midtrans.handle_notification(body=body)
    except midtrans_api.InvalidNotification as error:
        logger.warning("Refused a Midtrans notification: %s", error)
        return HttpResponseForbidden("invalid signature")
    except midtrans.UnknownCharge as error:
        logger.warning("A Midtrans notification for unknown order id %s.", error)
        return HttpResponse("unknown order", status=404)
    except midtrans_api.GatewayError:
        # Midtrans could not be asked for the status: answer an error so it sends again.
        logger.warning("Could not read back a notified Midtrans status.", exc_info=True)
        return HttpResponse("try again", status=503)
    return JsonResponse({"received": True, "outcome": outcome})
