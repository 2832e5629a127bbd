"""Background jobs for the catalog: telling an artisan the cooperative hid or showed a listing."""

from collections.abc import Callable

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import Message, language_of, notify
from notifications.tasks import notice_task

from .models import Product


@notice_task
def notify_product_hidden_task(product_id: int) -> None:
    """Tell the shop's owner, on the site and by email in their language, why a listing is hidden.

    Safe to run twice: the key is unique per hiding (its time), so one message is sent; returns
    early when the listing is gone or was shown again meanwhile.
    """
    product = (
        Product.objects.select_related("shop__owner")
        .filter(pk=product_id, is_hidden=True, hidden_at__isnull=False)
        .first()
    )
    if product is None:
        return
    _tell_owner(
        product,
        key=f"product-{product.pk}-hidden-{product.hidden_at.timestamp():.0f}",
        message=lambda context: Message(
            kind="product-hidden",
            title=_("Your listing “%(title)s” was hidden by the cooperative")
            % {"title": product.title},
            body=_("Reason: %(reason)s") % {"reason": product.hidden_reason},
            url=reverse("dashboard:listing-list"),
            email_template="product_hidden",
            context={**context, "reason": product.hidden_reason},
        ),
    )


@notice_task
def notify_product_shown_task(product_id: int, shown_at: int) -> None:
    """Tell the shop's owner, on the site and by email in their language, that a listing the
    cooperative hid is public again.

    Safe to run twice: the key names the showing (`shown_at`, in microseconds), so one message
    is sent; returns early when the listing is gone or was hidden again meanwhile.
    """
    product = (
        Product.objects.select_related("shop__owner").filter(pk=product_id, is_hidden=False).first()
    )
    if product is None:
        return
    _tell_owner(
        product,
        key=f"product-{product.pk}-shown-{shown_at}",
        message=lambda context: Message(
            kind="product-shown",
            title=_("Your listing “%(title)s” is public again") % {"title": product.title},
            body=_("The cooperative showed it again: buyers can find and order it."),
            url=product.get_absolute_url(),
            email_template="product_shown",
            context=context,
        ),
    )


def _tell_owner(product: Product, *, key: str, message: Callable[[dict], Message]) -> None:
    """notify() the shop's owner of `message(context)`, worded in the owner's language."""
    owner = product.shop.owner
    with translation.override(language_of(owner)):
        context = {
            "owner": str(owner),
            "product_title": product.title,
            "shop_name": product.shop.name,
        }
        notify(key=key, message=message(context), recipient=owner)
