"""The cooperative's money in admin: the read-only ledger, the payout queue, commission rates."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_readonly import ReadOnlyAdmin
from core.templatetags.money import format_rupiah
from orders.models import SubOrder

from . import exports, services
from .forms import MarkPaidForm, PeriodForm
from .models import LedgerEntry, Payout, PayoutAccount, PayoutRun, ShopCommission


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Entries are only ever added by the services: nobody adds, changes or deletes one here."""

    list_display = ["created_at", "shop", "kind", "amount_display", "available_at",
                    "order_reference", "payout", "note"]  # fmt: skip
    list_filter = ["kind", "created_at", "shop"]
    list_select_related = ["shop", "suborder__order", "payout__shop"]
    search_fields = ["shop__name", "suborder__order__reference", "note"]
    date_hierarchy = "created_at"
    actions = ["refund_suborders"]

    def has_refund_permission(self, request) -> bool:
        return request.user.has_perm("ledger.add_ledgerentry")

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, entry: LedgerEntry) -> str:
        return format_rupiah(entry.amount)

    @admin.display(description=_("order"), ordering="suborder__order__reference")
    def order_reference(self, entry: LedgerEntry) -> str:
        return entry.suborder.order.reference if entry.suborder_id else ""

    @admin.action(
        description=_("Refund the sub-orders of the selected entries"),
        permissions=["refund"],
    )
    def refund_suborders(self, request, queryset):
        refunded = 0
        suborder_ids = set(
            queryset.filter(suborder__isnull=False).values_list("suborder", flat=True)
        )
        for suborder in SubOrder.objects.filter(pk__in=suborder_ids).select_related("shop"):
            if services.record_suborder_refunded(suborder=suborder, by=request.user):
                refunded += 1
        messages.success(request, gettext("Refunds written: %(count)d.") % {"count": refunded})

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="ledger_ledgerentry_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """All shops' sales, commission, refunds and payouts of a period, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PeriodForm(request.GET or None)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            response, writer = exports.csv_response(f"batik-kutim-ledger-{start}-{end}.csv")
            exports.write_period(writer, exports.period_entries(start, end))
            return response
        if not request.GET:
            today = timezone.localdate()
            form = PeriodForm(initial={"start": today.replace(day=1), "end": today})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Export sales and payouts"),
            "form": form,
        }
        return TemplateResponse(request, "admin/ledger/ledgerentry/export.html", context)


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    """The queue of requested payouts, oldest first; each is marked paid with the bank reference."""

    list_display = ["__str__", "shop", "amount_display", "status", "requested_at", "bank_name",
                    "account_number", "account_holder", "paid_at", "transfer_reference", "run",
                    "mark_paid_link"]  # fmt: skip
    list_filter = ["status", "requested_at", "run"]
    list_select_related = ["shop"]
    search_fields = ["shop__name", "transfer_reference", "account_number"]
    # Descending status puts the queue ("requested") first, oldest request on top, then "paid",
    # then "cancelled".
    ordering = ["-status", "requested_at", "pk"]
    readonly_fields = ["shop", "amount", "status", "bank_name", "account_number",
                       "account_holder", "requested_at", "requested_by", "paid_at", "paid_by",
                       "transfer_reference", "cancelled_at", "cancelled_by", "run"]  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, payout: Payout) -> str:
        return format_rupiah(payout.amount)

    @admin.display(description=_("transfer"))
    def mark_paid_link(self, payout: Payout) -> str:
        if payout.status == Payout.Status.CANCELLED:
            return "–"  # taken back by the artisan: nothing to transfer
        if payout.status != Payout.Status.REQUESTED:
            return "✓"
        if payout.run_id is not None:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:ledger_payoutrun_change", args=[payout.run_id]),
                gettext("With its run"),
            )
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:ledger_payout_mark_paid", args=[payout.pk]),
            gettext("Mark paid"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/mark-paid/",
                self.admin_site.admin_view(self.mark_paid_view),
                name="ledger_payout_mark_paid",
            ),
            *super().get_urls(),
        ]

    def mark_paid_view(self, request, pk: int):
        """Ask for the bank's transfer reference, then mark the payout paid and tell the artisan."""
        payout = get_object_or_404(Payout.objects.select_related("shop"), pk=pk)
        if not self.has_change_permission(request, payout):
            raise PermissionDenied
        form = MarkPaidForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.mark_payout_paid(
                    payout=payout,
                    by=request.user,
                    transfer_reference=form.cleaned_data["transfer_reference"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    gettext("%(payout)s marked paid; the artisan is told.") % {"payout": payout},
                )
                return redirect("admin:ledger_payout_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": payout,
            "payout": payout,
            "title": gettext("Mark payout paid"),
            "form": form,
        }
        return TemplateResponse(request, "admin/ledger/payout/mark_paid.html", context)


class RunPayoutInline(admin.TabularInline):
    """The run's payouts, read only: they change only by marking the whole run paid."""

    model = Payout
    fields = ["shop", "amount", "bank_name", "account_number", "account_holder", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PayoutRun)
class PayoutRunAdmin(admin.ModelAdmin):
    """The scheduled runs: download the bank's bulk-transfer file, then mark the run paid once."""

    list_display = ["__str__", "created_at", "status", "payout_count", "total_display",
                    "paid_at", "transfer_reference", "file_link", "mark_paid_link"]  # fmt: skip
    list_filter = ["status", "created_at"]
    search_fields = ["transfer_reference"]
    readonly_fields = ["status", "minimum", "created_at", "created_by", "paid_at", "paid_by",
                       "transfer_reference", "payout_count", "total_display",
                       "file_link"]  # fmt: skip
    fields = readonly_fields
    inlines = [RunPayoutInline]
    change_list_template = "admin/ledger/payoutrun/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(payout_count=Count("payouts"), payout_total=Sum("payouts__amount"))
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_run_permission(self, request) -> bool:
        return request.user.has_perm("ledger.add_payoutrun")

    @admin.display(description=_("payouts"), ordering="payout_count")
    def payout_count(self, run: PayoutRun) -> int:
        return run.payout_count

    @admin.display(description=_("total"), ordering="payout_total")
    def total_display(self, run: PayoutRun) -> str:
        return format_rupiah(run.payout_total or 0)

    @admin.display(description=_("bank file"))
    def file_link(self, run: PayoutRun) -> str:
        return format_html(
            '<a href="{}" download>{}</a>',
            reverse("admin:ledger_payoutrun_csv", args=[run.pk]),
            gettext("Download CSV"),
        )

    @admin.display(description=_("transfer"))
    def mark_paid_link(self, run: PayoutRun) -> str:
        if run.status != PayoutRun.Status.OPEN:
            return "✓"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:ledger_payoutrun_mark_paid", args=[run.pk]),
            gettext("Mark paid"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/transfers.csv",
                self.admin_site.admin_view(self.csv_view),
                name="ledger_payoutrun_csv",
            ),
            path(
                "<int:pk>/mark-paid/",
                self.admin_site.admin_view(self.mark_paid_view),
                name="ledger_payoutrun_mark_paid",
            ),
            path(
                "start/", self.admin_site.admin_view(self.start_view), name="ledger_payoutrun_start"
            ),
            *super().get_urls(),
        ]

    def csv_view(self, request, pk: int):
        """The bulk-transfer file: bank, account number, holder, amount and reference per maker."""
        run = get_object_or_404(PayoutRun, pk=pk)
        if not self.has_view_permission(request, run):
            raise PermissionDenied
        stamp = timezone.localtime(run.created_at).date().isoformat()
        response, writer = exports.bank_csv_response(f"payout-run-{run.pk}-{stamp}.csv")
        exports.write_payout_run(writer, run)
        return response

    def start_view(self, request):
        """Make a payout run now, outside the schedule (POST only)."""
        if request.method != "POST" or not self.has_run_permission(request):
            raise PermissionDenied
        run = services.create_payout_run(by=request.user)
        if run is None:
            messages.info(request, gettext("No maker is due a payout now."))
            return redirect("admin:ledger_payoutrun_changelist")
        messages.success(request, gettext("%(run)s made.") % {"run": run})
        return redirect("admin:ledger_payoutrun_change", run.pk)

    def mark_paid_view(self, request, pk: int):
        """Ask for the bank's reference of the bulk transfer, then mark every payout paid."""
        run = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, run):
            raise PermissionDenied
        form = MarkPaidForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.mark_run_paid(
                    run=run,
                    by=request.user,
                    transfer_reference=form.cleaned_data["transfer_reference"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, gettext("%(run)s marked paid; each maker is told.") % {"run": run}
                )
                return redirect("admin:ledger_payoutrun_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": run,
            "run": run,
            "payouts": run.payouts.select_related("shop").order_by("pk"),
            "title": gettext("Mark payout run paid"),
            "form": form,
        }
        return TemplateResponse(request, "admin/ledger/payoutrun/mark_paid.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_start_run": self.has_run_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(ShopCommission)
class ShopCommissionAdmin(admin.ModelAdmin):
    list_display = ["shop", "percent", "note", "updated_at"]
    list_select_related = ["shop"]
    raw_id_fields = ["shop"]
    search_fields = ["shop__name"]

    def get_readonly_fields(self, request, obj=None):
        # A rate belongs to its shop: another shop gets a rate of its own.
        return ["shop"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.set_shop_commission(shop=obj.shop, percent=obj.percent, note=obj.note)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_shop_commissions(shop_ids=[obj.shop_id])

    def delete_queryset(self, request, queryset):
        services.remove_shop_commissions(shop_ids=queryset.values_list("shop_id", flat=True))


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnlyAdmin):
    """Artisans keep their own account in the dashboard; the cooperative only reads it."""

    list_display = ["shop", "bank_name", "account_number", "account_holder", "updated_at"]
    list_select_related = ["shop"]
    search_fields = ["shop__name", "account_holder", "account_number"]
