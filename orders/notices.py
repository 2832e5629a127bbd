"""What orders tell people: each message written in its reader's language, sent once per key."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import links, phrases
from core.phone import whatsapp_link
from core.phrases import When, phrase
from core.templatetags.money import format_rupiah
from notifications import whatsapp
from notifications.services import Delivery, Message, language_of, notify, notify_many

from . import onetap
from .how_to_pay import how_to_pay_context
from .models import Order, OrderLine, SubOrder, SubOrderEvent

WITA = ZoneInfo("Asia/Makassar")

# Deadlines in notices: "20 Des 2026 14:30" (WITA), the month in the reader's language.
DEADLINE_FORMAT = "j M Y H:i"

TRACKING_SALT = "orders.guest-tracking"
# A guest's link works this long after the order was placed: enough for made-to-order work and
# delivery, not forever for a link that may sit in a forwarded email.
TRACKING_MAX_AGE = timedelta(days=180)


def tracking_token(order: Order) -> str:
    """A signed token that lets a guest follow one order without an account."""
    return signing.dumps(order.pk, salt=TRACKING_SALT)


def order_id_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=TRACKING_SALT, max_age=TRACKING_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):  # SignatureExpired is a BadSignature
        return None


def buyer_order_url(order: Order) -> str:
    """Where the buyer follows the order: their account's page, or a signed link for guests."""
    if order.buyer_id:
        return reverse("orders:detail", args=[order.reference])
    return reverse("orders:track", args=[tracking_token(order)])


def buyer_language(order: Order) -> str:
    return (
        language_of(order.buyer) if order.buyer_id else (order.language or settings.LANGUAGE_CODE)
    )


def _notify_buyer(order: Order, *, key: str, build) -> None:
    with translation.override(buyer_language(order)):
        message = build()
        notify(key=key, message=message, recipient=order.buyer, email=order.email)


def new_suborder_message(*, order: Order, suborder: SubOrder) -> Message:
    """The artisans' message about a new sub-order, in the active language."""
    lines = list(suborder.lines.all())
    count = sum(line.quantity for line in lines)
    chat = whatsapp_link(
        order.phone,
        _("Hello %(name)s, this is %(shop)s about your batik order %(reference)s.")
        % {"name": order.recipient, "shop": suborder.shop_name, "reference": order.reference},
    )
    return Message(
        kind="order-routed",
        title=phrase(
            gettext_noop("New order %(reference)s for %(shop)s"),
            reference=order.reference,
            shop=suborder.shop_name,
        ),
        body=phrase(
            gettext_noop(
                "%(count)s item(s) for %(name)s in %(place)s. Please accept or decline it."
            ),
            count=count,
            name=order.recipient,
            place=order.kabupaten,
        ),
        url=links.url("shop-order", suborder.pk),
        whatsapp_url=chat,
        email_template="order_artisan_new",
        context={"order": order, "suborder": suborder, "lines": lines, "whatsapp_url": chat},
        # The approved template's body: shop, order reference, number of items, buyer, place,
        # then each maker's own one-tap link (see routing_deliveries).
        whatsapp_kind=whatsapp.NEW_ORDER,
        whatsapp_parameters=(
            suborder.shop_name,
            order.reference,
            str(count),
            order.recipient,
            order.kabupaten,
        ),
    )


def maker_phone(*, user, shop) -> str:
    """Where a member of the shop gets WhatsApp: their own number, else the shop's for its owner."""
    if user.phone:
        return user.phone
    return shop.whatsapp if shop.owner_id == user.pk else ""


def notify_maker_of_answer_reminder(*, link, token: str) -> None:
    """Remind one maker that a new sub-order waits for their answer, with their one-tap link."""
    suborder, user = link.suborder, link.user
    order = suborder.order
    language = language_of(user)
    with translation.override(language):
        deadline = date_format(link.expires_at.astimezone(WITA), DEADLINE_FORMAT)
        message = Message(
            kind="order-answer-reminder",
            title=phrase(
                gettext_noop("Order %(reference)s is waiting for your answer"),
                reference=order.reference,
            ),
            body=phrase(
                gettext_noop("Please accept or decline it before %(deadline)s WITA."),
                deadline=When(link.expires_at, DEADLINE_FORMAT),
            ),
            url=links.url("shop-order", suborder.pk),
            # The approved template's body: shop, order reference, deadline, one-tap link.
            whatsapp_kind=whatsapp.REMINDER,
            whatsapp_parameters=(suborder.shop_name, order.reference, f"{deadline} WITA"),
        )
        link_url = onetap.absolute_url(token)
    notify_many(
        [
            Delivery(
                key=f"suborder-{suborder.pk}-answer-reminder-user-{user.pk}",
                message=message,
                recipient=user,
                language=language,
                phone=maker_phone(user=user, shop=suborder.shop),
                whatsapp_link=link_url,
            )
        ]
    )


