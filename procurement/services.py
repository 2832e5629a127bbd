"""Writes of the institutional flow: verifying institutions, requests, invitations and offers."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop

from .models import (
    Institution,
    InstitutionMember,
    Invitation,
    Offer,
    OfferedSize,
    ProcurementRequest,
    RequestedSize,
    StaffMember,
)
from .staff_list import StaffList

R = ProcurementRequest.Status


def verify_institution(*, institution: Institution, by) -> Institution:
    """The cooperative checked the institution (its letter, its domain): it may now request."""
    if institution.verified_at is None:
        institution.verified_at = timezone.now()
        institution.verified_by = by
        institution.save(update_fields=["verified_at", "verified_by"])
    return institution


def member_of(user, institution: Institution) -> InstitutionMember | None:
    if not user.is_authenticated:
        return None
    return InstitutionMember.objects.filter(institution=institution, user=user).first()


def set_sizes(
    *, request: ProcurementRequest, counts: Mapping[str, int], staff: StaffList | None = None
) -> None:
    """How many of each size the draft asks for: typed counts, or a staff list's (kept for
    the packing lists)."""
    if request.status != R.DRAFT:
        raise ValidationError(_("Only a draft can be changed."), code="not_draft")
    if staff is not None:
        counts = staff.counts
    counts = {size: int(quantity) for size, quantity in counts.items() if int(quantity) > 0}
    if not counts:
        raise ValidationError(_("Ask for at least one piece."), code="no_sizes")
    with transaction.atomic():
        request.sizes.all().delete()
        RequestedSize.objects.bulk_create(
            RequestedSize(request=request, size=size, quantity=quantity)
            for size, quantity in counts.items()
        )
        request.staff.all().delete()
        if staff is not None:
            StaffMember.objects.bulk_create(
                StaffMember(
                    request=request, row=row.row, name=row.name, unit=row.unit, size=row.size
                )
                for row in staff.rows
            )


def submit_request(*, request: ProcurementRequest, by) -> ProcurementRequest:
    """A member sends the draft to the cooperative; the institution must be verified."""
    if member_of(by, request.institution) is None:
        raise ValidationError(_("You may not change this request."), code="not_member")
    if not request.institution.is_verified:
        raise ValidationError(
            _("The cooperative has not verified your institution yet."), code="not_verified"
        )
    if request.status != R.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."), code="not_draft")
    if not request.sizes.exists():
        raise ValidationError(_("Ask for at least one piece."), code="no_sizes")
    if request.needed_by <= timezone.localdate():
        raise ValidationError(_("The date needed must be in the future."), code="needed_by")
    request.status = R.SUBMITTED
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at"])
    return request


def withdraw_request(*, request: ProcurementRequest, by) -> ProcurementRequest:
    if member_of(by, request.institution) is None:
        raise ValidationError(_("You may not change this request."), code="not_member")
    if request.status == R.WITHDRAWN:
        return request
    request.status = R.WITHDRAWN
    request.withdrawn_at = timezone.now()
    request.save(update_fields=["status", "withdrawn_at"])
    return request


def suggested_makers(request: ProcurementRequest):
    """Verified Kutai Timur makers whose motifs or techniques fit the request."""
    shops = Shop.objects.verified()
    motifs = list(request.motifs.values_list("pk", flat=True))
    if motifs:
        shops = shops.filter(products__motifs__in=motifs)
    if request.technique_id:
        shops = shops.filter(products__technique=request.technique_id)
    return shops.distinct().order_by("name")


def invite_makers(*, request: ProcurementRequest, shops: Iterable[Shop], by) -> list[Invitation]:
    """The cooperative asks these makers to offer; once per maker."""
    if request.status not in (R.SUBMITTED, R.INVITING):
        raise ValidationError(_("This request is not open for offers."), code="not_open")
    with transaction.atomic():
        invitations = [
            Invitation.objects.get_or_create(
                request=request, shop=shop, defaults={"invited_by": by}
            )[0]
            for shop in shops
        ]
        if request.status != R.INVITING:
            request.status = R.INVITING
            request.save(update_fields=["status"])
    return invitations


def submit_offer(
    *,
    request: ProcurementRequest,
    shop: Shop,
    by,
    price_per_piece: int,
    delivery_date: date,
    sizes: Mapping[str, int],
) -> Offer:
    """An invited maker offers (or revises an offer): pieces per size, price, date."""
    if not shop.has_member(by):
        raise ValidationError(_("You may not offer for this shop."), code="not_member")
    if not Invitation.objects.filter(request=request, shop=shop).exists():
        raise ValidationError(_("This request did not invite your shop."), code="not_invited")
    if request.status != R.INVITING:
        raise ValidationError(_("This request is not open for offers."), code="not_open")
    if request.offers_due_at and timezone.now() > request.offers_due_at:
        raise ValidationError(_("The time to offer has passed."), code="too_late")
    sizes = {size: int(quantity) for size, quantity in sizes.items() if int(quantity) > 0}
    if not sizes:
        raise ValidationError(_("Offer at least one piece."), code="no_sizes")
    if price_per_piece <= 0:
        raise ValidationError(_("Give a price per piece."), code="price")
    with transaction.atomic():
        offer, _created = Offer.objects.update_or_create(
            request=request,
            shop=shop,
            defaults={
                "price_per_piece": price_per_piece,
                "delivery_date": delivery_date,
                "status": Offer.Status.ACTIVE,
            },
        )
        offer.sizes.all().delete()
        OfferedSize.objects.bulk_create(
            OfferedSize(offer=offer, size=size, quantity=quantity)
            for size, quantity in sizes.items()
        )
    return offer


def withdraw_offer(*, offer: Offer, by) -> Offer:
    if not offer.shop.has_member(by):
        raise ValidationError(_("You may not offer for this shop."), code="not_member")
    quoted = ProcurementRequest.objects.filter(
        pk=offer.request_id, status__in=[R.QUOTED, R.ORDERED]
    )
    if quoted.exists():
        # The cooperative quoted the institution on it: the maker's part is promised.
        raise ValidationError(
            _("The cooperative has quoted on your offer; ask it before withdrawing."),
            code="quoted",
        )
    offer.status = Offer.Status.WITHDRAWN
    offer.save(update_fields=["status", "updated_at"])
    offer.allocations.all().delete()
    return offer
