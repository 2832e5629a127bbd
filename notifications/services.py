"""Sending notifications: in-app always, email when there is an address and a template."""

import contextlib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

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


def notify(*, key: str, message: Message, recipient=None, email: str = "") -> Notification:
    """Create the notification for `key` once, and send its email once.

    Safe to call any number of times, also at once from two workers: the unique key and a row
    lock make sure one in-app notification and at most one email exist per key.
    """
    address = email or (recipient.email if recipient is not None else "")
    with transaction.atomic():
        notification, _created = Notification.objects.get_or_create(
            key=key,
            defaults={
                "recipient": recipient,
                "email": address,
                "kind": message.kind,
                "title": message.title,
                "body": message.body,
                "url": message.url,
                "whatsapp_url": message.whatsapp_url,
            },
        )
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if message.email_template and address and notification.email_sent_at is None:
            _send_email(address, message)
            notification.email_sent_at = timezone.now()
            notification.save(update_fields=["email_sent_at"])
    return notification


def _send_email(address: str, message: Message) -> None:
    context = {"title": message.title, "body": message.body, "url": message.url}
    context.update(message.context or {})
    context["absolute_url"] = settings.SITE_URL + message.url if message.url else settings.SITE_URL
    text = render_to_string(f"email/{message.email_template}.txt", context)
    mail = EmailMultiAlternatives(subject=f"[Batik Kutim] {message.title}", body=text, to=[address])
    with contextlib.suppress(TemplateDoesNotExist):
        mail.attach_alternative(
            render_to_string(f"email/{message.email_template}.html", context), "text/html"
        )
    mail.send()


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    queryset = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    return queryset.update(read_at=timezone.now())


def language_of(user) -> str:
    """The language a user reads their notifications in."""
    return getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
