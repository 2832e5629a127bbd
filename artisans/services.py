"""Writes for shops: applying, the cooperative's decisions, vacations and follows."""

import datetime
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.phone import normalize_indonesian_phone

from .models import Shop, ShopEvent, ShopFollow, ShopMember
from .notices import notify_shop_decision
from .signals import shop_changed

# Paths under /toko/ that a shop slug must never shadow.
RESERVED_SLUGS = frozenset({"buka-toko", "diikuti", "jual", "saya"})


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


@transaction.atomic
def submit_application(
    *,
    user,
    name: str,
    district: str,
    address: str,
    whatsapp: str,
    story: str = "",
    photo=None,
    banner=None,
    shop: Shop | None = None,
) -> Shop:
    """Apply to open a shop, or send a rejected application again (`shop`); it waits for review.

    `photo` and `banner` are files already checked by `core.images.validate_and_reencode`.
    """
    if not user.is_authenticated or not has_verified_email(user):
        raise ValidationError(
            _("Please confirm your email address before applying to open a shop."),
            code="email_unverified",
        )
    whatsapp = normalize_indonesian_phone(whatsapp)
    if shop is None:
        open_shops = Shop.objects.filter(
            owner=user, status__in=[Shop.Status.PENDING, Shop.Status.APPROVED]
        )
        if open_shops.exists():
            raise ValidationError(
                _("You already have a shop or an application waiting for review."),
                code="already_applied",
            )
        # Applying again after a rejection edits that application rather than adding a shop.
        shop = Shop.objects.filter(owner=user, status=Shop.Status.REJECTED).first()
    if shop is not None:
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        if shop.owner_id != user.pk:
            raise ValidationError(_("Only the shop's owner can send its application."))
        if shop.status != Shop.Status.REJECTED:
            raise ValidationError(
                _("Only a rejected application can be sent again."), code="invalid_transition"
            )
        action, from_status = ShopEvent.Action.RESUBMITTED, shop.status
    else:
        shop = Shop(owner=user, slug=_unique_slug(name))
        action, from_status = ShopEvent.Action.SUBMITTED, ""

    shop.name = name
    shop.district = district
    shop.address = address
    shop.whatsapp = whatsapp
    shop.story = story
    if photo:
        shop.photo = photo
    if banner:
        shop.banner = banner
    shop.status = Shop.Status.PENDING
    shop.rejection_reason = ""
    try:
        with transaction.atomic():
            shop.save()
    except IntegrityError as error:
        # Two submissions at once: the unique constraint lets only one through.
        raise ValidationError(
            _("You already have a shop or an application waiting for review."),
            code="already_applied",
        ) from error
    ShopMember.objects.get_or_create(shop=shop, user=user, defaults={"role": ShopMember.Role.OWNER})
    _record(shop, actor=user, action=action, from_status=from_status)
    return shop


@transaction.atomic
def approve_shop(*, shop: Shop, by) -> Shop:
    """Open a pending shop to the public and tell its owner (the notice is written here)."""
    shop = _locked(shop)
    if shop.status != Shop.Status.PENDING:
        raise ValidationError(
            _("%(shop)s cannot be approved: it is %(status)s, not waiting for review."),
            code="invalid_transition",
            params={"shop": shop.name, "status": shop.get_status_display()},
        )
    from_status = shop.status
    shop.status = Shop.Status.APPROVED
    shop.approved_at = shop.approved_at or timezone.now()
    shop.rejection_reason = ""
    shop.save(update_fields=["status", "approved_at", "rejection_reason", "updated_at"])
    announce_shop_change([shop.pk])
    event = _record(shop, actor=by, action=ShopEvent.Action.APPROVED, from_status=from_status)
    notify_shop_decision(event=event)
    return shop


