"""What shops are told: the cooperative's decisions, each in the owner's language, once per key."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from core.phrases import phrase
from notifications.services import Message, language_of, notify

from .models import ShopEvent

_EMAIL_TEMPLATES = {
    ShopEvent.Action.APPROVED: "shop_approved",
    ShopEvent.Action.REJECTED: "shop_rejected",
    ShopEvent.Action.VERIFIED: "shop_verified",
}


def notify_shop_decision(*, event: ShopEvent) -> None:
    """Tell a shop's owner, on the site and by email, that it was approved, rejected or verified.

    Written in the caller's transaction; the key names the event, so one message per decision.
    """
    if event.action not in _EMAIL_TEMPLATES:
        return
    shop, owner = event.shop, event.shop.owner
    with translation.override(language_of(owner)):
        if event.action == ShopEvent.Action.APPROVED:
            title = phrase(gettext_noop("Your shop %(shop)s is open"), shop=shop.name)
            body = phrase(
                gettext_noop(
                    "The cooperative approved your shop. Buyers can now find it and your batik."
                )
            )
            url = shop.get_absolute_url()
        elif event.action == ShopEvent.Action.REJECTED:
            title = phrase(
                gettext_noop("Your application for %(shop)s was not approved"), shop=shop.name
            )
            body = phrase(gettext_noop("Reason: %(reason)s"), reason=event.note)
            url = reverse("artisans:my-shops")
        else:
            title = phrase(
                gettext_noop("%(shop)s is now a verified Kutai Timur maker"), shop=shop.name
            )
            body = phrase(
                gettext_noop(
                    "Buyers will see the verified maker badge on your shop and your batik."
                )
            )
            url = shop.get_absolute_url()
        notify(
            key=f"shop-{shop.pk}-{event.action}-{event.pk}",
            message=Message(
                kind=f"shop-{event.action}",
                title=title,
                body=body,
                url=url,
                email_template=_EMAIL_TEMPLATES[event.action],
                context={"shop_name": shop.name, "reason": event.note, "owner": str(owner)},
            ),
            recipient=owner,
        )