def new_suborder_key(*, order: Order, suborder: SubOrder, user) -> str:
    return f"order-{order.pk}-suborder-{suborder.pk}-routed-user-{user.pk}"


def notify_artisan_of_new_suborder(*, order: Order, suborder: SubOrder, user) -> None:
    """Tell one member of the shop that a sub-order is theirs to accept, with WhatsApp to the buyer."""
    with translation.override(language_of(user)):
        notify(
            key=new_suborder_key(order=order, suborder=suborder, user=user),
            message=new_suborder_message(order=order, suborder=suborder),
            recipient=user,
        )


def routing_deliveries(*, order: Order, suborders: list[SubOrder]) -> list[Delivery]:
    """Every notice of a routed order: each member of each shop, then the buyer's confirmation.

    `suborders` come with their lines and their shop's members (with users) prefetched; a
    message is built once per sub-order and language, however many members read it.
    """
    deliveries = []
    # Makers on WhatsApp get a one-tap link each (bound to them and the sub-order), saved here in
    # the routing transaction with the notices that carry them.
    on_whatsapp = whatsapp.is_configured(whatsapp.NEW_ORDER)
    issued: list[onetap.IssuedLink] = []
    for suborder in suborders:
        messages: dict[str, Message] = {}
        for membership in suborder.shop.memberships.all():
            user = membership.user
            language = language_of(user)
            if language not in messages:
                with translation.override(language):
                    messages[language] = new_suborder_message(order=order, suborder=suborder)
            phone = maker_phone(user=user, shop=suborder.shop) if on_whatsapp else ""
            link = ""
            if phone:
                issued.append(onetap.new_link(suborder=suborder, user=user))
                with translation.override(language):
                    link = onetap.absolute_url(issued[-1].token)
            deliveries.append(
                Delivery(
                    key=new_suborder_key(order=order, suborder=suborder, user=user),
                    message=messages[language],
                    recipient=user,
                    language=language,
                    phone=phone,
                    whatsapp_link=link,
                )
            )
    if issued:
        onetap.save_links(issued)
    if order.paid_at is None:
        # Cash on delivery with nothing paid online, confirmed at placement: the placement
        # email already told the buyer all of it.
        return deliveries
    language = buyer_language(order)
    with translation.override(language):
        message = buyer_confirmation_message(order=order, suborders=suborders)
    deliveries.append(
        Delivery(
            key=buyer_confirmation_key(order),
            message=message,
            recipient=order.buyer,
            email=order.email,
            language=language,
        )
    )
    return deliveries


def buyer_confirmation_message(*, order: Order, suborders: list[SubOrder]) -> Message:
    """One combined confirmation for the whole order, in the active language."""
    return Message(
        kind="order-confirmed",
        title=phrase(
            gettext_noop("Your order %(reference)s is on its way to the makers"),
            reference=order.reference,
        ),
        body=phrase(
            gettext_noop("%(count)s artisan(s) received your order and will confirm it soon."),
            count=len(suborders),
        ),
        url=buyer_order_url(order),
        email_template="order_buyer_confirmation",
        context={"order": order, "suborders": suborders},
    )


def buyer_confirmation_key(order: Order) -> str:
    return f"order-{order.pk}-confirmed-buyer"


def notify_buyer_of_confirmation(*, order: Order, suborders: list[SubOrder]) -> None:
    """One combined confirmation for the whole order, whatever the number of artisans."""
    _notify_buyer(
        order,
        key=buyer_confirmation_key(order),
        build=lambda: buyer_confirmation_message(order=order, suborders=suborders),
    )


def _with_lines(order: Order) -> list[SubOrder]:
    lines = Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    return list(order.suborders.prefetch_related(lines).order_by("pk"))


