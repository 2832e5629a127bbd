"""Writes of the institutional flow: verifying institutions, requests, invitations and offers."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from core import links
from notifications import whatsapp
from notifications.services import Delivery, Message, language_of, notify_many
from orders.notices import maker_phone

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


# A maker fits a request's size when they can make at least this share of it by the date.
FITTING_SHARE = 10  # a tenth: the cooperative splits bigger requests among several makers


def pieces_by(shop: Shop, day: date) -> int | None:
    """How many made-to-order pieces the shop says it makes from today to `day`; None: unstated."""
    if shop.weekly_capacity is None:
        return None
    weeks = max((day - timezone.localdate()).days, 0) // 7
    return shop.weekly_capacity * weeks


def suggested_makers(request: ProcurementRequest):
    """Verified Kutai Timur makers whose motifs, technique and capacity fit the request.

    A maker who states no capacity is not left out for it: the offer says what they can make.
    """
    shops = Shop.objects.verified()
    motifs = list(request.motifs.values_list("pk", flat=True))
    if motifs:
        shops = shops.filter(products__motifs__in=motifs)
    if request.technique_id:
        shops = shops.filter(products__technique=request.technique_id)
    total = sum(row.quantity for row in request.sizes.all())
    weeks = max((request.needed_by - timezone.localdate()).days, 0) // 7
    if total:
        needed = -(-total // FITTING_SHARE)  # pieces by the date, rounded up
        per_week = -(-needed // weeks) if weeks else None
        capacity = Q(weekly_capacity__isnull=True)
        if per_week is not None:
            capacity |= Q(weekly_capacity__gte=per_week)
        shops = shops.filter(capacity)
    return shops.distinct().order_by("name")


def invite_makers(*, request: ProcurementRequest, shops: Iterable[Shop], by) -> list[Invitation]:
    """The cooperative asks these makers to offer; once per maker, each told once."""
    if request.status not in (R.SUBMITTED, R.INVITING):
        raise ValidationError(_("This request is not open for offers."), code="not_open")
    shops = list(shops)
    verified = set(
        Shop.objects.verified()
        .filter(pk__in=[shop.pk for shop in shops])
        .values_list("pk", flat=True)
    )
    if any(shop.pk not in verified for shop in shops):
        raise ValidationError(
            _("Only verified Kutai Timur makers can be invited."), code="not_verified"
        )
    with transaction.atomic():
        invitations = []
        new = []
        for shop in shops:
            invitation, created = Invitation.objects.get_or_create(
                request=request, shop=shop, defaults={"invited_by": by}
            )
            invitations.append(invitation)
            if created:
                new.append(invitation)
        if request.status != R.INVITING:
            request.status = R.INVITING
            request.save(update_fields=["status"])
        notify_many(invitation_deliveries(request=request, invitations=new))
    return invitations


def invitation_deliveries(
    *, request: ProcurementRequest, invitations: list[Invitation]
) -> list[Delivery]:
    """A notice to every member of each invited shop, in their language, on WhatsApp too where
    the invitation's template is set up."""
    total = sum(row.quantity for row in request.sizes.all())
    on_whatsapp = whatsapp.is_configured(whatsapp.INVITATION)
    deliveries = []
    for invitation in invitations:
        shop = invitation.shop
        for membership in shop.memberships.select_related("user"):
            user = membership.user
            language = language_of(user)
            with translation.override(language):
                url = links.url("shop-procurement-offer", request.pk)
                needed_by = date_format(request.needed_by, "j M Y")
                message = Message(
                    kind="procurement-invitation",
                    title=_("%(institution)s asks for %(count)s × %(type)s: will you offer?")
                    % {
                        "institution": request.institution.name,
                        "count": total,
                        "type": request.product_type.name,
                    },
                    body=_(
                        "“%(title)s”, needed by %(date)s. Offer how many pieces you can make "
                        "by then and at what price; the cooperative splits the work among makers."
                    )
                    % {"title": request.title, "date": needed_by},
                    url=url,
                    email_template="procurement_update",
                    # The approved template's body: shop, institution, pieces, needed by, link.
                    whatsapp_kind=whatsapp.INVITATION,
                    whatsapp_parameters=(
                        shop.name,
                        request.institution.name,
                        str(total),
                        needed_by,
                        settings.SITE_URL + url,
                    ),
                )
            deliveries.append(
                Delivery(
                    key=f"request-{request.pk}-invitation-shop-{shop.pk}-user-{user.pk}",
                    message=message,
                    recipient=user,
                    language=language,
                    phone=maker_phone(user=user, shop=shop) if on_whatsapp else "",
                )
            )
    return deliveries


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
