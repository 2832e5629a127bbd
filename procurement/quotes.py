"""The cooperative's quote to an institution, its acceptance as one order, and the handover.

The quote's prices are the cooperative's to the institution, one per size; each maker's share
keeps the maker's own price. Accepting it places one order with a sub-order per maker at the
cooperative's prices, each with the margin over the maker's price as its agreed commission: the
maker is credited exactly their own price, and the cooperative keeps the margin.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.phrases import phrase
from core.templatetags.money import format_rupiah
from notifications.services import Delivery, Message, language_of, notify_many
from orders import lifecycle
from orders.down_payments import request_invoice
from orders.locking import only_own_rows
from orders.models import SubOrder
from orders.placement import AgreedLine, AgreedPart, place_agreed_order

from .documents import issue_handover_record, issue_invoice, issue_order_letter
from .models import (
    Allocation,
    Handover,
    InstitutionMember,
    ProcurementRequest,
    Quote,
    QuoteLine,
    QuoteShare,
    Size,
)
from .numbering import next_document_number

R = ProcurementRequest.Status
Q = Quote.Status
SIZE_ORDER = {size: index for index, size in enumerate(Size.values)}
# What the officer may confirm received: sent by the maker, or marked received already.
HANDED_OVER_FROM = (SubOrder.Status.SHIPPED, SubOrder.Status.DELIVERED, SubOrder.Status.COMPLETED)


@dataclass(frozen=True)
class SizeCost:
    """One size of a saved split: how many pieces, the highest maker's price, what they cost."""

    size: str
    quantity: int
    highest_maker_price: int
    cost: int


def costs_of_split(request: ProcurementRequest) -> list[SizeCost]:
    """Per size, what the saved split costs the cooperative (the makers' prices)."""
    by_size: dict[str, list[Allocation]] = {}
    for row in Allocation.objects.filter(offer__request=request).select_related("offer"):
        by_size.setdefault(row.size, []).append(row)
    return [
        SizeCost(
            size=size,
            quantity=sum(row.quantity for row in rows),
            highest_maker_price=max(row.offer.price_per_piece for row in rows),
            cost=sum(row.quantity * row.offer.price_per_piece for row in rows),
        )
        for size, rows in sorted(by_size.items(), key=lambda item: SIZE_ORDER[item[0]])
    ]


def is_above_direct_purchase_cap(amount: int) -> bool:
    """Above Bela Pengadaan's cap on a direct purchase (a warning, never a block)."""
    return amount > settings.PROCUREMENT_DIRECT_PURCHASE_CAP


def _members(institution) -> list[InstitutionMember]:
    return list(institution.members.select_related("user").order_by("pk"))


def _tell_members(*, institution, key: str, build, officers_only: bool = False) -> None:
    """A notice to each member of the institution, in their own language."""
    deliveries = []
    for member in _members(institution):
        if officers_only and member.role != InstitutionMember.Role.OFFICER:
            continue
        language = language_of(member.user)
        with translation.override(language):
            deliveries.append(
                Delivery(
                    key=f"{key}-user-{member.user_id}",
                    message=build(),
                    recipient=member.user,
                    language=language,
                )
            )
    notify_many(deliveries)


