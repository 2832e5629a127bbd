"""In-app notifications, each with an optional email, sent at most once per key."""

from django.conf import settings
from django.db import models
from django.urls import translate_url
from django.utils.translation import get_language, get_language_from_path, override
from django.utils.translation import gettext_lazy as _

from core import phrases


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    """One message to one person; `key` makes sending it twice impossible."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("email"), blank=True)
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # What happened (core.phrases): the title and message shown in the reader's language. The
    # text above is the same in the language active when it was written, kept for old rows.
    title_phrase = models.JSONField(_("title phrase"), null=True, blank=True)
    body_phrase = models.JSONField(_("message phrase"), null=True, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    whatsapp_url = models.CharField(_("WhatsApp link"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        """The title in the active language (the stored one for rows written before phrases)."""
        return phrases.render(self.title_phrase, self.title)

    @property
    def body_text(self) -> str:
        return phrases.render(self.body_phrase, self.body)

    @property
    def localized_url(self) -> str:
        """The link, to the page in the active language."""
        reading = get_language()
        if not self.url:
            return ""
        # Resolved in the language it was written in, then reversed in the reader's.
        written_in = get_language_from_path(self.url) or settings.LANGUAGE_CODE
        with override(written_in):
            return translate_url(self.url, reading)


class OutgoingEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True, attempts__lt=OutgoingEmail.MAX_ATTEMPTS)


class OutgoingEmail(models.Model):
    """A notification's email, written with it and sent by the worker afterwards (an outbox).

    It is rendered in the reader's language when the notification is written, in the same
    transaction, so it cannot be lost; sending it later keeps a slow or failing mail server from
    holding up the order (or the approval) that it tells about. `key` is its notification's key:
    one email per notification, however often the notice is written.
    """

    MAX_ATTEMPTS = 10

    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Taken by a sender until then; another may take it after (a sender that died).
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sender's one question: what is still to send, oldest first.
            models.Index(
                fields=["id"], name="outgoing_email_pending", condition=models.Q(sent_at=None)
            )
        ]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class OutgoingWhatsAppQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True, attempts__lt=OutgoingWhatsApp.MAX_ATTEMPTS)


class OutgoingWhatsApp(models.Model):
    """A notification's WhatsApp template message, written with it and sent by the worker.

    Like `OutgoingEmail`: written in the notice's transaction, in the reader's language, with
    its notification's key (one message per notification); claimed by one sender at a time and
    marked sent with the Cloud API's message id as soon as it went.
    """

    MAX_ATTEMPTS = 10

    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.CharField(_("to"), max_length=20)
    kind = models.CharField(_("kind"), max_length=30)
    template = models.CharField(_("template"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    parameters = models.JSONField(_("parameters"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The Cloud API's id of the message sent ("wamid."), to match its status webhooks.
    message_id = models.CharField(_("WhatsApp message id"), max_length=200, blank=True)
    # Taken by a sender until then; another may take it after (a sender that died).
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutgoingWhatsAppQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["id"], name="outgoing_whatsapp_pending", condition=models.Q(sent_at=None)
            )
        ]
        verbose_name = _("outgoing WhatsApp message")
        verbose_name_plural = _("outgoing WhatsApp messages")

    def __str__(self) -> str:
        return f"{self.to}: {self.template}"
