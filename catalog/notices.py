"""What the catalog tells artisans: the cooperative hid or showed a listing, in their language."""

from django.utils import translation
from django.utils.translation import gettext_noop

from core import links
from core.phrases import phrase
from notifications.services import Message, language_of, notify

from .models import Product


def notify_product_hidden(*, product: Product) -> None:
    """Tell the shop's owner, on the site and by email, why a listing is hidden.

    Written in the caller's transaction; the key names the hiding (its time), so one message each.
    """
    owner = product.shop.owner
    with translation.override(language_of(owner)):
        notify(
            key=f"product-{product.pk}-hidden-{product.hidden_at.timestamp():.0f}",
            message=Message(
                kind="product-hidden",
                title=phrase(
                    gettext_noop("Your listing “%(title)s” was hidden by the cooperative"),
                    title=product.title,
                ),
                body=phrase(gettext_noop("Reason: %(reason)s"), reason=product.hidden_reason),
                url=links.url("shop-listings"),
                email_template="product_hidden",
                context={**_context(product), "reason": product.hidden_reason},
            ),
            recipient=owner,
        )


def notify_product_shown(*, product: Product, shown_at: int) -> None:
    """Tell the shop's owner, on the site and by email, that a hidden listing is public again.

    Written in the caller's transaction; the key names the showing (`shown_at`, microseconds).
    """
    owner = product.shop.owner
    with translation.override(language_of(owner)):
        notify(
            key=f"product-{product.pk}-shown-{shown_at}",
            message=Message(
                kind="product-shown",
                title=phrase(
                    gettext_noop("Your listing “%(title)s” is public again"), title=product.title
                ),
                body=phrase(
                    gettext_noop("The cooperative showed it again: buyers can find and order it.")
                ),
                url=product.get_absolute_url(),
                email_template="product_shown",
                context=_context(product),
            ),
            recipient=owner,
        )


def _context(product: Product) -> dict:
    return {
        "owner": str(product.shop.owner),
        "product_title": product.title,
        "shop_name": product.shop.name,
    }