def issue_quote(
    *,
    request: ProcurementRequest,
    by,
    prices: Mapping[str, int],
    delivery_date: date,
    valid_until: date,
    down_payment_percent: int = 0,
    note: str = "",
) -> Quote:
    """The cooperative quotes its price per size from the saved split; numbered, once at a time.

    Each size's price must cover the highest maker's price in it, so no maker's part is ever
    sold below what the maker asked.
    """
    today = timezone.localdate()
    with transaction.atomic():
        request = ProcurementRequest.objects.select_for_update().get(pk=request.pk)
        open_quote = request.quotes.filter(status=Q.ISSUED, valid_until__gte=today).first()
        if request.status not in (R.INVITING, R.QUOTED) or open_quote is not None:
            raise ValidationError(_("This request cannot be quoted now."), code="not_quotable")
        costs = costs_of_split(request)
        requested = {row.size: row.quantity for row in request.sizes.all()}
        if {cost.size: cost.quantity for cost in costs} != requested:
            raise ValidationError(_("Save a split that fills the request first."), code="no_split")
        problems = []
        for cost in costs:
            price = int(prices.get(cost.size) or 0)
            if price < cost.highest_maker_price:
                problems.append(
                    _(
                        "Size %(size)s: the price must cover the makers' prices (at least %(price)s)."
                    )
                    % {"size": cost.size, "price": format_rupiah(cost.highest_maker_price)}
                )
        if not 0 <= int(down_payment_percent) <= 100:
            problems.append(_("The down payment is a percentage from 0 to 100."))
        if valid_until < today:
            problems.append(_("The quote must be valid until today or later."))
        if delivery_date < today:
            problems.append(_("The delivery date cannot be in the past."))
        if problems:
            raise ValidationError(problems)
        quote = Quote.objects.create(
            request=request,
            number=next_document_number("SPH"),
            delivery_date=delivery_date,
            valid_until=valid_until,
            down_payment_percent=int(down_payment_percent),
            note=note.strip(),
            issued_by=by,
        )
        QuoteLine.objects.bulk_create(
            QuoteLine(
                quote=quote, size=cost.size, quantity=cost.quantity,
                unit_price=int(prices[cost.size]),
            )
            for cost in costs
        )  # fmt: skip
        QuoteShare.objects.bulk_create(
            QuoteShare(
                quote=quote,
                shop_id=row.offer.shop_id,
                size=row.size,
                quantity=row.quantity,
                maker_price=row.offer.price_per_piece,
            )
            for row in Allocation.objects.filter(offer__request=request)
            .select_related("offer")
            .order_by("offer__shop_id", "pk")
        )
        request.status = R.QUOTED
        request.save(update_fields=["status"])
        total = sum(int(prices[cost.size]) * cost.quantity for cost in costs)

        def build() -> Message:
            return Message(
                kind="quote-issued",
                title=phrase(
                    gettext_noop("The cooperative's quote %(number)s for “%(title)s”: %(total)s"),
                    number=quote.number,
                    title=request.title,
                    total=format_rupiah(total),
                ),
                body=phrase(
                    gettext_noop(
                        "Valid until %(date)s. Your procurement officer can accept or decline it."
                    ),
                    date=valid_until,
                ),
                url=reverse("procurement:quote-detail", args=[quote.pk]),
                email_template="procurement_update",
            )

        _tell_members(institution=request.institution, key=f"quote-{quote.pk}-issued", build=build)
    return quote


def _officer_of(user, quote: Quote) -> InstitutionMember:
    member = InstitutionMember.objects.filter(
        institution_id=quote.request.institution_id, user=user
    ).first()
    if member is None or member.role != InstitutionMember.Role.OFFICER:
        raise ValidationError(
            _("Only the institution's procurement officer may decide on a quote."),
            code="not_officer",
        )
    return member


def _lock_open(quote: Quote) -> Quote:
    quote = (
        Quote.objects.select_for_update(of=only_own_rows())
        .select_related("request")
        .get(pk=quote.pk)
    )
    if quote.status != Q.ISSUED:
        raise ValidationError(_("This quote was already decided."), code="decided")
    return quote


def accept_quote(
    *,
    quote: Quote,
    by,
    payment_method: str,
    channel: str = "",
    address: Mapping[str, str],
) -> Quote:
    """The officer accepts: one order, a sub-order per maker at the cooperative's prices, routed.

    `address` holds the order's address fields (the recipient at the office, their WhatsApp
    number, the regency); the street is the request's delivery address.
    """
    with transaction.atomic():
        quote = _lock_open(quote)
        _officer_of(by, quote)
        if quote.valid_until < timezone.localdate():
            raise ValidationError(
                _("This quote expired on %(date)s; ask the cooperative for a new one.")
                % {"date": date_format(quote.valid_until, "j M Y")},
                code="expired",
            )
        request = quote.request
        prices = {line.size: line.unit_price for line in quote.lines.all()}
        parts: dict[int, list[QuoteShare]] = {}
        for share in quote.shares.select_related("shop").order_by("shop_id", "pk"):
            parts.setdefault(share.shop_id, []).append(share)
        title = request.title[:140]
        lead_time_days = max((quote.delivery_date - timezone.localdate()).days, 1)
        order = place_agreed_order(
            buyer=by,
            email=by.email,
            address={**address, "street": request.delivery_address[:255]},
            payment_method=payment_method,
            channel=channel,
            down_payment_percent=quote.down_payment_percent,
            parts=[
                AgreedPart(
                    shop=shares[0].shop,
                    lines=[
                        AgreedLine(
                            title=title,
                            option_name=str(_("Size %(size)s") % {"size": share.size}),
                            unit_price=prices[share.size],
                            quantity=share.quantity,
                            lead_time_days=lead_time_days,
                        )
                        for share in sorted(shares, key=lambda share: SIZE_ORDER[share.size])
                    ],
                    commission=sum(
                        (prices[share.size] - share.maker_price) * share.quantity
                        for share in shares
                    ),
                )
                for shares in parts.values()
            ],
        )
        quote.status = Q.ACCEPTED
        quote.decided_by = by
        quote.decided_at = timezone.now()
        quote.order = order
        quote.payment_channel = channel
        quote.save(update_fields=["status", "decided_by", "decided_at", "order", "payment_channel"])
        issue_order_letter(quote=quote)
        ProcurementRequest.objects.filter(pk=request.pk).update(status=R.ORDERED)
    return quote


