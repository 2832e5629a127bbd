"""Sending notifications: in-app always, email when there is an address and a template, and a
WhatsApp template message when there is a phone, a kind of template and the channel is set up.

Emails and WhatsApp messages go through outboxes (`OutgoingEmail`, `OutgoingWhatsApp`): written
with the notification, sent by the worker.
"""

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import phrases
from core.enqueue import send
from core.phrases import Phrase

from . import whatsapp
from .models import Notification, OutgoingEmail, OutgoingWhatsApp

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """What to say: a title and body as phrases (shown in the language of whoever reads them), or
    as text already in the recipient's language (e.g. a reply a person typed)."""

    kind: str
    title: Phrase | str
    body: Phrase | str = ""
    url: str = ""
    whatsapp_url: str = ""
    email_template: str = ""
    context: dict | None = None
    # The WhatsApp template message: its kind (whatsapp.NEW_ORDER, ...) and body parameters.
    whatsapp_kind: str = ""
    whatsapp_parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """One notification to write: its unique key, what to say, and to whom."""

    key: str
    message: Message
    recipient: object = None
    email: str = ""
    # The language the email is written in; None keeps the one active when it is sent.
    language: str | None = None
    # Where the WhatsApp message goes (+62...), and a link of this reader's own (e.g. a one-tap
    # link), sent as the template's last parameter after the message's.
    phone: str = ""
    whatsapp_link: str = ""

    @property
    def address(self) -> str:
        return self.email or (self.recipient.email if self.recipient is not None else "")


def notify(*, key: str, message: Message, recipient=None, email: str = "", phone: str = "") -> None:
    """Create the notification for `key` once, and queue its email (and WhatsApp) once.

    Safe to call any number of times, also at once from two workers: the unique keys of the
    notification and of its email make sure one of each exists per key.
    """
    notify_many([Delivery(key=key, message=message, recipient=recipient, email=email, phone=phone)])


def notify_many(deliveries: list[Delivery]) -> None:
    """Write many notifications in one insert, and their emails into the outbox in another.

    Same promise as `notify`, for every key: each insert skips keys that already exist (a second
    run, or another worker at the same time, waits on the unique key and then skips). The emails
    are rendered now, in each reader's language, and sent by the worker once this commits.
    """
    if not deliveries:
        return
    by_key = {delivery.key: delivery for delivery in deliveries}
    ordered = sorted(by_key.values(), key=lambda delivery: delivery.key)
    # No savepoint of its own: any error here undoes the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        Notification.objects.bulk_create(
            [_notification(delivery) for delivery in ordered], ignore_conflicts=True
        )
        emails = _render_emails(
            [
                delivery
                for delivery in ordered
                if delivery.message.email_template and delivery.address
            ]
        )
        if emails:
            OutgoingEmail.objects.bulk_create(emails, ignore_conflicts=True)
            transaction.on_commit(schedule_email_sending)
        messages = [_whatsapp_message(delivery) for delivery in ordered if wants_whatsapp(delivery)]
        if messages:
            OutgoingWhatsApp.objects.bulk_create(messages, ignore_conflicts=True)
            transaction.on_commit(schedule_whatsapp_sending)


def _notification(delivery: Delivery) -> Notification:
    """The in-app row: what happened as phrases, and its text in the delivery's language."""
    message = delivery.message
    with translation.override(delivery.language or translation.get_language()):
        return Notification(
            key=delivery.key,
            recipient=delivery.recipient,
            email=delivery.address,
            kind=message.kind,
            **phrases.fields("title", message.title),
            **phrases.fields("body", message.body),
            url=message.url,
            whatsapp_url=message.whatsapp_url,
        )


def wants_whatsapp(delivery: Delivery) -> bool:
    """Whether this delivery goes on WhatsApp too: a phone, a kind, and its template set up."""
    kind = delivery.message.whatsapp_kind
    return bool(kind and delivery.phone and whatsapp.is_configured(kind))


def _whatsapp_message(delivery: Delivery) -> OutgoingWhatsApp:
    kind = delivery.message.whatsapp_kind
    parameters = [str(value) for value in delivery.message.whatsapp_parameters]
    if delivery.whatsapp_link:
        parameters.append(delivery.whatsapp_link)
    language = delivery.language or (
        language_of(delivery.recipient) if delivery.recipient is not None else None
    )
    return OutgoingWhatsApp(
        key=delivery.key,
        to=delivery.phone,
        kind=kind,
        template=whatsapp.template_name(kind),
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        parameters=parameters,
    )


