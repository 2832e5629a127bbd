"""Writing, answering and moderating reviews; every change recomputes the rating it touches.

A product's and a shop's `rating_average` / `rating_count` are denormalised for cards and pages
that must not query reviews. They are recomputed from the visible reviews (never adjusted by a
delta) inside the same transaction as the change, with the product or shop row locked first, so
two buyers reviewing at once cannot leave a stale figure behind.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from catalog.cache import bump_catalog_version
from catalog.models import Product
from core.images import fit_within, validate_and_reencode
from orders.models import SubOrder

from .models import ProductReview, Review, ShopReview
from .notices import notify_review_hidden, notify_review_replied

# Sub-orders in these states reached the buyer: their buyer is a verified buyer.
REVIEWABLE_STATUSES = (SubOrder.Status.DELIVERED, SubOrder.Status.COMPLETED)
PHOTO_MAX_SIDE = 1600
TWO_PLACES = Decimal("0.01")


def delivered_suborders(buyer):
    """The buyer's sub-orders that were delivered (or completed), newest first."""
    if not buyer.is_authenticated:
        return SubOrder.objects.none()
    return SubOrder.objects.filter(order__buyer=buyer, status__in=REVIEWABLE_STATUSES).order_by(
        "-order__created_at", "-pk"
    )


def _average(queryset) -> tuple[Decimal | None, int]:
    totals = queryset.visible().aggregate(total=Sum("rating"), count=Count("pk"))
    count = totals["count"] or 0
    if not count:
        return None, 0
    average = (Decimal(totals["total"]) / Decimal(count)).quantize(TWO_PLACES, ROUND_HALF_UP)
    return average, count


def recompute_product_rating(*, product_id: int) -> None:
    """Set the product's average and count from its visible reviews."""
    average, count = _average(ProductReview.objects.filter(product_id=product_id))
    Product.objects.filter(pk=product_id).update(rating_average=average, rating_count=count)


def recompute_shop_rating(*, shop_id: int) -> None:
    """Set the shop's average and count from its visible shop reviews."""
    average, count = _average(ShopReview.objects.filter(shop_id=shop_id))
    Shop.objects.filter(pk=shop_id).update(rating_average=average, rating_count=count)


def _recompute(review: Review) -> None:
    if isinstance(review, ProductReview):
        recompute_product_rating(product_id=review.product_id)
    else:
        recompute_shop_rating(shop_id=review.shop_id)


def _lock_subject(review: Review) -> None:
    """Lock the product or shop row: rating changes to one subject happen one at a time."""
    if isinstance(review, ProductReview):
        Product.objects.select_for_update().filter(pk=review.product_id).first()
    else:
        Shop.objects.select_for_update().filter(pk=review.shop_id).first()


# --- who may review -----------------------------------------------------------------------


def verified_suborder_for_product(*, buyer, product: Product) -> SubOrder:
    """The delivered sub-order in which the buyer bought this product, or a readable refusal."""
    suborder = delivered_suborders(buyer).filter(lines__product=product).order_by("pk").first()
    if suborder is None:
        raise ValidationError(
            _("Only buyers who received this batik can review it."), code="not_verified"
        )
    if ProductReview.objects.filter(product=product, buyer=buyer).exists():
        raise ValidationError(_("You have already reviewed this batik."), code="duplicate")
    return suborder


def verified_suborder_for_shop(*, buyer, shop: Shop) -> SubOrder:
    """The delivered sub-order the buyer received from this shop, or a readable refusal."""
    suborder = delivered_suborders(buyer).filter(shop=shop).order_by("pk").first()
    if suborder is None:
        raise ValidationError(
            _("Only buyers who received an order from this shop can review it."),
            code="not_verified",
        )
    if ShopReview.objects.filter(shop=shop, buyer=buyer).exists():
        raise ValidationError(_("You have already reviewed this shop."), code="duplicate")
    return suborder


def _check_rating(rating: int) -> None:
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Choose a rating from 1 to 5 stars.")}, code="rating")


