"""What reviewers are told: their review was hidden or answered, in their language, once per key."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from core.phrases import phrase
from notifications.services import Message, language_of, notify

from .models import ProductReview, Review


def notify_review_hidden(*, review: Review) -> None:
    """Tell the buyer, on the site and by email, that their review was hidden and why.

    Written in the caller's transaction; the key names the review and the moment it was hidden.
    """
    kind = "product" if isinstance(review, ProductReview) else "shop"
    buyer = review.buyer
    with translation.override(language_of(buyer)):
        title = phrase(
            gettext_noop("Your review of %(subject)s was hidden"), subject=str(review.subject)
        )
        body = phrase(
            gettext_noop("The cooperative hid your review. Reason: %(reason)s"),
            reason=review.hidden_reason,
        )
        notify(
            key=f"review-hidden-{kind}-{review.pk}-{review.hidden_at.timestamp():.0f}",
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


def notify_review_replied(*, review: Review) -> None:
    """Tell the buyer, on the site and by email, that the shop answered their review.

    Written in the caller's transaction; a review is answered once, so its key names the review.
    """
    is_product = isinstance(review, ProductReview)
    kind = "product" if is_product else "shop"
    buyer = review.buyer
    shop = review.product.shop if is_product else review.shop
    subject_page = review.product if is_product else shop
    with translation.override(language_of(buyer)):
        notify(
            key=f"review-replied-{kind}-{review.pk}",
            message=Message(
                kind="review-replied",
                title=(
                    phrase(
                        gettext_noop("%(shop)s answered your review of %(subject)s"),
                        shop=shop.name,
                        subject=str(review.subject),
                    )
                    if is_product
                    else phrase(gettext_noop("%(shop)s answered your review"), shop=shop.name)
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