def _render_emails(deliveries: list[Delivery]) -> list[OutgoingEmail]:
    """One email per delivery; a message shared by several recipients is rendered once."""
    rendered: dict[tuple[int, str | None], tuple[str, str, str | None]] = {}
    emails = []
    for delivery in deliveries:
        message = delivery.message
        cache_key = (id(message), delivery.language)
        if cache_key not in rendered:
            with translation.override(delivery.language or translation.get_language()):
                rendered[cache_key] = (str(message.title), *_render(message))
        title, text, html = rendered[cache_key]
        emails.append(
            OutgoingEmail(
                key=delivery.key,
                to=delivery.address,
                subject=f"[Batik Kutim] {title}",
                text=text,
                html=html or "",
            )
        )
    return emails


def _render(message: Message) -> tuple[str, str | None]:
    context = {"title": str(message.title), "body": str(message.body), "url": message.url}
    context.update(message.context or {})
    context["absolute_url"] = settings.SITE_URL + message.url if message.url else settings.SITE_URL
    text = render_to_string(f"email/{message.email_template}.txt", context)
    try:
        html = render_to_string(f"email/{message.email_template}.html", context)
    except TemplateDoesNotExist:
        html = None
    return text, html


# --- The outbox: sending what notify wrote ---------------------------------------------------

# Set while a sending task waits in the queue, so a burst of notices enqueues one task, not many.
SENDING_QUEUED_KEY = "notifications:email-sending-queued"
SEND_BATCH_SIZE = 50
# A sender claims a batch for this long; if it dies meanwhile, another takes the batch after.
CLAIM_SECONDS = 300
# One run sends for about this long, then hands over to a new task (well within time limits),
# which waits behind any more urgent job queued meanwhile (its priority is the lowest).
RUN_SECONDS = 5
# The server refused this message only (recipient, sender or content): count it against the
# message and go on with the rest. Any other error is the connection or the run: stop, count
# nothing, and let a later run try the rest.
_MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    ValueError,
)


def schedule_email_sending() -> None:
    """Ask the worker to send the outbox, unless a request is already waiting in the queue.

    When the cache or the broker is down the emails wait: the beat sweep sends them.
    """
    from .tasks import send_pending_emails_task

    _schedule(SENDING_QUEUED_KEY, send_pending_emails_task)


def _schedule(queued_key: str, task) -> None:
    try:
        if cache.add(queued_key, True, timeout=60) and not send(task):
            cache.delete(queued_key)  # Nothing waits in the queue: the next notice asks.
    except Exception:
        logger.warning("Could not reach the cache; the sweep will send the %s outbox.", task.name)


def send_pending_emails(*, run_seconds: float = RUN_SECONDS) -> int:
    """Send what waits in the outbox, oldest first, in batches over one connection each.

    Each batch is claimed in a short transaction (rows locked, other senders skip them and the
    claim), then sent outside any transaction, each email marked sent as soon as it went: no
    lock is held while the mail server talks, and an interrupted run re-sends nothing it
    marked. A refused email keeps waiting with its error, at most MAX_ATTEMPTS times; a
    connection that fails costs no attempt. Returns how many went.
    """
    try:
        cache.delete(SENDING_QUEUED_KEY)  # Emails written from now on ask for a new run.
    except Exception:
        logger.warning("Could not reach the cache; sending the outbox anyway.")
    sent = 0
    deadline = time.monotonic() + run_seconds
    while time.monotonic() < deadline:
        batch = _claim_batch()
        if not batch:
            return sent
        sent_now, stopped = _send_batch(batch)
        sent += sent_now
        if stopped:
            return sent  # The mail server is in trouble: a later run tries again.
    schedule_email_sending()  # More than one run's worth: carry on in a new task.
    return sent


def _claim_batch() -> list[OutgoingEmail]:
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            OutgoingEmail.objects.pending()
            .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
            .select_for_update(skip_locked=True)
            .order_by("pk")[:SEND_BATCH_SIZE]
        )
        OutgoingEmail.objects.filter(pk__in=[email.pk for email in batch]).update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    return batch


def _send_batch(batch: list[OutgoingEmail]) -> tuple[int, bool]:
    """Send the claimed batch over one connection; return (how many went, whether it stopped)."""
    sent, done, stopped = 0, set(), False
    try:
        with mailers.default as connection:
            for email in batch:
                try:
                    connection.send_messages([_as_mail(email)])
                except _MESSAGE_ERRORS as error:
                    _failed(email, error, counts=True)
                except Exception as error:  # The connection, or the run's time limit.
                    _failed(email, error, counts=False)
                    stopped = True
                    break
                else:
                    OutgoingEmail.objects.filter(pk=email.pk).update(
                        sent_at=timezone.now(), claimed_until=None
                    )
                    sent += 1
                done.add(email.pk)
    except Exception as error:  # Opening (or closing) the connection failed.
        if not stopped and len(done) < len(batch):
            _failed(batch[len(done)], error, counts=False)
        stopped = stopped or len(done) < len(batch)
    # Give back what this run did not get to, for the next run (not after the claim expires).
    untried = [email.pk for email in batch if email.pk not in done]
    if untried:
        OutgoingEmail.objects.filter(pk__in=untried, sent_at=None).update(claimed_until=None)
    return sent, stopped


