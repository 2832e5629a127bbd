"""Payments: each request for money on an order, and what the providers told us about it."""

import secrets

from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import acting_user

from .orders import MidtransChannel, Order, PaymentMethod, SubOrder


def private_storage():
    """Where transfer proofs live: never served by address, only by a view that checks who asks."""
    return storages["private"]


def payment_proof_path(instance: "Payment", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"payments/proofs/{instance.order_id}-{secrets.token_hex(8)}.{extension}"


class PaymentQuerySet(models.QuerySet):
    def open_at_provider(self):
        """Payments closed unpaid whose request at the provider is not known to be withdrawn yet."""
        return self.filter(
            status=Payment.Status.CANCELLED, intent_cancelled_at__isnull=True
        ).exclude(provider_reference="")


class Payment(models.Model):
    """One request for money on an order, by one method, with its own amount and deadline.

    An order has one request for its whole total today; the design lets it have more (a down
    payment now and the rest later, an institution's invoice), each paid on its own.
    """

    class Purpose(models.TextChoices):
        FULL = "full", _("Full payment")
        # At checkout: ready-to-ship goods, shipping, and the down payments of made-to-order work.
        DOWN_PAYMENT = "down_payment", _("Down payment")
        # The rest of one sub-order's made-to-order work, asked when the maker marks it ready.
        BALANCE = "balance", _("Rest of the price")
        # An institution's order: what is left after any down payment, asked after the handover.
        INVOICE = "invoice", _("Invoice after the handover")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PROOF_SUBMITTED = "proof_submitted", _("Proof uploaded, being checked")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="payments"
    )
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.FULL
    )
    # The sub-order a balance is for; empty for what the whole order pays at checkout.
    suborder = models.ForeignKey(
        SubOrder,
        verbose_name=_("sub-order"),
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
    )
    amount = models.PositiveIntegerField(_("amount (Rp)"))
    due_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    # Midtrans: the channel the buyer chose last; each try is a `MidtransCharge`.
    channel = models.CharField(
        _("channel"), max_length=20, choices=MidtransChannel.choices, blank=True
    )
    # The outside id: a Stripe PaymentIntent id for cards; empty for transfers and COD.
    provider_reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    proof = models.FileField(
        _("transfer proof"), upload_to=payment_proof_path, storage=private_storage, blank=True
    )
    proof_uploaded_at = models.DateTimeField(_("proof uploaded at"), null=True, blank=True)
    confirmed_by = acting_user(_("confirmed by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    refunded_amount = models.PositiveIntegerField(_("refunded (Rp)"), default=0)
    # Cards: the idempotency key we sent when creating the PaymentIntent, and the last decline.
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, blank=True)
    failure_message = models.TextField(_("last failure"), blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    # When the provider confirmed it withdrew the request (a card's intent) of a closed order.
    intent_cancelled_at = models.DateTimeField(_("card intent cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["provider_reference"],
                condition=~Q(provider_reference=""),
                name="payment_provider_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.reference} · {self.get_method_display()} · {self.get_status_display()}"


class CardRefund(models.Model):
    """Money sent back to a card: for one sub-order (ours), or made in Stripe's dashboard."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Cancelled")

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="card_refunds"
    )
    suborder = models.ForeignKey(
        SubOrder,
        verbose_name=_("sub-order"),
        on_delete=models.PROTECT,
        related_name="card_refunds",
        null=True,
        blank=True,
    )
    amount = models.PositiveIntegerField(_("amount (Rp)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    # The key we send Stripe, so that a task run twice refunds once; empty for outside refunds.
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("card refund")
        verbose_name_plural = _("card refunds")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="card_refund_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["provider_reference"],
                condition=~Q(provider_reference=""),
                name="card_refund_provider_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_reference or self.idempotency_key} · {self.get_status_display()}"


class StripeEvent(models.Model):
    """A webhook event from Stripe, kept once per event id so a redelivery changes nothing."""

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100, db_index=True)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    # What handling did: "paid", "failure recorded", "ignored: ...".
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.event_id} · {self.type}"


class MidtransChargeQuerySet(models.QuerySet):
    def open(self):
        """Charges a buyer may still pay at Midtrans (or whose creation has not been answered)."""
        return self.filter(
            status__in=[MidtransCharge.Status.CREATING, MidtransCharge.Status.PENDING]
        )

    def unwanted(self):
        """Open charges that no payment request wants any more: to be cancelled at Midtrans."""
        return self.open().filter(superseded_at__isnull=False)


class MidtransCharge(models.Model):
    """One try at paying a payment request through Midtrans: a channel, and what to pay it with.

    Each has our own Midtrans `order_id` (`<reference>-<attempt>`), so a buyer who switches from a
    virtual account to QRIS gets a fresh charge and the old one is cancelled.
    """

    class Status(models.TextChoices):
        CREATING = "creating", _("Being created")
        PENDING = "pending", _("Waiting for payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        DENIED = "denied", _("Declined")
        # Money arrived but not the amount asked: kept out of the order, for the admin.
        AMOUNT_MISMATCH = "amount_mismatch", _("Wrong amount paid")

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="charges"
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    gateway_order_id = models.CharField(_("Midtrans order id"), max_length=50, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=MidtransChannel.choices)
    amount = models.PositiveIntegerField(_("amount (Rp)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CREATING, db_index=True
    )
    transaction_id = models.CharField(_("Midtrans transaction id"), max_length=64, blank=True)
    va_number = models.CharField(_("virtual account number"), max_length=40, blank=True)
    bank = models.CharField(_("bank"), max_length=20, blank=True)
    biller_code = models.CharField(_("biller code"), max_length=20, blank=True)
    bill_key = models.CharField(_("bill key"), max_length=40, blank=True)
    qr_string = models.TextField(_("QR content"), blank=True)
    deeplink_url = models.URLField(_("app link"), max_length=1000, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_amount = models.PositiveIntegerField(_("amount paid (Rp)"), default=0)
    # The buyer switched to another channel, or the order closed: cancel it at Midtrans.
    superseded_at = models.DateTimeField(_("no longer wanted at"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("status last read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MidtransChargeQuerySet.as_manager()

    class Meta:
        ordering = ["payment", "attempt"]
        verbose_name = _("Midtrans charge")
        verbose_name_plural = _("Midtrans charges")
        constraints = [
            models.UniqueConstraint(fields=["payment", "attempt"], name="charge_attempt_unique"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.gateway_order_id} · {self.get_channel_display()} · {self.get_status_display()}"
        )


class MidtransNotification(models.Model):
    """A verified HTTP notification from Midtrans, kept once per transaction and status."""

    charge = models.ForeignKey(
        MidtransCharge,
        verbose_name=_("charge"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    transaction_id = models.CharField(_("Midtrans transaction id"), max_length=64)
    transaction_status = models.CharField(_("transaction status"), max_length=30)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # What handling did, from the status read back from Midtrans: "paid", "expired", ...
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("Midtrans notification")
        verbose_name_plural = _("Midtrans notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["transaction_id", "transaction_status"],
                name="midtrans_notification_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} · {self.transaction_status}"


class MidtransRefund(models.Model):
    """Money going back from a Midtrans charge: sent through the API, or owed by hand.

    QRIS and e-wallet payments are refunded through Midtrans; a virtual account cannot be, so the
    cooperative transfers the money to the account the buyer gives.
    """

    class Status(models.TextChoices):
        DUE = "due", _("To be sent")
        SUCCEEDED = "succeeded", _("Refunded")
        OWED = "owed", _("Owed: to transfer by hand")
        PAID_BY_HAND = "paid_by_hand", _("Transferred by hand")

    charge = models.ForeignKey(
        MidtransCharge, verbose_name=_("charge"), on_delete=models.PROTECT, related_name="refunds"
    )
    # The sub-order whose money goes back; empty when a second payment of the same request does.
    suborder = models.ForeignKey(
        SubOrder,
        verbose_name=_("sub-order"),
        on_delete=models.PROTECT,
        related_name="midtrans_refunds",
        null=True,
        blank=True,
    )
    amount = models.PositiveIntegerField(_("amount (Rp)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # Sent to Midtrans as `refund_key`: a task run twice refunds once.
    refund_key = models.CharField(_("refund key"), max_length=80, unique=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=120, blank=True)
    account_given_at = models.DateTimeField(_("account given at"), null=True, blank=True)
    paid_by = acting_user(_("transferred by"))
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Midtrans refund")
        verbose_name_plural = _("Midtrans refunds")

    def __str__(self) -> str:
        return f"{self.refund_key} · {self.get_status_display()}"