@transaction.atomic
def reject_shop(*, shop: Shop, by, reason: str) -> Shop:
    """Turn down a pending application with a reason the applicant will read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give the applicant a reason for the rejection."), code="reason_required"
        )
    shop = _locked(shop)
    if shop.status != Shop.Status.PENDING:
        raise ValidationError(
            _("%(shop)s cannot be rejected: it is %(status)s, not waiting for review."),
            code="invalid_transition",
            params={"shop": shop.name, "status": shop.get_status_display()},
        )
    from_status = shop.status
    shop.status = Shop.Status.REJECTED
    shop.rejection_reason = reason
    shop.save(update_fields=["status", "rejection_reason", "updated_at"])
    announce_shop_change([shop.pk])
    event = _record(
        shop, actor=by, action=ShopEvent.Action.REJECTED, from_status=from_status, note=reason
    )
    notify_shop_decision(event=event)
    return shop


@transaction.atomic
def verify_shop(*, shop: Shop, by) -> Shop:
    """Mark an approved shop as a verified Kutai Timur maker, after the provenance check."""
    shop = _locked(shop)
    if shop.status != Shop.Status.APPROVED:
        raise ValidationError(
            _("%(shop)s must be approved before it can be verified."),
            code="invalid_transition",
            params={"shop": shop.name},
        )
    if shop.is_verified:
        raise ValidationError(
            _("%(shop)s is already verified."), code="already_verified", params={"shop": shop.name}
        )
    shop.is_verified = True
    shop.verified_at = timezone.now()
    shop.save(update_fields=["is_verified", "verified_at", "updated_at"])
    announce_shop_change([shop.pk])
    event = _record(shop, actor=by, action=ShopEvent.Action.VERIFIED, from_status=shop.status)
    notify_shop_decision(event=event)
    return shop


def set_vacation(*, shop: Shop, until: datetime.date | None, message: str = "") -> Shop:
    """Pause orders until a return date; products stay visible with a notice."""
    if shop.status != Shop.Status.APPROVED:
        raise ValidationError(_("Only an approved shop can go on vacation."))
    if until is not None and until < timezone.localdate():
        raise ValidationError(_("The return date must be today or later."), code="past_date")
    shop.is_on_vacation = True
    shop.vacation_until = until
    shop.vacation_message = message.strip()
    shop.save(update_fields=["is_on_vacation", "vacation_until", "vacation_message", "updated_at"])
    announce_shop_change([shop.pk])
    return shop


def end_vacation(*, shop: Shop) -> Shop:
    """Take orders again."""
    shop.is_on_vacation = False
    shop.vacation_until = None
    shop.vacation_message = ""
    shop.save(update_fields=["is_on_vacation", "vacation_until", "vacation_message", "updated_at"])
    announce_shop_change([shop.pk])
    return shop


def end_past_vacations() -> int:
    """End every vacation whose return date has passed; returns how many shops reopened."""
    returning = Shop.objects.filter(is_on_vacation=True, vacation_until__lt=timezone.localdate())
    shop_ids = list(returning.values_list("pk", flat=True))
    reopened = Shop.objects.filter(pk__in=shop_ids).update(
        is_on_vacation=False, vacation_until=None, vacation_message=""
    )
    announce_shop_change(shop_ids)
    return reopened


def follow_shop(*, user, shop: Shop) -> ShopFollow:
    """Follow a public shop (following twice is the same as once)."""
    if not shop.is_public:
        raise ValidationError(_("This shop cannot be followed."))
    follow, _created = ShopFollow.objects.get_or_create(user=user, shop=shop)
    return follow


def unfollow_shop(*, user, shop: Shop) -> None:
    ShopFollow.objects.filter(user=user, shop=shop).delete()


@transaction.atomic
def save_shop(*, shop: Shop) -> Shop:
    """Save a shop's profile or vacation as the cooperative corrected it in the admin."""
    shop.save()
    announce_shop_change([shop.pk])
    return shop


@transaction.atomic
def delete_shops(*, shop_ids: Iterable[int]) -> int:
    """Delete shops with their members, history and listings; returns how many were deleted."""
    ids = sorted({int(pk) for pk in shop_ids})
    deleted = Shop.objects.filter(pk__in=ids).count()
    Shop.objects.filter(pk__in=ids).delete()
    announce_shop_change(ids)
    return deleted


def announce_shop_change(shop_ids: list[int]) -> None:
    """Tell listeners (the catalog's caches and search) after commit that these shops changed."""
    if shop_ids:
        transaction.on_commit(lambda: shop_changed.send(sender=Shop, shop_ids=list(shop_ids)))


def _locked(shop: Shop) -> Shop:
    return Shop.objects.select_for_update().get(pk=shop.pk)


def _record(shop: Shop, *, actor, action: str, from_status: str, note: str = "") -> ShopEvent:
    return ShopEvent.objects.create(
        shop=shop,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=shop.status,
        note=note,
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "toko"
    if base in RESERVED_SLUGS:
        base = f"toko-{base}"
    slug, number = base, 2
    while Shop.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