def _failed(email: OutgoingEmail, error: Exception, *, counts: bool) -> None:
    logger.warning("Email %s to %s not sent: %s", email.key, email.to, error)
    now = timezone.now()
    changes = {"last_error": f"{now:%Y-%m-%d %H:%M} {error}"[:2000], "claimed_until": None}
    if counts:
        # Refused: try again after a while (not in this run), at most MAX_ATTEMPTS times.
        changes["attempts"] = F("attempts") + 1
        changes["claimed_until"] = now + timedelta(seconds=CLAIM_SECONDS)
    OutgoingEmail.objects.filter(pk=email.pk).update(**changes)


def _as_mail(email: OutgoingEmail) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to])
    if email.html:
        mail.attach_alternative(email.html, "text/html")
    return mail


# --- The WhatsApp outbox ---------------------------------------------------------------------

WHATSAPP_QUEUED_KEY = "notifications:whatsapp-sending-queued"


def schedule_whatsapp_sending() -> None:
    """Ask the worker to send the WhatsApp outbox, unless a request already waits in the queue."""
    from .tasks import send_pending_whatsapp_task

    _schedule(WHATSAPP_QUEUED_KEY, send_pending_whatsapp_task)


def send_pending_whatsapp(*, run_seconds: float = RUN_SECONDS) -> int:
    """Send what waits in the WhatsApp outbox, oldest first; how many went.

    Each batch is claimed in a short transaction (locked rows are skipped by other senders,
    claimed ones until their claim ends), then sent outside any transaction, each message
    marked sent with its id as soon as the Cloud API took it: a task run twice, or two at once,
    sends each message once. A refused message keeps waiting with its error, at most
    MAX_ATTEMPTS times. When the API is unreachable or down, the run gives back what it has not
    sent, at no attempt's cost, and raises `whatsapp.Unavailable` (the task retries later).
    """
    try:
        cache.delete(WHATSAPP_QUEUED_KEY)
    except Exception:
        logger.warning("Could not reach the cache; sending the WhatsApp outbox anyway.")
    if not whatsapp.is_configured():
        return 0
    sent = 0
    deadline = time.monotonic() + run_seconds
    while time.monotonic() < deadline:
        batch = _claim_whatsapp_batch()
        if not batch:
            return sent
        for position, message in enumerate(batch):
            try:
                answer = whatsapp.send_template(
                    to=message.to,
                    template=message.template,
                    language=message.language,
                    parameters=list(message.parameters),
                )
            except whatsapp.Refused as error:
                _whatsapp_failed(message, error, counts=True)
            except Exception as error:  # Unavailable, or the run's time limit.
                _whatsapp_failed(message, error, counts=False)
                untried = [item.pk for item in batch[position + 1 :]]
                OutgoingWhatsApp.objects.filter(pk__in=untried, sent_at=None).update(
                    claimed_until=None
                )
                raise
            else:
                OutgoingWhatsApp.objects.filter(pk=message.pk).update(
                    sent_at=timezone.now(), message_id=answer.message_id, claimed_until=None
                )
                sent += 1
    schedule_whatsapp_sending()  # More than one run's worth: carry on in a new task.
    return sent


def _claim_whatsapp_batch() -> list[OutgoingWhatsApp]:
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            OutgoingWhatsApp.objects.pending()
            .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
            .select_for_update(skip_locked=True)
            .order_by("pk")[:SEND_BATCH_SIZE]
        )
        OutgoingWhatsApp.objects.filter(pk__in=[message.pk for message in batch]).update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    return batch


def _whatsapp_failed(message: OutgoingWhatsApp, error: Exception, *, counts: bool) -> None:
    logger.warning("WhatsApp %s to %s not sent: %s", message.key, message.to, error)
    now = timezone.now()
    changes = {"last_error": f"{now:%Y-%m-%d %H:%M} {error}"[:2000], "claimed_until": None}
    if counts:
        changes["attempts"] = F("attempts") + 1
        changes["claimed_until"] = now + timedelta(seconds=CLAIM_SECONDS)
    OutgoingWhatsApp.objects.filter(pk=message.pk).update(**changes)


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    queryset = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    return queryset.update(read_at=timezone.now())


def language_of(user) -> str:
    """The language a user reads their notifications in."""
    return getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
