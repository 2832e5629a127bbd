"""Background jobs for shops: telling applicants the cooperative's decision, ending vacations."""

from celery import shared_task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import Message, language_of, notify
from notifications.tasks import notice_task

from .models import ShopEvent

_EMAIL_TEMPLATES = {
    ShopEvent.Action.APPROVED: "shop_approved",
    ShopEvent.Action.REJECTED: "shop_rejected",
    ShopEvent.Action.VERIFIED: "shop_verified",
}


@notice_task
def notify_shop_decision_task(shop_id: int, event_id: int) -> None:
    """Tell a shop's owner, on the site and by email, that it was approved, rejected or verified.

    Safe to run twice: the notification key is unique per event, so one message is sent.
    """
    event = (
        ShopEvent.objects.select_related("shop__owner").filter(pk=event_id, shop_id=shop_id).first()
    )
    if event is None or event.action not in _EMAIL_TEMPLATES:
        return
    shop, owner = event.shop, event.shop.owner
    with translation.override(language_of(owner)):
        if event.action == ShopEvent.Action.APPROVED:
            title = _("Your shop %(shop)s is open") % {"shop": shop.name}
            body = _("The cooperative approved your shop. Buyers can now find it and your batik.")
            url = reverse("artisans:shop-detail", args=[shop.slug])
        elif event.action == ShopEvent.Action.REJECTED:
            title = _("Your application for %(shop)s was not approved") % {"shop": shop.name}
            body = _("Reason: %(reason)s") % {"reason": event.note}
            url = reverse("artisans:my-shops")
        else:
            title = _("%(shop)s is now a verified Kutai Timur maker") % {"shop": shop.name}
            body = _("Buyers will see the verified maker badge on your shop and your batik.")
            url = reverse("artisans:shop-detail", args=[shop.slug])
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


@shared_task
def end_past_vacations_task() -> None:
    """Reopen shops whose vacation return date has passed."""
    from .services import end_past_vacations

    end_past_vacations()
