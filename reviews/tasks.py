"""Background jobs for reviews: telling a reviewer that their review was hidden or answered."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import Message, language_of, notify
from notifications.tasks import notice_task

from .models import ProductReview, ShopReview

_MODELS = {"product": ProductReview, "shop": ShopReview}


@notice_task
def notify_review_hidden_task(review_kind: str, review_id: int) -> None:
    """Tell the buyer, on the site and by email, that their review was hidden and why.

    Safe to run twice: the key names the review and the moment it was hidden, so one message is
    sent per hiding; a review shown again in the meantime is not reported.
    """
    model = _MODELS.get(review_kind)
    if model is None:
        return
    related = "product" if review_kind == "product" else "shop"
    review = model.objects.select_related("buyer", related).filter(pk=review_id).first()
    if review is None or not review.is_hidden or review.hidden_at is None:
        return
    buyer = review.buyer
    with translation.override(language_of(buyer)):
        title = _("Your review of %(subject)s was hidden") % {"subject": review.subject}
        body = _("The cooperative hid your review. Reason: %(reason)s") % {
            "reason": review.hidden_reason
        }
        notify(
            key=f"review-hidden-{review_kind}-{review.pk}-{review.hidden_at.timestamp():.0f}",
            message=Message(
                kind="review-hidden",
                title=title,
                body=body,
                url=reverse("reviews:to-review"),
                email_template="review_hidden",
                context={
                    "buyer": str(buyer),
                    "subject": review.subject,
                    "reason": review.hidden_reason,
                },
            ),
            recipient=buyer,
        )


@notice_task
def notify_review_replied_task(review_kind: str, review_id: int) -> None:
    """Tell the buyer, on the site and by email, that the shop answered their review.

    Safe to run twice: a review is answered once, so its key names the review alone.
    """
    model = _MODELS.get(review_kind)
    if model is None:
        return
    related = "product__shop" if review_kind == "product" else "shop"
    review = (
        model.objects.select_related("buyer", related)
        .filter(pk=review_id, replied_at__isnull=False)
        .first()
    )
    if review is None:
        return
    buyer = review.buyer
    shop = review.product.shop if review_kind == "product" else review.shop
    subject_page = review.product if review_kind == "product" else shop
    with translation.override(language_of(buyer)):
        notify(
            key=f"review-replied-{review_kind}-{review.pk}",
            message=Message(
                kind="review-replied",
                title=(
                    _("%(shop)s answered your review of %(subject)s")
                    % {"shop": shop.name, "subject": review.subject}
                    if review_kind == "product"
                    else _("%(shop)s answered your review") % {"shop": shop.name}
                ),
                body=review.reply,
                url=f"{subject_page.get_absolute_url()}#reviews",
                email_template="review_replied",
                context={
                    "buyer": str(buyer),
                    "shop_name": shop.name,
                    "subject": review.subject,
                    "reply": review.reply,
                },
            ),
            recipient=buyer,
        )