def decline_quote(*, quote: Quote, by, reason: str) -> Quote:
    """The officer declines, saying why; the cooperative may split again and quote anew."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why you decline the quote."), code="reason")
    with transaction.atomic():
        quote = _lock_open(quote)
        _officer_of(by, quote)
        quote.status = Q.DECLINED
        quote.decided_by = by
        quote.decided_at = timezone.now()
        quote.decline_reason = reason
        quote.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        ProcurementRequest.objects.filter(pk=quote.request_id).update(status=R.INVITING)
    return quote


def confirm_handover(*, quote: Quote, by, suborders: Iterable[SubOrder], note: str = "") -> list:
    """The officer received these makers' parts: each is delivered and completed through the
    sub-order's own moves, and once every part is in, the rest of the price is invoiced."""
    with transaction.atomic():
        quote = (
            Quote.objects.select_for_update(of=only_own_rows())
            .select_related("request", "order")
            .get(pk=quote.pk)
        )
        _officer_of(by, quote)
        if quote.status != Q.ACCEPTED or quote.order is None:
            raise ValidationError(_("Only an accepted quote's order is handed over."), code="open")
        order = quote.order
        chosen = list(order.suborders.filter(pk__in=[s.pk for s in suborders]).order_by("pk"))
        if not chosen:
            raise ValidationError(_("Choose what was handed over."), code="none")
        handovers = []
        # The officer is the order's buyer when they accepted it; another officer confirms as
        # the cooperative would, named in the note.
        actor = by if order.buyer_id == by.pk else None
        text = note.strip() or str(
            _("Handover confirmed by %(name)s.") % {"name": by.get_full_name() or by.email}
        )
        for suborder in chosen:
            # Shipped, or already marked received on the order page (or by the sweep).
            if (
                suborder.status not in HANDED_OVER_FROM
                or Handover.objects.filter(suborder=suborder).exists()
            ):
                raise ValidationError(
                    _("%(shop)s has not sent its part yet.") % {"shop": suborder.shop_name},
                    code="not_shipped",
                )
            if suborder.status == SubOrder.Status.SHIPPED:
                lifecycle.transition_suborder(
                    suborder=suborder, to=SubOrder.Status.DELIVERED, by=actor, note=text,
                    as_role="buyer" if actor else None,
                )  # fmt: skip
            if suborder.status != SubOrder.Status.COMPLETED:
                lifecycle.transition_suborder(
                    suborder=suborder, to=SubOrder.Status.COMPLETED, by=None
                )
            handovers.append(
                Handover.objects.create(quote=quote, suborder=suborder, confirmed_by=by, note=text)
            )
        issue_handover_record(quote=quote, handovers=handovers)
        # Every part that came is handed over (a cancelled or declined one never comes).
        waiting = order.suborders.exclude(
            status__in=[SubOrder.Status.CANCELLED, SubOrder.Status.DECLINED]
        ).filter(handover__isnull=True)
        if not waiting.exists():
            invoice = request_invoice(
                order=order, now=timezone.now(), channel=quote.payment_channel
            )
            if invoice is not None:
                issue_invoice(quote=quote, payment=invoice)

                def build() -> Message:
                    return Message(
                        kind="invoice-due",
                        title=phrase(
                            gettext_noop(
                                "Everything for %(number)s is handed over: please pay %(amount)s"
                            ),
                            number=quote.number,
                            amount=format_rupiah(invoice.amount),
                        ),
                        body=phrase(
                            gettext_noop(
                                "By bank transfer or the payment shown on the quote's page, by "
                                "%(date)s."
                            ),
                            date=timezone.localtime(invoice.due_at).date(),
                        ),
                        url=reverse("procurement:quote-detail", args=[quote.pk]),
                        email_template="procurement_update",
                    )

                _tell_members(
                    institution=quote.request.institution,
                    key=f"payment-{invoice.pk}-invoice",
                    build=build,
                    officers_only=True,
                )
    return handovers