def _deadline(order: Order) -> When:
    return When(order.payment_due_at, DEADLINE_FORMAT)


def _payment_message(
    *, order: Order, kind: str, title: phrases.Phrase, email_template: str
) -> Message:
    """A message about paying `order`: what was ordered, from whom, and how to pay it."""
    url = buyer_order_url(order)
    how_to_pay = how_to_pay_context(order=order, order_url=url)
    if how_to_pay["kind"] == "cod":
        body = phrase(gettext_noop("You pay when the batik arrives or when you pick it up."))
    elif how_to_pay["cash_at_door"] and order.payment_due_at is not None:
        body = phrase(
            gettext_noop(
                "Please pay the down payment, %(amount)s, online before %(deadline)s WITA. The "
                "rest, %(cash)s, you pay in cash when the batik arrives or when you pick it up."
            ),
            amount=format_rupiah(how_to_pay["amount"]),
            deadline=_deadline(order),
            cash=format_rupiah(how_to_pay["cash_at_door"]),
        )
    elif order.payment_due_at is not None:
        body = phrase(
            gettext_noop("Please pay %(total)s before %(deadline)s WITA."),
            total=format_rupiah(how_to_pay["amount"]),
            deadline=_deadline(order),
        )
    else:
        body = phrase(gettext_noop("Open your order page to pay."))
    return Message(
        kind=kind,
        title=title,
        body=body,
        url=url,
        email_template=email_template,
        context={"order": order, "suborders": _with_lines(order), "how_to_pay": how_to_pay},
    )


def placement_message(*, order: Order) -> Message:
    """The email at placement, in the active language: the order, and how to pay it."""
    return _payment_message(
        order=order,
        kind="order-placed",
        title=phrase(gettext_noop("Your order %(reference)s is placed"), reference=order.reference),
        email_template="order_placed",
    )


def notify_buyer_of_placement(*, order: Order) -> None:
    """Tell the buyer at once what they ordered and how to pay, whatever the method."""
    _notify_buyer(
        order, key=f"order-{order.pk}-placed-buyer", build=lambda: placement_message(order=order)
    )


def notify_buyer_of_payment_reminder(*, order: Order) -> None:
    """Remind the buyer that an unpaid order expires soon, with how to pay it."""

    def build() -> Message:
        return _payment_message(
            order=order,
            kind="payment-reminder",
            title=phrase(
                gettext_noop("Reminder: pay order %(reference)s before %(deadline)s WITA"),
                reference=order.reference,
                deadline=_deadline(order),
            ),
            email_template="order_placed",  # the same email, with a title that says why again
        )

    _notify_buyer(order, key=f"order-{order.pk}-payment-reminder-buyer", build=build)


def notify_buyer_of_expiry(*, order: Order) -> None:
    def build() -> Message:
        return Message(
            kind="order-expired",
            title=phrase(gettext_noop("Order %(reference)s expired"), reference=order.reference),
            body=phrase(
                gettext_noop(
                    "We did not receive the payment in time, so the batik went back on sale."
                )
            ),
            url=buyer_order_url(order),
            email_template="order_expired",
            context={"order": order},
        )

    _notify_buyer(order, key=f"order-{order.pk}-expired-buyer", build=build)


EVENT_TITLES = {
    SubOrder.Status.ACCEPTED: gettext_noop("%(shop)s accepted your order %(reference)s"),
    SubOrder.Status.IN_PROGRESS: gettext_noop("%(shop)s started work on your order %(reference)s"),
    SubOrder.Status.READY: gettext_noop("%(shop)s finished your order %(reference)s"),
    SubOrder.Status.DECLINED: gettext_noop("%(shop)s declined your order %(reference)s"),
    SubOrder.Status.SHIPPED: gettext_noop("%(shop)s shipped your order %(reference)s"),
    SubOrder.Status.DELIVERED: gettext_noop("Order %(reference)s from %(shop)s delivered"),
    SubOrder.Status.COMPLETED: gettext_noop("Order %(reference)s from %(shop)s completed"),
    SubOrder.Status.CANCELLED: gettext_noop("Order %(reference)s for %(shop)s cancelled"),
}


def _event_title(event: SubOrderEvent) -> phrases.Phrase:
    suborder = event.suborder
    return phrase(
        EVENT_TITLES[event.to_status],
        shop=suborder.shop_name,
        reference=suborder.order.reference,
    )


