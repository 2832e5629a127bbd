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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orders.forms import TransferProofForm
from orders.how_to_pay import cooperative_bank_account
from orders.models import Payment, SubOrder
from orders.payments.common import payment_is_due

from . import documents, quotes, selectors, services
from .forms import QuoteAcceptForm, QuoteDeclineForm, RequestForm
from .models import Document, InstitutionMember, ProcurementRequest, Quote


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
        "documents": list(quote.documents.all()),
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


# --- the printable documents ---
DOCUMENT_TEMPLATES = {
    Document.Kind.ORDER: "procurement/document_order_letter.html",
    Document.Kind.INVOICE: "procurement/document_invoice.html",
    Document.Kind.RECEIPT: "procurement/document_receipt.html",
    Document.Kind.HANDOVER: "procurement/document_handover_record.html",
}


def _readable_quote(user, quote_id: int) -> Quote:
    """A quote whose documents the user may read: a member of its institution, or the
    cooperative's staff; anyone else (a maker) is told it does not exist."""
    quotes_ = Quote.objects.select_related("request__institution", "order", "decided_by")
    if not (user.is_staff and user.has_perm("procurement.view_quote")):
        quotes_ = quotes_.for_institution(_membership(user).institution)
    return get_object_or_404(quotes_, pk=quote_id)


def _letterhead() -> dict[str, str]:
    return {
        "name": settings.COOPERATIVE_NAME,
        "address": settings.COOPERATIVE_ADDRESS,
        "city": settings.COOPERATIVE_CITY,
        "phone": settings.COOPERATIVE_PHONE,
        "email": settings.COOPERATIVE_EMAIL,
        "npwp": settings.COOPERATIVE_NPWP,
        "signatory_name": settings.COOPERATIVE_SIGNATORY_NAME,
        "signatory_title": settings.COOPERATIVE_SIGNATORY_TITLE,
    }


def _back_url(user, quote: Quote) -> str:
    if InstitutionMember.objects.filter(
        user=user, institution_id=quote.request.institution_id
    ).exists():
        return reverse("procurement:quote-detail", args=[quote.pk])
    return reverse("admin:procurement_quote_change", args=[quote.pk])


@login_required
def quote_letter(request, pk: int):
    """The quote as the cooperative's letter (surat penawaran harga), to print."""
    quote = _readable_quote(request.user, pk)
    summary = selectors.quote_summary(quote)
    return render(
        request,
        "procurement/document_quote_letter.html",
        {
            "quote": quote,
            "item": quote.request,
            "summary": summary,
            "words": documents.amount_in_words(summary.total),
            "down_payment": selectors.down_payment_of(quote),
            "letterhead": _letterhead(),
            "back_url": _back_url(request.user, quote),
            "dated": timezone.localtime(quote.issued_at),
        },
    )


@login_required
def document_detail(request, pk: int):
    """One of a quote's documents (order letter, invoice, receipt, handover record), to print."""
    document = get_object_or_404(Document.objects.select_related("payment"), pk=pk)
    quote = _readable_quote(request.user, document.quote_id)
    order = quote.order
    summary = selectors.quote_summary(quote)
    context = {
        "document": document,
        "quote": quote,
        "item": quote.request,
        "order": order,
        "summary": summary,
        "words": documents.amount_in_words(document.amount),
        "letterhead": _letterhead(),
        "back_url": _back_url(request.user, quote),
        "dated": timezone.localtime(document.issued_at),
        "order_letter": quote.documents.filter(kind=Document.Kind.ORDER).first(),
    }
    if document.kind == Document.Kind.INVOICE:
        context |= {
            "pay_to": documents.pay_to(document.payment),
            "down_payment_paid": selectors.amounts_paid(order).down_payment_paid
            if document.payment.purpose == Payment.Purpose.INVOICE
            else 0,
        }
    if document.kind == Document.Kind.HANDOVER:
        parts = selectors.handed_over_in(document)
        officer = document.handovers.select_related("confirmed_by").first().confirmed_by
        context |= {
            "parts": parts,
            "quantity": sum(part.quantity for part in parts),
            "officer": officer.get_full_name() or officer.email if officer else "",
        }
    return render(request, DOCUMENT_TEMPLATES[document.kind], context)
