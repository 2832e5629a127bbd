"""The artisan's orders: what to act on first, and one-click accept, decline and ship."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.phone import whatsapp_link
from orders import capacity, lifecycle, progress
from orders.down_payments import may_ship
from orders.forms import AcceptForm, DeclineForm, ProgressPhotoForm, ShipForm, ShippingProfileForm
from orders.models import ShippingProfile, SubOrder, SubOrderEvent

from .access import shop_member_required

S = SubOrder.Status
# New work first, then what is accepted and waits to be shipped, then the rest.
_URGENCY = Case(
    When(status=S.NEW, then=Value(0)),
    When(status=S.ACCEPTED, then=Value(1)),
    When(status=S.IN_PROGRESS, then=Value(1)),
    When(status=S.READY, then=Value(1)),
    When(status=S.SHIPPED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _suborders_of(shop):
    """Sub-orders routed to the shop; unrouted ones (unpaid transfers) are not the artisan's yet."""
    return SubOrder.objects.filter(shop=shop, routed_at__isnull=False).select_related("order")


@shop_member_required
def order_list(request, shop):
    suborders = (
        _suborders_of(shop)
        .prefetch_related("lines")
        .annotate(urgency=_URGENCY)
        .order_by("urgency", "-order__created_at", "-pk")[:200]
    )
    context = {"shop": shop, "suborders": suborders, "queue": capacity.work_queue(shop=shop)}
    return render(request, "dashboard/order_list.html", context)


@shop_member_required
def order_queue(request, shop):
    """The made-to-order work queue: late, due this week, later; phone-first."""
    context = {"shop": shop, "queue": capacity.work_queue(shop=shop)}
    return render(request, "dashboard/order_queue.html", context)


@shop_member_required
def order_detail(request, shop, suborder_id: int):
    suborder = get_object_or_404(
        _suborders_of(shop).prefetch_related(
            "lines",
            "photos",
            Prefetch("events", queryset=SubOrderEvent.objects.select_related("actor")),
        ),
        pk=suborder_id,
    )
    return _render_detail(request, shop, suborder)


def _render_detail(request, shop, suborder, **forms):
    order = suborder.order
    chat = whatsapp_link(
        order.phone,
        _("Hello %(name)s, this is %(shop)s about your batik order %(reference)s.")
        % {"name": order.recipient, "shop": suborder.shop_name, "reference": order.reference},
    )
    lines = list(suborder.lines.all())
    shippable = may_ship(suborder)
    context = {
        "shop": shop,
        "suborder": suborder,
        "order": order,
        "lines": lines,
        "events": list(suborder.events.all()),
        "whatsapp_url": chat,
        "accept_form": forms.get("accept_form") or AcceptForm.proposing(suborder),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "ship_form": forms.get("ship_form") or ShipForm(),
        "photo_form": forms.get("photo_form") or ProgressPhotoForm(),
        "photos": list(suborder.photos.all()),
        # Shipping waits for the rest of a made-to-order piece's price.
        "may_ship": shippable,
        "can_ship": shippable and suborder.status in (S.ACCEPTED, S.IN_PROGRESS, S.READY),
        "is_made_to_order": any(line.is_made_to_order for line in lines),
        "has_packing_list": order.is_invoiced_after_handover,
        # An institution's order: the lines are at the cooperative's price, less its margin.
        "maker_amount": (
            None
            if suborder.agreed_commission is None
            else suborder.subtotal - suborder.agreed_commission
        ),
    }
    return render(request, "dashboard/order_detail.html", context)


def _act(request, shop, suborder_id: int, *, to: str, form_class, form_name: str, done: str):
    suborder = get_object_or_404(_suborders_of(shop), pk=suborder_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            lifecycle.transition_suborder(
                suborder=suborder, to=to, by=request.user, as_role="artisan", **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
            return redirect("dashboard:order-detail", suborder_id=suborder.pk)
    return _render_detail(request, shop, suborder, **{form_name: form})


@require_POST
@shop_member_required
def order_accept(request, shop, suborder_id: int):
    return _act(
        request, shop, suborder_id, to=S.ACCEPTED, form_class=AcceptForm,
        form_name="accept_form", done=_("Order accepted. The buyer has been told."),
    )  # fmt: skip


@require_POST
@shop_member_required
def order_decline(request, shop, suborder_id: int):
    return _act(
        request, shop, suborder_id, to=S.DECLINED, form_class=DeclineForm,
        form_name="decline_form", done=_("Order declined. The buyer has been told."),
    )  # fmt: skip


@require_POST
@shop_member_required
def order_ship(request, shop, suborder_id: int):
    return _act(
        request, shop, suborder_id, to=S.SHIPPED, form_class=ShipForm,
        form_name="ship_form", done=_("Marked as shipped. The buyer has been told."),
    )  # fmt: skip


@require_POST
@shop_member_required
def order_start_work(request, shop, suborder_id: int):
    """ "Mulai dikerjakan": the work starts, with a photo; the down payment becomes the maker's."""
    return _photo_step(request, shop, suborder_id, start=True)


@require_POST
@shop_member_required
def order_progress_photo(request, shop, suborder_id: int):
    return _photo_step(request, shop, suborder_id, start=False)


def _photo_step(request, shop, suborder_id: int, *, start: bool):
    suborder = get_object_or_404(_suborders_of(shop), pk=suborder_id)
    form = ProgressPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        values = {"photo": form.cleaned_data["photo"], "caption": form.cleaned_data["caption"]}
        try:
            if start:
                progress.start_work(suborder=suborder, by=request.user, **values)
            else:
                progress.add_progress_photo(
                    suborder=suborder, by=request.user, stage=form.cleaned_data["stage"], **values
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Work started. The buyer sees your photo.")
                if start
                else _("Photo added. The buyer sees it on the order."),
            )
            return redirect("dashboard:order-detail", suborder_id=suborder.pk)
    return _render_detail(request, shop, suborder, photo_form=form)


@require_POST
@shop_member_required
def order_ready(request, shop, suborder_id: int):
    suborder = get_object_or_404(_suborders_of(shop), pk=suborder_id)
    try:
        lifecycle.transition_suborder(
            suborder=suborder, to=S.READY, by=request.user, as_role="artisan"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Marked ready. The buyer is asked to pay the rest; ship once it is paid.")
            if suborder.balance
            else _("Marked ready."),
        )
    return redirect("dashboard:order-detail", suborder_id=suborder.pk)


@shop_member_required
def shipping_settings(request, shop):
    """The shop's flat shipping rates, pickup and cash on delivery."""
    profile = ShippingProfile.objects.filter(shop=shop).first() or ShippingProfile(shop=shop)
    form = ShippingProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Shipping settings saved."))
        return redirect("dashboard:order-shipping")
    return render(request, "dashboard/order_shipping_form.html", {"shop": shop, "form": form})
