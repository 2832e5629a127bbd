"""Sending notifications: in-app always, email when there is an address and a template."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification


@dataclass(frozen=True)
class Message:
    """What to say; the title and body are already in the recipient's language."""

    kind: str
    title: str
    body: str = ""
    url: str = ""
    whatsapp_url: str = ""
    email_template: str = ""
    context: dict | None = None


@dataclass(frozen=True)
class Delivery:
    """One notification to write: its unique key, what to say, and to whom."""

    key: str
    message: Message
    recipient: object = None
    email: str = ""
    # The language the email is written in; None keeps the one active when it is sent.
    language: str | None = None

    @property
    def address(self) -> str:
        return self.email or (self.recipient.email if self.recipient is not None else "")


def notify(*, key: str, message: Message, recipient=None, email: str = "") -> Notification:
    """Create the notification for `key` once, and send its email once.

    Safe to call any number of times, also at once from two workers: the unique key and a row
    lock make sure one in-app notification and at most one email exist per key.
    """
    return notify_many([Delivery(key=key, message=message, recipient=recipient, email=email)])[0]


def notify_many(deliveries: list[Delivery]) -> list[Notification]:
    """Write many notifications in one insert and send their emails over one mail connection.

    Same promise as `notify`, for every key: the insert skips keys that already exist (a second
    run, or another worker at the same time waits on the unique key and then skips), and the
    emails go out only for rows still without `email_sent_at`, read under a row lock, which is
    set in the same transaction. Returns the notifications in the order of `deliveries`.
    """
    if not deliveries:
        return []
    by_key = {delivery.key: delivery for delivery in deliveries}
    # No savepoint of its own: any error here undoes the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        Notification.objects.bulk_create(
            [
                Notification(
                    key=delivery.key,
                    recipient=delivery.recipient,
                    email=delivery.address,
                    kind=delivery.message.kind,
                    title=delivery.message.title,
                    body=delivery.message.body,
                    url=delivery.message.url,
                    whatsapp_url=delivery.message.whatsapp_url,
                )
                for delivery in sorted(by_key.values(), key=lambda delivery: delivery.key)
            ],
            ignore_conflicts=True,
        )
        notifications = {
            notification.key: notification
            for notification in Notification.objects.select_for_update()
            .filter(key__in=by_key)
            .order_by("pk")
        }
        to_mail = [
            notifications[key]
            for key, delivery in by_key.items()
            if delivery.message.email_template
            and delivery.address
            and notifications[key].email_sent_at is None
        ]
        if to_mail:
            mails = _build_emails([by_key[notification.key] for notification in to_mail])
            mailers.default.send_messages(mails)  # One connection for all of them.
            sent_at = timezone.now()
            Notification.objects.filter(pk__in=[n.pk for n in to_mail]).update(
                email_sent_at=sent_at
            )
            for notification in to_mail:
                notification.email_sent_at = sent_at
    return [notifications[delivery.key] for delivery in deliveries]


def _build_emails(deliveries: list[Delivery]) -> list[EmailMultiAlternatives]:
    """One email per delivery; a message shared by several recipients is rendered once."""
    rendered: dict[tuple[int, str | None], tuple[str, str | None]] = {}
    mails = []
    for delivery in deliveries:
        message = delivery.message
        cache_key = (id(message), delivery.language)
        if cache_key not in rendered:
            with translation.override(delivery.language or translation.get_language()):
                rendered[cache_key] = _render(message)
        text, html = rendered[cache_key]
        mail = EmailMultiAlternatives(
            subject=f"[Batik Kutim] {message.title}", body=text, to=[delivery.address]
        )
        if html is not None:
            mail.attach_alternative(html, "text/html")
        mails.append(mail)
    return mails


def _render(message: Message) -> tuple[str, str | None]:
    context = {"title": message.title, "body": message.body, "url": message.url}
    context.update(message.context or {})
    context["absolute_url"] = settings.SITE_URL + message.url if message.url else settings.SITE_URL
    text = render_to_string(f"email/{message.email_template}.txt", context)
    try:
        html = render_to_string(f"email/{message.email_template}.html", context)
    except TemplateDoesNotExist:
        html = None
    return text, html


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    queryset = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    return queryset.update(read_at=timezone.now())


def language_of(user) -> str:
    """The language a user reads their notifications in."""
    return getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
