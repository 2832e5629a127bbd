"""The cooperative watches orders and confirms bank transfers here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from artisans.models import District
from core.admin_readonly import ReadOnlyAdmin
from core.phrases import phrase

from . import lifecycle
from .models import (
    Address,
    CardRefund,
    MidtransCharge,
    MidtransNotification,
    MidtransRefund,
    Order,
    OrderLine,
    Payment,
    PaymentMethod,
    ShippingProfile,
    StripeEvent,
    SubOrder,
    SubOrderEvent,
)
from .payments.midtrans_refunds import record_refund_paid_by_hand
from .payments.transfer import confirm_transfer, transfer_to_confirm


class SubOrderInline(admin.TabularInline):
    model = SubOrder
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["shop_name", "status", "delivery", "subtotal", "shipping_cost", "total",
              "routed_at", "courier", "tracking_number", "is_refund_due"]  # fmt: skip
    readonly_fields = fields


def proof_link(payment: Payment) -> str:
    """A link to the transfer proof, through the view that checks who asks (no public URL)."""
    if not payment.proof:
        return "—"
    url = reverse("orders:transfer-proof", args=[payment.pk])
    return format_html('<a href="{}">{}</a>', url, gettext("view"))


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = ["method", "status", "amount", "provider_reference", "transfer_proof",
              "proof_uploaded_at", "paid_at", "confirmed_by", "refunded_amount",
              "failure_message", "intent_cancelled_at"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("transfer proof"))
    def transfer_proof(self, payment: Payment) -> str:
        return proof_link(payment)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ["product_title", "option_name", "unit_price", "quantity", "line_total",
              "is_made_to_order", "lead_time_days"]  # fmt: skip
    readonly_fields = fields


class SubOrderEventInline(admin.TabularInline):
    model = SubOrderEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


class ShopDistrictFilter(admin.SimpleListFilter):
    """Orders with a sub-order from a shop in this district."""

    title = _("district")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        return District.choices

    def queryset(self, request, queryset):
        if self.value() not in District.values:
            return queryset
        in_district = SubOrder.objects.filter(order=OuterRef("pk"), shop__district=self.value())
        return queryset.filter(Exists(in_district))


def _confirm_orders(request, orders) -> int:
    confirmed = 0
    for order in orders:
        # The transfer asked now, else the latest (money that came for an order given up on).
        payment = (
            transfer_to_confirm(order)
            or order.payments.filter(method=PaymentMethod.BANK_TRANSFER).first()
        )
        if payment is None:
            continue
        try:
            if confirm_transfer(payment=payment, by=request.user):
                confirmed += 1
        except ValidationError as error:
            messages.error(request, f"{order}: {' '.join(error.messages)}")
    return confirmed


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["reference", "created_at", "email", "status", "payment_method",
                    "total_display", "transfer_proof", "paid_at", "routed_at"]  # fmt: skip
    list_filter = ["status", "payment_method", ShopDistrictFilter, "created_at", "payments__status"]
    list_select_related = ["buyer"]
    search_fields = ["reference", "email", "recipient", "phone"]
    date_hierarchy = "created_at"
    readonly_fields = ["reference", "buyer", "email", "status", "payment_method", "shipping_zone",
                       "subtotal", "shipping_total", "total", "created_at", "payment_due_at",
                       "confirmed_at", "paid_at", "routed_at", "expired_at", "language",
                       "lines_overview", "history_overview"]  # fmt: skip
    inlines = [PaymentInline, SubOrderInline]
    actions = ["confirm_transfer"]
    change_form_template = "orders/admin_order_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("payments")

    def has_add_permission(self, request) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "transfer_to_confirm": order and transfer_to_confirm(order),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, order: Order) -> str:
        from core.templatetags.money import format_rupiah

        return format_rupiah(order.total)

    @admin.display(description=_("lines"))
    def lines_overview(self, order: Order):
        """Every line of every sub-order, read-only (one query)."""
        lines = OrderLine.objects.filter(suborder__order=order).select_related("suborder")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (line.suborder.shop_name, line.product_title, line.option_name or "—",
                 line.quantity, _rupiah(line.line_total))
                for line in lines
            ),
        )  # fmt: skip
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            gettext("shop"), gettext("product"), gettext("option"), gettext("quantity"),
            gettext("total"), rows,
        )  # fmt: skip

    @admin.display(description=_("history"))
    def history_overview(self, order: Order):
        """The status changes of every sub-order, oldest first, read-only (one query)."""
        events = (
            SubOrderEvent.objects.filter(suborder__order=order)
            .select_related("suborder", "actor")
            .order_by("created_at", "pk")
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (localtime(event.created_at).strftime("%Y-%m-%d %H:%M"), event.suborder.shop_name,
                 event.get_from_status_display() or "—", event.get_to_status_display(),
                 event.actor or "—", event.note_text)
                for event in events
            ),
        )  # fmt: skip
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            gettext("at"), gettext("shop"), gettext("from"), gettext("to"), gettext("by"),
            gettext("note"), rows,
        )  # fmt: skip

    @admin.display(description=_("proof"))
    def transfer_proof(self, order: Order):
        for payment in order.payments.all():
            if payment.proof:
                return proof_link(payment)
        return "—"

    @admin.action(description=_("Confirm the bank transfer was received"))
    def confirm_transfer(self, request, queryset):
        confirmed = _confirm_orders(request, queryset)
        self.message_user(
            request, gettext("%(n)s order(s) confirmed as paid.") % {"n": confirmed},
            messages.SUCCESS,
        )  # fmt: skip

    def get_urls(self):
        return [
            path(
                "<int:order_id>/confirm-transfer/",
                self.admin_site.admin_view(self.confirm_transfer_view),
                name="orders_order_confirm_transfer",
            ),
            *super().get_urls(),
        ]

    def confirm_transfer_view(self, request, order_id: int):
        return _confirm_transfer_view(request, order_id, model_admin=self)


def _rupiah(amount: int) -> str:
    from core.templatetags.money import format_rupiah

    return format_rupiah(amount)


@require_POST
def _confirm_transfer_view(request, order_id: int, *, model_admin: OrderAdmin):
    order = get_object_or_404(Order, pk=order_id)
    if not model_admin.has_change_permission(request, order):
        raise PermissionDenied
    if _confirm_orders(request, [order]):
        messages.success(request, gettext("Transfer confirmed; the order goes to the artisans."))
    else:
        messages.warning(request, gettext("Nothing to confirm: the order was already paid."))
    return redirect(reverse("admin:orders_order_change", args=[order.pk]))


@admin.register(SubOrder)
class SubOrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "shop", "status", "total", "routed_at", "is_refund_due"]
    list_filter = ["status", "is_refund_due", "delivery"]
    list_select_related = ["order", "shop"]
    search_fields = ["order__reference", "shop_name", "tracking_number"]
    inlines = [OrderLineInline, SubOrderEventInline]
    readonly_fields = ["order", "shop", "status", "routed_at", "stock_restored_at",
                       "down_payment", "balance", "work_started_at", "ready_at",
                       "refund_due_amount", "is_down_payment_kept"]  # fmt: skip
    actions = ["cancel_unpaid_rest"]

    @admin.action(
        description=_("Cancel: the rest was never paid (the maker keeps the down payment)")
    )
    def cancel_unpaid_rest(self, request, queryset):
        """The cooperative decides on a ready piece whose buyer did not pay the rest in time."""
        if not request.user.has_perm("orders.change_suborder"):
            raise PermissionDenied
        overdue = queryset.filter(
            status=SubOrder.Status.READY,
            payments__purpose=Payment.Purpose.BALANCE,
            payments__due_at__lt=timezone.now(),
        ).exclude(payments__purpose=Payment.Purpose.BALANCE, payments__status=Payment.Status.PAID)
        done = 0
        for suborder in overdue.distinct():
            lifecycle.transition_suborder(
                suborder=suborder,
                to=SubOrder.Status.CANCELLED,
                by=None,
                note=phrase(
                    gettext_noop("The rest was not paid in time; cancelled by the cooperative.")
                ),
            )
            done += 1
        self.message_user(
            request, gettext("%(count)s sub-order(s) cancelled.") % {"count": done}, messages.INFO
        )


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "purpose", "method", "status", "amount", "due_at", "paid_at"]
    list_filter = ["purpose", "method", "status"]
    list_select_related = ["order"]
    search_fields = ["order__reference", "provider_reference"]
    readonly_fields = ["order", "suborder", "purpose", "method", "amount", "due_at",
                       "provider_reference", "transfer_proof",
                       "paid_at", "confirmed_by", "intent_cancelled_at"]  # fmt: skip
    # The proof is shown through its view, never as a file field with a public URL.
    exclude = ["proof"]

    @admin.display(description=_("transfer proof"))
    def transfer_proof(self, payment: Payment) -> str:
        return proof_link(payment)


@admin.register(ShippingProfile)
class ShippingProfileAdmin(admin.ModelAdmin):
    list_display = ["shop", "rate_local", "rate_kalimantan", "rate_indonesia", "offers_pickup",
                    "offers_cod"]  # fmt: skip
    list_select_related = ["shop"]


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "kabupaten", "province"]
    list_select_related = ["user"]
    search_fields = ["recipient", "user__email"]


@admin.register(CardRefund)
class CardRefundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "payment", "suborder", "amount", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["payment__order", "suborder"]
    search_fields = ["provider_reference", "idempotency_key", "payment__order__reference"]
    readonly_fields = ["payment", "suborder", "amount", "status", "idempotency_key",
                       "provider_reference", "created_at"]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    """Every webhook event Stripe sent, once each, with what handling it did."""

    list_display = ["event_id", "type", "received_at", "processed_at", "outcome"]
    list_filter = ["type"]
    search_fields = ["event_id"]
    readonly_fields = ["event_id", "type", "payload", "received_at", "processed_at", "outcome"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MidtransCharge)
class MidtransChargeAdmin(ReadOnlyAdmin):
    """Each try at paying through Midtrans; "Wrong amount paid" ones wait for the cooperative."""

    list_display = ["gateway_order_id", "channel", "amount", "paid_amount", "status",
                    "expires_at", "paid_at", "superseded_at"]  # fmt: skip
    list_filter = ["status", "channel"]
    list_select_related = ["payment__order"]
    search_fields = ["gateway_order_id", "transaction_id", "va_number", "payment__order__reference"]
    date_hierarchy = "created_at"


@admin.register(MidtransNotification)
class MidtransNotificationAdmin(ReadOnlyAdmin):
    """Every verified notification Midtrans sent, once per transaction and status."""

    list_display = ["transaction_id", "transaction_status", "charge", "received_at", "outcome"]
    list_filter = ["transaction_status"]
    list_select_related = ["charge"]
    search_fields = ["transaction_id", "charge__gateway_order_id"]


@admin.register(MidtransRefund)
class MidtransRefundAdmin(ReadOnlyAdmin):
    """Refunds from Midtrans charges; those owed by hand show the buyer's account."""

    list_display = ["refund_key", "amount", "status", "bank_name", "account_number",
                    "account_holder", "account_given_at", "refunded_at"]  # fmt: skip
    list_filter = ["status"]
    list_select_related = ["charge"]
    search_fields = ["refund_key", "charge__payment__order__reference", "account_holder"]
    actions = ["mark_transferred_by_hand"]

    @admin.action(description=_("Mark as transferred to the buyer's account"))
    def mark_transferred_by_hand(self, request, queryset):
        if not request.user.has_perm("orders.change_midtransrefund"):
            raise PermissionDenied
        done = sum(
            record_refund_paid_by_hand(refund=refund, by=request.user)
            for refund in queryset.filter(status=MidtransRefund.Status.OWED)
        )
        self.message_user(
            request,
            gettext("%(count)s refund(s) recorded as transferred.") % {"count": done},
            messages.SUCCESS,
        )
