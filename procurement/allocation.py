"""Splitting an institution's request among the makers' offers.

The proposal fills each size from the offers in turns, one piece at a time, so the work spreads
fairly across makers; offers within the budget and deliverable earliest take their turn first,
and no offer ever gets more of a size than it offered. The cooperative can change any number
before it is saved, and a saved split must fill the request exactly within every offer.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Allocation, Offer, ProcurementRequest, Size

Split = dict[int, dict[str, int]]  # offer id -> size -> pieces


@dataclass(frozen=True)
class OfferTerms:
    offer_id: int
    price_per_piece: int
    delivery_date: object
    sizes: Mapping[str, int]


def propose_split(
    *, requested: Mapping[str, int], offers: list[OfferTerms], budget_per_piece: int
) -> Split:
    """A fair split of `requested` among `offers`; sizes nobody offered stay short."""
    order = sorted(
        offers,
        key=lambda terms: (
            terms.price_per_piece > budget_per_piece,
            terms.delivery_date,
            terms.offer_id,
        ),
    )
    split: Split = {terms.offer_id: {} for terms in offers}
    for size in Size.values:
        wanted = requested.get(size, 0)
        while wanted:
            gave = False
            for terms in order:
                if not wanted:
                    break
                taken = split[terms.offer_id].get(size, 0)
                if taken < terms.sizes.get(size, 0):
                    split[terms.offer_id][size] = taken + 1
                    wanted -= 1
                    gave = True
            if not gave:
                break  # every offer is full for this size
    return {offer_id: sizes for offer_id, sizes in split.items() if sizes}


def terms_of(request: ProcurementRequest) -> list[OfferTerms]:
    offers = request.offers.filter(status=Offer.Status.ACTIVE).prefetch_related("sizes")
    return [
        OfferTerms(
            offer_id=offer.pk,
            price_per_piece=offer.price_per_piece,
            delivery_date=offer.delivery_date,
            sizes={row.size: row.quantity for row in offer.sizes.all()},
        )
        for offer in offers
    ]


def requested_of(request: ProcurementRequest) -> dict[str, int]:
    return {row.size: row.quantity for row in request.sizes.all()}


def save_split(*, request: ProcurementRequest, split: Split) -> list[Allocation]:
    """Keep the cooperative's split, replacing any earlier one; refused unless it fills the
    request exactly and stays within every offer."""
    terms = {item.offer_id: item for item in terms_of(request)}
    problems = []
    for offer_id, sizes in split.items():
        offered = terms.get(offer_id)
        if offered is None:
            problems.append(_("An offer in the split was withdrawn or is not for this request."))
            continue
        for size, quantity in sizes.items():
            if quantity > offered.sizes.get(size, 0):
                problems.append(
                    _("%(shop)s offered %(offered)s of size %(size)s, not %(quantity)s.")
                    % {
                        "shop": Offer.objects.get(pk=offer_id).shop.name,
                        "offered": offered.sizes.get(size, 0),
                        "size": size,
                        "quantity": quantity,
                    }
                )
    for size, wanted in requested_of(request).items():
        given = sum(sizes.get(size, 0) for sizes in split.values())
        if given != wanted:
            problems.append(
                _("Size %(size)s: %(given)s allocated, %(wanted)s requested.")
                % {"size": size, "given": given, "wanted": wanted}
            )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        Allocation.objects.filter(offer__request=request).delete()
        return Allocation.objects.bulk_create(
            [
                Allocation(offer_id=offer_id, size=size, quantity=quantity)
                for offer_id, sizes in split.items()
                for size, quantity in sizes.items()
                if quantity
            ]
        )
