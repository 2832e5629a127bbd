"""The institution's pages: its requests, drafting one, sending or withdrawing it.

Only members of the institution see its requests and quotes; makers' prices never appear here,
only the cooperative's quote. Staff view; only the procurement officer accepts or declines.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orders.forms import TransferProofForm
from orders.how_to_pay import cooperative_bank_account
from orders.models import Payment, SubOrder
from orders.payments.common import payment_is_due

from . import quotes, selectors, services
from .forms import QuoteAcceptForm, QuoteDeclineForm, RequestForm
from .models import InstitutionMember, ProcurementRequest, Quote


def _membership(user) -> InstitutionMember:
    membership = InstitutionMember.objects.select_related("institution").filter(user=user).first()
    if membership is None:
        raise Http404
    return membership


def _own_request(user, pk: int) -> ProcurementRequest:
    membership = _membership(user)
    return get_object_or_404(
        ProcurementRequest.objects.prefetch_related("sizes", "motifs"),
        pk=pk,
        institution=membership.institution,
    )


@login_required
def request_list(request):
    membership = _membership(request.user)
    requests = membership.institution.requests.prefetch_related("sizes")
    return render(
        request,
        "procurement/request_list.html",
        {"institution": membership.institution, "membership": membership, "requests": requests},
    )


@login_required
def request_create(request):
    membership = _membership(request.user)
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            draft = form.save(commit=False)
            draft.institution = membership.institution
            draft.created_by = request.user
            draft.save()
            form.save_m2m()
            services.set_sizes(request=draft, counts=form.size_counts(), staff=form.staff)
        messages.success(request, _("Draft saved. Check it, then send it to the cooperative."))
        return redirect("procurement:request-detail", pk=draft.pk)
    return render(
        request,
        "procurement/request_form.html",
        {"institution": membership.institution, "form": form},
    )


@login_required
def request_detail(request, pk: int):
    draft = _own_request(request.user, pk)
    return render(
        request,
        "procurement/request_detail.html",
        {
            "item": draft,
            "sizes": list(draft.sizes.all()),
            "total": sum(row.quantity for row in draft.sizes.all()),
            "staff_count": draft.staff.count(),
            "is_verified": draft.institution.is_verified,
            "quotes": list(draft.quotes.all()),
            "is_above_cap": quotes.is_above_direct_purchase_cap(
                draft.budget_per_piece * sum(row.quantity for row in draft.sizes.all())
            ),
            "cap": settings.PROCUREMENT_DIRECT_PURCHASE_CAP,
        },
    )


@require_POST
@login_required
def request_submit(request, pk: int):
    draft = _own_request(request.user, pk)
    try:
        services.submit_request(request=draft, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent. The cooperative will invite makers and send a quote."))
    return redirect("procurement:request-detail", pk=draft.pk)


@require_POST
@login_required
def request_withdraw(request, pk: int):
    draft = _own_request(request.user, pk)
    services.withdraw_request(request=draft, by=request.user)
    messages.info(request, _("The request is withdrawn."))
    return redirect("procurement:request-detail", pk=draft.pk)


def _own_quote(user, pk: int) -> tuple[Quote, InstitutionMember]:
    membership = _membership(user)
    quote = get_object_or_404(
        Quote.objects.for_institution(membership.institution).select_related(
            "request__institution", "order"
        ),
        pk=pk,
    )
    return quote, membership


def _render_quote(request, quote: Quote, membership, *, accept_form=None, decline_form=None):
    summary = selectors.quote_summary(quote)
    order = quote.order
    context = {
        "quote": quote,
        "item": quote.request,
        "summary": summary,
        "is_officer": membership.role == InstitutionMember.Role.OFFICER,
        "is_above_cap": quotes.is_above_direct_purchase_cap(summary.total),
        "cap": settings.PROCUREMENT_DIRECT_PURCHASE_CAP,
        "accept_form": accept_form
        or QuoteAcceptForm(initial={"recipient": request.user.get_full_name()}),
        "decline_form": decline_form or QuoteDeclineForm(),
        "order": order,
    }
    if order is not None:
        payments = list(order.payments.exclude(status=Payment.Status.CANCELLED).order_by("pk"))
        context |= {
            "suborders": list(order.suborders.prefetch_related("lines").order_by("shop_name")),
            "payments": payments,
            "due": [p for p in payments if payment_is_due(order, p)],
            "paid": selectors.amounts_paid(order),
            "bank": cooperative_bank_account(),
            "is_buyer": order.buyer_id == request.user.pk,
            "proof_form": TransferProofForm(),
            "handed_over_ids": {part.suborder.pk for part in selectors.delivered_parts(order)},
            "handover_from": quotes.HANDED_OVER_FROM,
        }
    return render(request, "procurement/quote_detail.html", context)


@login_required
def quote_detail(request, pk: int):
    quote, membership = _own_quote(request.user, pk)
    return _render_quote(request, quote, membership)


@require_POST
@login_required
def quote_accept(request, pk: int):
    quote, membership = _own_quote(request.user, pk)
    form = QuoteAcceptForm(request.POST)
    if form.is_valid():
        try:
            quotes.accept_quote(
                quote=quote,
                by=request.user,
                payment_method=form.cleaned_data["payment_method"],
                channel=form.cleaned_data["channel"],
                address=form.address(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Accepted. The makers have the order; the cooperative will keep you posted."),
            )
            return redirect("procurement:quote-detail", pk=quote.pk)
    return _render_quote(request, quote, membership, accept_form=form)


@require_POST
@login_required
def quote_decline(request, pk: int):
    quote, membership = _own_quote(request.user, pk)
    form = QuoteDeclineForm(request.POST)
    if form.is_valid():
        try:
            quotes.decline_quote(quote=quote, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.info(request, _("The quote is declined; the cooperative has your reason."))
            return redirect("procurement:quote-detail", pk=quote.pk)
    return _render_quote(request, quote, membership, decline_form=form)


@require_POST
@login_required
def quote_handover(request, pk: int):
    quote, _membership_ = _own_quote(request.user, pk)
    ids = [int(value) for value in request.POST.getlist("suborder") if value.isdigit()]
    try:
        quotes.confirm_handover(
            quote=quote,
            by=request.user,
            suborders=SubOrder.objects.filter(order_id=quote.order_id, pk__in=ids),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Handover confirmed. Thank you."))
    return redirect("procurement:quote-detail", pk=quote.pk)
