"""The cooperative's money per shop: an append-only ledger, payouts and the bank account to pay."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from core import phrases
from core.models import acting_user
from orders.models import SubOrder


class ShopCommission(models.Model):
    """A shop's own commission rate, in place of the cooperative-wide one."""

    shop = models.OneToOneField(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="commission"
    )
    percent = models.DecimalField(
        _("commission (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(_("why"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shop commission")
        verbose_name_plural = _("shop commissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="shop_commission_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop}: {self.percent}%"


class PayoutAccount(models.Model):
    """The bank account a shop's payouts are transferred to."""

    shop = models.OneToOneField(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="payout_account"
    )
    bank_name = models.CharField(_("bank"), max_length=80)
    account_number = models.CharField(_("account number"), max_length=34)
    account_holder = models.CharField(_("account holder"), max_length=120)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number} a.n. {self.account_holder}"


class PayoutRun(models.Model):
    """The cooperative's scheduled payouts of one day: one bank bulk transfer, paid at once."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the transfer")
        PAID = "paid", _("Paid")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # The minimum balance this run paid out, as it was set when it ran.
    minimum = models.PositiveBigIntegerField(_("minimum balance (Rp)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    created_by = acting_user(_("started by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = acting_user(_("paid by"))
    transfer_reference = models.CharField(_("bank reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="paid")
                | (~Q(transfer_reference="") & Q(paid_at__isnull=False)),
                name="payout_run_paid_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Payout run #%(number)s") % {"number": self.pk})


class Payout(models.Model):
    """Money a shop asked for; its ledger entry is written when asked, the transfer later."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.REQUESTED,
        db_index=True,
    )
    # The account as it was when asked, so a later edit never redirects a requested transfer.
    bank_name = models.CharField(_("bank"), max_length=80)
    account_number = models.CharField(_("account number"), max_length=34)
    account_holder = models.CharField(_("account holder"), max_length=120)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    requested_by = acting_user(_("requested by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = acting_user(_("paid by"))
    transfer_reference = models.CharField(_("transfer reference"), max_length=100, blank=True)
    # The artisan took the request back before the transfer; the amount went back to the balance.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = acting_user(_("cancelled by"))
    # Set when the cooperative's scheduled run made this payout (none for the artisan's request).
    run = models.ForeignKey(
        PayoutRun,
        verbose_name=_("payout run"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payouts",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | (~Q(transfer_reference="") & Q(paid_at__isnull=False)),
                name="payout_paid_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.shop} Rp {self.amount:,}".replace(",", ".")


class LedgerEntryQuerySet(models.QuerySet):
    def of_shop(self, shop):
        return self.filter(shop=shop)

    def available(self, at=None):
        """The entries that count towards what may be paid out at `at` (now by default)."""
        return self.filter(available_at__lte=at or timezone.now())

    def held(self, at=None):
        """Credited but not yet available (a delivered sale in the cooperative's hold)."""
        return self.filter(available_at__gt=at or timezone.now())

    def balance(self) -> int:
        """The sum of the entries: the only balance there is."""
        return self.aggregate(total=Sum("amount"))["total"] or 0


class LedgerEntry(models.Model):
    """One movement of a shop's money; written once, never changed or deleted."""

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        # Made-to-order work started: the buyer's down payment is the maker's from then on.
        DOWN_PAYMENT = "down_payment", _("Down payment")
        DOWN_PAYMENT_COMMISSION = "down_commission", _("Commission on the down payment")
        COMMISSION = "commission", _("Cooperative commission")
        SHIPPING = "shipping", _("Shipping passed through")
        # Cash on delivery: the buyer's cash reached the maker, not the cooperative.
        COLLECTED_IN_CASH = "collected_in_cash", _("Collected in cash by the maker")
        REFUND = "refund", _("Refund")
        PAYOUT = "payout", _("Payout")
        ADJUSTMENT = "adjustment", _("Adjustment")

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    # Signed whole rupiah: money for the shop is positive, money out of its balance negative.
    amount = models.BigIntegerField(_("amount (Rp)"))
    suborder = models.ForeignKey(
        SubOrder,
        verbose_name=_("sub-order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    payout = models.ForeignKey(
        Payout,
        verbose_name=_("payout"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    # The note as what happened (core.phrases), shown in the reader's language; None for a note
    # typed by a person.
    note_phrase = models.JSONField(_("note phrase"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # From when the amount counts in the balance that may be paid out: a sale after the
    # cooperative's hold; every other entry at once.
    available_at = models.DateTimeField(_("available from"), default=timezone.now)
    created_by = acting_user(_("by"))

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["shop", "created_at"]),
            models.Index(fields=["shop", "available_at"]),
        ]
        constraints = [
            # A sub-order adds its sale, commission, shipping and refund once each.
            models.UniqueConstraint(
                fields=["kind", "suborder"],
                condition=Q(suborder__isnull=False),
                name="ledger_entry_once_per_suborder",
            ),
            models.UniqueConstraint(
                fields=["kind", "payout"],
                condition=Q(payout__isnull=False),
                name="ledger_entry_once_per_payout",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} · {self.get_kind_display()} · {self.amount}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:  # loaded or saved before: an entry is written once
            raise ValidationError(_("Ledger entries are never changed; add a new entry instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger entries are never deleted; add a new entry instead."))

    @property
    def note_text(self) -> str:
        """The note in the active language."""
        return phrases.render(self.note_phrase, self.note)
