"""The artisan's money: balance, ledger, payouts and the bank account, for their own shop only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ledger import exports, selectors, services
from ledger.forms import PayoutAccountForm, PayoutRequestForm
from ledger.models import LedgerEntry, Payout, PayoutAccount

from .access import shop_member_required

PAGE_SIZE = 25


@shop_member_required
def finance(request, shop):
    account = PayoutAccount.objects.filter(shop=shop).first()
    entries = (
        LedgerEntry.objects.of_shop(shop)
        .select_related("suborder__order")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    percent = services.commission_percent_for(shop)
    pipeline = selectors.money_pipeline(shop, percent=percent)
    context = {
        "shop": shop,
        # What may be paid out now; held sales show in the pipeline, not here.
        "balance": pipeline.available,
        "pipeline": pipeline,
        "percent": percent,
        "page": page,
        "payouts": list(Payout.objects.filter(shop=shop).order_by("-requested_at", "-pk")[:20]),
        "account": account,
        "payout_form": PayoutRequestForm(),
    }
    return render(request, "dashboard/finance.html", context)


@require_POST
@shop_member_required
def payout_request(request, shop):
    form = PayoutRequestForm(request.POST)
    if form.is_valid():
        try:
            payout = services.request_payout(
                shop=shop, by=request.user, amount=form.cleaned_data["amount"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Payout requested. The cooperative transfers it and tells you when it is done."),
            )
            return redirect("dashboard:payout-detail", pk=payout.pk)
    else:
        messages.error(request, " ".join(form.errors.get("amount", [])))
    return redirect("dashboard:finance")


@shop_member_required
def payout_detail(request, shop, pk: int):
    payout = get_object_or_404(Payout, pk=pk, shop=shop)
    return render(request, "dashboard/payout_detail.html", {"shop": shop, "payout": payout})


@require_POST
@shop_member_required
def payout_cancel(request, shop, pk: int):
    payout = get_object_or_404(Payout, pk=pk, shop=shop)
    try:
        services.cancel_payout(payout=payout, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Payout request cancelled. The amount is back in your balance.")
        )
    return redirect("dashboard:payout-detail", pk=payout.pk)


@shop_member_required
def payout_account(request, shop):
    account = PayoutAccount.objects.filter(shop=shop).first()
    form = PayoutAccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        services.save_payout_account(shop=shop, **form.cleaned_data)
        messages.success(request, _("Bank account saved."))
        return redirect("dashboard:finance")
    return render(request, "dashboard/payout_account_form.html", {"shop": shop, "form": form})


@shop_member_required
def ledger_csv(request, shop):
    stamp = timezone.localdate().isoformat()
    response, writer = exports.csv_response(f"ledger-{shop.slug}-{stamp}.csv")
    exports.write_shop_ledger(writer, exports.shop_entries(shop))
    return response
