"""Buyer pages: cart, checkout, orders, transfer proof; guests follow an order by a signed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artisans.models import Shop
from catalog.models import Product, ProductOption
from core.ratelimit import allow

from . import lifecycle, placement
from .cart import checkout_summary, get_cart
from .down_payments import checkout_method
from .forms import (
    AddressForm,
    AddToCartForm,
    CheckoutForm,
    QuantityForm,
    RefundAccountForm,
    TransferProofForm,
    current_values,
)
from .how_to_pay import cooperative_bank_account
from .models import MidtransRefund, Order, Payment, PaymentMethod, SubOrder, SubOrderEvent
from .notices import buyer_order_url, order_id_from_token
from .payments.transfer import submit_transfer_proof
from .shipping import KALIMANTAN_PROVINCES, KUTAI_TIMUR, shipping_zone_of

# Each upload is up to 10 MB of anyone's (a guest order's link is enough): a few per hour suffice.
PROOF_UPLOADS_PER_HOUR = 10

GUEST_ORDERS_KEY = "guest_orders"

# The name of the buttons that ask for the checkout again with the regions inside the one chosen.
REFRESH = "refresh"


def cart_detail(request):
    """The cart grouped by artisan, with subtotals, shipping rates and what changed."""
    cart = get_cart(request)
    groups = cart.groups()
    return render(
        request,
        "orders/cart_detail.html",
        {
            "groups": groups,
            "total": sum(group.subtotal for group in groups),
            "can_checkout": bool(groups) and not any(group.has_problem for group in groups),
        },
    )


@require_POST
def cart_add(request):
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an option and a quantity."))
        return redirect("orders:cart")
    option = get_object_or_404(
        ProductOption.objects.select_related("product__shop"),
        pk=form.cleaned_data["option"],
        product__status=Product.Status.ACTIVE,
        product__shop__status=Shop.Status.APPROVED,
        product__is_hidden=False,
    )
    get_cart(request).add(option, form.cleaned_data["quantity"])
    messages.success(request, _("Added to your cart: %(title)s") % {"title": option})
    return redirect("orders:cart")


@require_POST
def cart_update(request):
    form = QuantityForm(request.POST)
    if form.is_valid():
        cart = get_cart(request)
        option = ProductOption.objects.filter(pk=form.cleaned_data["option"]).first()
        if option is not None and option.pk in cart.entries():
            cart.set_quantity(option, form.cleaned_data["quantity"])
    return redirect("orders:cart")


@require_POST
def cart_remove(request):
    try:
        option_id = int(request.POST.get("option", ""))
    except ValueError:
        return redirect("orders:cart")
    get_cart(request).remove(option_id)
    messages.success(request, _("Removed from your cart."))
    return redirect("orders:cart")


def checkout(request):
    """Address, pickup and payment choice, then place the order."""
    cart = get_cart(request)
    groups = cart.groups()
    if not groups:
        return redirect("orders:cart")
    if any(group.has_problem for group in groups):
        messages.error(request, _("Some items in your cart cannot be ordered; see below."))
        return redirect("orders:cart")
    profiles = {group.shop.pk: group.shipping_profile for group in groups}
    cod_allowed = all(profile.offers_cod for profile in profiles.values())
    pickup_choices = [
        (group.shop.pk, group.shop.name)
        for group in groups
        if profiles[group.shop.pk].offers_pickup
    ]
    data = request.POST if request.method == "POST" else None
    choices = {
        "user": request.user,
        "cod_allowed": cod_allowed,
        "pickup_choices": pickup_choices,
        "has_down_payment": any(group.down_payment_percent for group in groups),
    }
    form = CheckoutForm(data, **choices)
    address_form = AddressForm(data, prefix="address")
    if data is not None and REFRESH in data:
        # Without JavaScript, choosing a region and pressing its button asks for the page again
        # with what lies inside it: the same values shown, no errors, nothing ordered.
        form = CheckoutForm(initial=current_values(form), **choices)
        address_form = AddressForm(initial=current_values(address_form), prefix="address")
    elif request.method == "POST" and form.is_valid():
        saved = form.cleaned_data.get("saved_address")
        if saved is not None or address_form.is_valid():
            values = saved.address_dict() if saved is not None else address_form.address_values()
            buyer = request.user if request.user.is_authenticated else None
            payment_method, channel, down_payment_method = form.payment_choice()
            try:
                order = placement.place_order(
                    buyer=buyer,
                    email=buyer.email if buyer is not None else form.cleaned_data["email"],
                    quantities=cart.quantities(),
                    address=values,
                    payment_method=payment_method,
                    channel=channel,
                    down_payment_method=down_payment_method,
                    pickup_shop_ids=form.pickup_shop_ids(),
                )
            except placement.OutOfStock as error:
                messages.error(request, error.messages[0])
                titles = {line.option.pk: str(line.option) for g in groups for line in g.lines}
                for option_id, problem in error.problems.items():
                    messages.error(request, f"{titles.get(option_id, '')}: {problem}")
                return redirect("orders:cart")
            except ValidationError as error:
                form.add_error(None, error)
            else:
                cart.clear()
                if (
                    request.user.is_authenticated
                    and saved is None
                    and form.cleaned_data.get("save_address")
                ):
                    placement.save_address(user=request.user, values=values)
                if not request.user.is_authenticated:
                    request.session[GUEST_ORDERS_KEY] = [
                        *request.session.get(GUEST_ORDERS_KEY, []),
                        order.pk,
                    ][-20:]
                messages.success(
                    request,
                    _("Thank you! Your order %(ref)s is placed.") % {"ref": order.reference},
                )
                method = checkout_method(order)
                if method == PaymentMethod.CARD:
                    return redirect(f"{buyer_order_url(order)}bayar/")
                if method == PaymentMethod.MIDTRANS:
                    return redirect(f"{buyer_order_url(order)}bayar-online/")
                return redirect(buyer_order_url(order))
    saved = form.saved_address_chosen()
    summary = checkout_summary(
        groups,
        zone=shipping_zone_of(saved.address_dict()) if saved else address_form.shipping_zone,
        pickup_shop_ids=form.pickup_shop_ids_chosen(),
    )
    return render(
        request,
        "orders/checkout.html",
        {
            "form": form,
            "address_form": address_form,
            "summary": summary,
            "refresh": REFRESH,
            "local_regency": KUTAI_TIMUR,
            "kalimantan_provinces": " ".join(sorted(KALIMANTAN_PROVINCES)),
            "down_payment": sum(group.down_payment for group in groups),
        },
    )


@login_required
def order_list(request):
    orders = (
        Order.objects.for_buyer(request.user)
        .prefetch_related(Prefetch("suborders", queryset=SubOrder.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )
    return render(request, "orders/order_list.html", {"orders": orders})


def _detail_queryset():
    return Order.objects.select_related("buyer").prefetch_related(
        Prefetch(
            "suborders",
            queryset=SubOrder.objects.order_by("pk").prefetch_related(
                "lines__pieces",
                "photos",
                Prefetch(
                    "payments",
                    queryset=Payment.objects.filter(purpose=Payment.Purpose.BALANCE),
                    to_attr="balance_requests",
                ),
                Prefetch("events", queryset=SubOrderEvent.objects.select_related("actor")),
            ),
        ),
        Prefetch("payments", queryset=Payment.objects.order_by("-created_at", "-pk")),
    )


def _order_for(request, *, reference: str | None = None, token: str | None = None) -> Order:
    """The order a request may see: its own (by reference) or any by a valid signed token."""
    if token is not None:
        order_id = order_id_from_token(token)
        if order_id is None:
            raise Http404
        return get_object_or_404(_detail_queryset(), pk=order_id)
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(_detail_queryset().for_buyer(request.user), reference=reference)


def _base_url(order: Order, token: str | None) -> str:
    if token is not None:
        return reverse("orders:track", args=[token])
    return reverse("orders:detail", args=[order.reference])


def _render_detail(request, order: Order, token: str | None, proof_form=None):
    payments = list(order.payments.all())
    # The request the whole order pays at checkout; a piece's rest shows with its sub-order.
    payment = next((p for p in payments if p.purpose != Payment.Purpose.BALANCE), None)
    suborders = list(order.suborders.all())
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "suborders": suborders,
            "payment": payment,
            "token": token,
            "proof_form": proof_form or TransferProofForm(),
            "show_bank": payment is not None
            and payment.method == PaymentMethod.BANK_TRANSFER
            and order.status == Order.Status.AWAITING_PAYMENT,
            # Cash on delivery: what is paid in cash at the door or at pickup.
            "cash_at_door": sum(
                suborder.collected_in_cash
                for suborder in suborders
                if suborder.status not in (SubOrder.Status.CANCELLED, SubOrder.Status.DECLINED)
            ),
            "bank": cooperative_bank_account(),
            "base_url": _base_url(order, token),
            # Money a virtual account cannot take back: the buyer says where it goes.
            "owed_refunds": (
                list(
                    MidtransRefund.objects.filter(
                        charge__payment__order=order, status=MidtransRefund.Status.OWED
                    )
                )
                if any(p.method == PaymentMethod.MIDTRANS for p in payments)
                else []
            ),
            "refund_account_form": RefundAccountForm(),
        },
    )


@login_required
def order_detail(request, reference: str):
    return _render_detail(request, _order_for(request, reference=reference), None)


def order_track(request, token: str):
    return _render_detail(request, _order_for(request, token=token), token)


@login_required
def transfer_proof(request, payment_id: int):
    """A transfer proof, for the buyer who uploaded it and cooperative staff who see payments.

    Proofs (bank details, names, balances) live in private storage: this view is the only way
    to them. Everyone else gets a 404, as if there were no such file.
    """
    payment = get_object_or_404(Payment.objects.select_related("order"), pk=payment_id)
    user = request.user
    if not payment.proof or not (
        payment.order.buyer_id == user.pk or user.has_perm("orders.view_payment")
    ):
        raise Http404
    extension = payment.proof.name.rsplit(".", 1)[-1].lower()
    try:
        proof = payment.proof.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # FileResponse names the type from the extension (proofs are re-encoded to .jpg or .pdf).
    # A download, never shown inline: a browser does not render anything from it as a page.
    response = FileResponse(
        proof, as_attachment=True, filename=f"{payment.order.reference}-transfer.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def upload_proof(request, reference: str | None = None, token: str | None = None):
    order = _order_for(request, reference=reference, token=token)
    if not allow(f"transfer-proof-{order.pk}", limit=PROOF_UPLOADS_PER_HOUR, seconds=3600):
        messages.error(request, _("Too many uploads for this order. Please try again later."))
        return redirect(_base_url(order, token))
    form = TransferProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            submit_transfer_proof(order=order, proof=form.cleaned_data["proof"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("Thank you. The cooperative will check your transfer shortly.")
            )
            return redirect(_base_url(order, token))
    return _render_detail(request, order, token, proof_form=form)


def _buyer_transition(request, to: str, reference, token, suborder_id: int, done: str):
    order = _order_for(request, reference=reference, token=token)
    suborder = get_object_or_404(SubOrder, pk=suborder_id, order=order)
    by = request.user if order.buyer_id and request.user.pk == order.buyer_id else None
    if by is None and order.buyer_id is not None:
        raise Http404  # An account's order is changed from that account only.
    try:
        lifecycle.transition_suborder(suborder=suborder, to=to, by=by, as_role="buyer")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return redirect(_base_url(order, token))


@require_POST
def cancel_suborder(request, suborder_id: int, reference=None, token=None):
    return _buyer_transition(
        request, SubOrder.Status.CANCELLED, reference, token, suborder_id, _("Cancelled.")
    )


@require_POST
def confirm_delivered(request, suborder_id: int, reference=None, token=None):
    return _buyer_transition(
        request,
        SubOrder.Status.DELIVERED,
        reference,
        token,
        suborder_id,
        _("Thank you for confirming that your batik arrived."),
    )
