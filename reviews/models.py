"""Reviews by verified buyers: one per product and one per shop, a reply, and moderation."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from catalog.models import Product
from core.models import acting_user
from orders.models import SubOrder


def review_photo_path(instance: "Review", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"reviews/{secrets.token_hex(12)}.{extension}"


class ReviewQuerySet(models.QuerySet):
    def visible(self):
        """Reviews the public sees: not hidden by the cooperative."""
        return self.filter(is_hidden=False)

    def newest_first(self):
        return self.order_by("-created_at", "-pk")


class Review(models.Model):
    """What a product review and a shop review share: rating, text, photo, reply, moderation."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    suborder = models.ForeignKey(
        SubOrder,
        verbose_name=_("sub-order"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The delivered sub-order that makes the buyer a verified buyer."),
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("review"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), upload_to=review_photo_path, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)
    reply = models.TextField(_("reply from the maker"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = acting_user(_("replied by"))
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = acting_user(_("hidden by"))
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="%(class)s_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""),
                name="%(class)s_hidden_has_reason",
            ),
        ]

    @property
    def author_name(self) -> str:
        """The name shown publicly: the buyer's first name and an initial, never the email."""
        name = (self.buyer.display_name or "").strip()
        if not name:
            return str(_("A buyer"))
        first, *rest = name.split()
        return f"{first} {rest[-1][0]}." if rest else first


class ProductReview(Review):
    """A verified buyer's rating and review of one product."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="reviews"
    )

    class Meta(Review.Meta):
        verbose_name = _("product review")
        verbose_name_plural = _("product reviews")
        constraints = [
            *Review.Meta.constraints,
            models.UniqueConstraint(
                fields=["product", "buyer"], name="product_review_one_per_buyer"
            ),
        ]
        indexes = [models.Index(fields=["product", "is_hidden", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.product} · {self.rating}/5"

    @property
    def shop(self) -> Shop:
        return self.product.shop

    @property
    def subject(self) -> str:
        return self.product.title


class ShopReview(Review):
    """A verified buyer's rating and review of a shop (service, packing, communication)."""

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="reviews"
    )

    class Meta(Review.Meta):
        verbose_name = _("shop review")
        verbose_name_plural = _("shop reviews")
        constraints = [
            *Review.Meta.constraints,
            models.UniqueConstraint(fields=["shop", "buyer"], name="shop_review_one_per_buyer"),
        ]
        indexes = [models.Index(fields=["shop", "is_hidden", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.shop} · {self.rating}/5"

    @property
    def subject(self) -> str:
        return self.shop.name