def notify_of_suborder_event(*, event: SubOrderEvent) -> None:
    """Tell the other side of a sub-order what changed: the buyer, the artisans, or both."""
    suborder = event.suborder
    order = suborder.order
    actor_is_artisan = event.actor_id is not None and event.actor_id != order.buyer_id
    actor_is_buyer = event.actor_id is not None and event.actor_id == order.buyer_id
    guest_buyer_acted = event.actor_id is None and event.to_status == SubOrder.Status.CANCELLED
    if not actor_is_buyer and not guest_buyer_acted:

        def build() -> Message:
            return Message(
                kind="suborder-update",
                title=_event_title(event),
                body=phrases.stored(event.note_phrase, event.note),
                url=buyer_order_url(order),
                email_template="order_update",
                context={"order": order, "suborder": suborder, "event": event},
            )

        _notify_buyer(order, key=f"suborder-event-{event.pk}-buyer", build=build)
    if actor_is_artisan or suborder.routed_at is None:
        # Artisans hear only of sub-orders routed to them, and not of their own moves.
        return
    for membership in suborder.shop.memberships.select_related("user"):
        user = membership.user
        with translation.override(language_of(user)):
            message = Message(
                kind="suborder-update",
                title=_event_title(event),
                body=phrases.stored(event.note_phrase, event.note),
                url=links.url("shop-order", suborder.pk),
                email_template="order_update",
                context={"order": order, "suborder": suborder, "event": event},
            )
            notify(key=f"suborder-event-{event.pk}-user-{user.pk}", message=message, recipient=user)


def write_refund_account_request(*, refund) -> None:
    """Ask the buyer where to send money a virtual account cannot take back by itself."""
    order = refund.charge.payment.order

    def build() -> Message:
        return Message(
            kind="refund-account-needed",
            title=phrase(
                gettext_noop("Refund of %(amount)s for order %(reference)s"),
                amount=format_rupiah(refund.amount),
                reference=order.reference,
            ),
            body=phrase(
                gettext_noop(
                    "A payment by virtual account cannot be sent back automatically. Open your "
                    "order and tell us the bank account to transfer the refund to."
                )
            ),
            url=buyer_order_url(order),
            email_template="refund_account_needed",
            context={"order": order, "refund": refund},
        )

    _notify_buyer(order, key=f"midtrans-refund-{refund.pk}-account-request", build=build)


def notify_buyer_of_balance_due(*, suborder: SubOrder, payment) -> None:
    """The made-to-order piece is ready: pay the rest, by its deadline, before it ships."""
    order = suborder.order

    def build() -> Message:
        return Message(
            kind="balance-due",
            title=phrase(
                gettext_noop("%(shop)s finished your batik: pay the rest, %(amount)s"),
                shop=suborder.shop_name,
                amount=format_rupiah(payment.amount),
            ),
            body=phrase(
                gettext_noop(
                    "Please pay before %(deadline)s WITA; the batik ships as soon as it is paid."
                ),
                deadline=When(payment.due_at, DEADLINE_FORMAT),
            ),
            url=buyer_order_url(order),
            email_template="order_update",
            context={"order": order, "suborder": suborder, "event": None},
        )

    _notify_buyer(order, key=f"payment-{payment.pk}-balance-due-buyer", build=build)


def notify_artisans_of_balance_paid(*, suborder: SubOrder) -> None:
    """The buyer paid the rest: the makers may ship."""
    order = suborder.order
    for membership in suborder.shop.memberships.select_related("user"):
        user = membership.user
        with translation.override(language_of(user)):
            message = Message(
                kind="balance-paid",
                title=phrase(
                    gettext_noop("Order %(reference)s is fully paid: ship it"),
                    reference=order.reference,
                ),
                body=phrase(
                    gettext_noop("The buyer paid the rest of the price, %(amount)s."),
                    amount=format_rupiah(suborder.balance),
                ),
                url=links.url("shop-order", suborder.pk),
                email_template="order_update",
                context={"order": order, "suborder": suborder, "event": None},
            )
            notify(key=f"suborder-{suborder.pk}-balance-paid-user-{user.pk}", message=message,
                   recipient=user)  # fmt: skip