def _clean_photo(photo):
    """Validate and re-encode an uploaded photo (errors are attached to the photo field)."""
    if not photo:
        return None
    try:
        return fit_within(validate_and_reencode(photo), max_side=PHOTO_MAX_SIDE)
    except ValidationError as error:
        raise ValidationError({"photo": error.error_list}) from error


def _save_review(review: Review, photo) -> Review:
    if photo is not None:
        review.photo.save(photo.name, photo, save=False)
    try:
        with transaction.atomic():
            _lock_subject(review)
            review.save()
            _recompute(review)
            transaction.on_commit(bump_catalog_version)
    except IntegrityError as error:
        # Two submissions at once: the unique constraint lets one through.
        if review.photo:
            review.photo.delete(save=False)
        raise ValidationError(
            _("You have already written this review."), code="duplicate"
        ) from error
    return review


def create_product_review(
    *, buyer, product: Product, rating: int, text: str = "", photo=None
) -> ProductReview:
    """A verified buyer rates and reviews a product they received, once."""
    suborder = verified_suborder_for_product(buyer=buyer, product=product)
    _check_rating(rating)
    content = _clean_photo(photo)
    review = ProductReview(
        product=product, buyer=buyer, suborder=suborder, rating=rating, text=text.strip()
    )
    return _save_review(review, content)


def create_shop_review(*, buyer, shop: Shop, rating: int, text: str = "", photo=None) -> ShopReview:
    """A verified buyer rates and reviews a shop they received an order from, once."""
    suborder = verified_suborder_for_shop(buyer=buyer, shop=shop)
    _check_rating(rating)
    content = _clean_photo(photo)
    review = ShopReview(shop=shop, buyer=buyer, suborder=suborder, rating=rating, text=text.strip())
    return _save_review(review, content)


# --- the maker's reply --------------------------------------------------------------------


def reply_to_review(*, review: Review, by, text: str) -> Review:
    """The shop's member answers a review, once; the answer cannot be changed afterwards.

    The reviewer's notice is written in the same transaction; the worker sends its email.
    """
    shop = review.product.shop if isinstance(review, ProductReview) else review.shop
    if not shop.has_member(by):
        raise PermissionDenied("Only the shop's members may reply.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a reply.")}, code="required")
    now = timezone.now()
    with transaction.atomic():
        # One conditional update: of two replies sent at once, only the first is kept.
        updated = (
            type(review)
            .objects.filter(pk=review.pk, replied_at__isnull=True)
            .update(reply=text, replied_at=now, replied_by=by)
        )
        if not updated:
            raise ValidationError(
                _("This review already has your reply; a review is answered once."),
                code="already_replied",
            )
        review.reply, review.replied_at, review.replied_by = text, now, by
        transaction.on_commit(bump_catalog_version)
        notify_review_replied(review=review)
    return review


# --- moderation ---------------------------------------------------------------------------


def hide_review(*, review: Review, by, reason: str) -> Review:
    """The cooperative hides a review with a reason; the reviewer's notice is written with it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for hiding this review."), code="required")
    with transaction.atomic():
        _lock_subject(review)
        review = type(review).objects.select_for_update().get(pk=review.pk)
        if review.is_hidden:
            raise ValidationError(_("This review is already hidden."), code="already_hidden")
        review.is_hidden = True
        review.hidden_reason = reason
        review.hidden_by = by
        review.hidden_at = timezone.now()
        review.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        _recompute(review)
        transaction.on_commit(bump_catalog_version)
        notify_review_hidden(review=review)
    return review


def unhide_review(*, review: Review, by) -> Review:
    """Show a hidden review again; it counts in the averages again."""
    with transaction.atomic():
        _lock_subject(review)
        review = type(review).objects.select_for_update().get(pk=review.pk)
        if not review.is_hidden:
            raise ValidationError(_("This review is not hidden."), code="not_hidden")
        review.is_hidden = False
        review.hidden_reason = ""
        review.hidden_by = None
        review.hidden_at = None
        review.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        _recompute(review)
        transaction.on_commit(bump_catalog_version)
    return review


def review_kind(review: Review) -> str:
    return "product" if isinstance(review, ProductReview) else "shop"


def review_model(kind: str) -> type[Review]:
    return {"product": ProductReview, "shop": ShopReview}[kind]
