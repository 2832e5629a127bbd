"""Writes for the cooperative's money: sales, commission, refunds and payouts, all in the ledger."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from artisans.models import Shop
from catalog.cache import bump_catalog_version
from core import phrases
from core.phrases import Phrase, phrase
from orders.models import SubOrder

from .models import LedgerEntry, Payout, PayoutAccount, PayoutRun, ShopCommission

logger = logging.getLogger(__name__)

Kind = LedgerEntry.Kind
# The kinds a sub-order adds (down payment at work start, the rest at delivery); a refund takes back exactly their sum.
SUBORDER_KINDS = (
    Kind.SALE,
    Kind.DOWN_PAYMENT,
    Kind.DOWN_PAYMENT_COMMISSION,
    Kind.COMMISSION,
    Kind.SHIPPING,
    Kind.COLLECTED_IN_CASH,
)


def cooperative_percent() -> Decimal:
    return Decimal(str(settings.COOPERATIVE_COMMISSION_PERCENT))


def commission_percent_for(shop: Shop) -> Decimal:
    """The shop's own rate when the cooperative set one, else the cooperative-wide rate."""
    rate = ShopCommission.objects.filter(shop=shop).values_list("percent", flat=True).first()
    return cooperative_percent() if rate is None else Decimal(rate)


def displayed_commission_percent(shop: Shop) -> Decimal:
    """The shop's rate for showing on product pages: its own, or the cooperative-wide one.

    The product page reads the shop with its rate (`select_related("shop__commission")`), so
    this costs no query there. Money is never computed from this: sales use
    commission_percent_for(), read at that moment.
    """
    try:
        return Decimal(shop.commission.percent)
    except ShopCommission.DoesNotExist:
        return cooperative_percent()


@transaction.atomic
def set_shop_commission(*, shop: Shop, percent: Decimal, note: str = "") -> ShopCommission:
    """Give a shop its own commission rate (in place of the cooperative-wide one)."""
    rate, _created = ShopCommission.objects.update_or_create(
        shop=shop, defaults={"percent": percent, "note": note}
    )
    # The cached product pages showing the maker's share are stale after the commit.
    transaction.on_commit(bump_catalog_version)
    return rate


@transaction.atomic
def remove_shop_commissions(*, shop_ids: Iterable[int]) -> int:
    """Put shops back on the cooperative-wide rate; returns how many own rates were removed."""
    ids = sorted({int(pk) for pk in shop_ids})
    removed, _counts = ShopCommission.objects.filter(shop_id__in=ids).delete()
    transaction.on_commit(bump_catalog_version)
    return removed


def commission_for(amount: int, percent: Decimal) -> int:
    """The commission on `amount` rupiah, rounded half up to a whole rupiah (Rp 0,5 → Rp 1)."""
    exact = Decimal(int(amount)) * Decimal(percent) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def maker_share(amount: int, percent: Decimal) -> int:
    """What the maker keeps of a price: the price less the commission, never rounded twice."""
    return int(amount) - commission_for(amount, percent)


def balance_of(shop: Shop) -> int:
    """The shop's balance: the sum of its ledger, held sales included."""
    return LedgerEntry.objects.of_shop(shop).balance()


def available_balance_of(shop: Shop, *, at: datetime | None = None) -> int:
    """What the shop may be paid out now: the sum of its entries available at `at`."""
    return LedgerEntry.objects.of_shop(shop).available(at).balance()


def sale_hold() -> timedelta:
    """How long a delivered sale is held before it may be paid out (the cooperative's choice)."""
    return timedelta(days=settings.LEDGER_SALE_HOLD_DAYS)


def _lock_shop(shop: Shop) -> Shop:
    """Lock the shop's row: every write to its ledger holds it, so balance checks cannot race."""
    return Shop.objects.select_for_update().get(pk=shop.pk)


def record_down_payment_released(*, suborder: SubOrder) -> bool:
    """The work started: credit the down payment, less its share of commission; once only.

    The sale at delivery credits the rest, so the two add up to what the sale alone would.
    """
    with transaction.atomic():
        _lock_shop(suborder.shop)
        suborder = SubOrder.objects.get(pk=suborder.pk)
        if not suborder.down_payment or suborder.work_started_at is None:
            return False
        if LedgerEntry.objects.filter(suborder=suborder, kind=Kind.DOWN_PAYMENT).exists():
            return False
        commission, note = _commission_on(suborder, suborder.down_payment)
        LedgerEntry(
            shop_id=suborder.shop_id,
            kind=Kind.DOWN_PAYMENT,
            amount=suborder.down_payment,
            suborder=suborder,
        ).save()
        LedgerEntry(
            shop_id=suborder.shop_id,
            kind=Kind.DOWN_PAYMENT_COMMISSION,
            amount=-commission,
            suborder=suborder,
            **phrases.fields("note", note),
        ).save()
    return True


def _commission_on(suborder: SubOrder, amount: int) -> tuple[int, Phrase | str]:
    """The commission on `amount` rupiah of the sub-order's goods, and the note saying how.

    A sub-order with an agreed commission (an institution's order: the cooperative's margin
    over the maker's price) takes that share of it, so the down payment's part and the sale's
    rest add up to the agreed amount exactly; any other takes the shop's percent.
    """
    if suborder.agreed_commission is not None:
        if amount == suborder.subtotal:
            return suborder.agreed_commission, phrase(gettext_noop("agreed margin"))
        exact = Decimal(suborder.agreed_commission) * Decimal(amount) / Decimal(suborder.subtotal)
        margin = phrase(gettext_noop("agreed margin"))
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)), margin
    percent = commission_percent_for(suborder.shop)
    return commission_for(amount, percent), f"{percent.normalize():f}%"


def expected_maker_share(suborder: SubOrder, amount: int, percent: Decimal) -> int:
    """What the maker will keep of `amount` rupiah of this sub-order's goods: at `percent`
    (read once by the caller for a list), or after its agreed commission's share."""
    if suborder.agreed_commission is not None:
        return amount - _commission_on(suborder, amount)[0]
    return maker_share(amount, percent)


def _credited_before_sale(suborder: SubOrder) -> tuple[int, int]:
    """The down payment credited at work start, and the commission taken on it."""
    entries = LedgerEntry.objects.filter(suborder=suborder)
    down = entries.filter(kind=Kind.DOWN_PAYMENT).aggregate(total=Sum("amount"))["total"] or 0
    taken = entries.filter(kind=Kind.DOWN_PAYMENT_COMMISSION).aggregate(t=Sum("amount"))["t"]
    return down, -(taken or 0)


# A sale is credited once the buyer has the goods: confirmed delivered, or later.
CREDITED_STATUSES = (SubOrder.Status.DELIVERED, SubOrder.Status.COMPLETED)


def record_suborder_delivered(*, suborder: SubOrder) -> bool:
    """Credit a delivered sub-order: goods less commission, plus shipping; once only.

    Cash on delivery adds the cash the maker took in as its own (negative) entry, so the maker's
    balance is what the cooperative holds for them: a COD sale leaves its commission owed.
    The entries become available after the cooperative's hold, counted from the delivery; a COD
    sale's at the delivery, as the cooperative holds none of it.
    """
    with transaction.atomic():
        _lock_shop(suborder.shop)
        suborder = SubOrder.objects.select_related("order").get(pk=suborder.pk)
        if suborder.status not in CREDITED_STATUSES:
            return False
        if LedgerEntry.objects.filter(suborder=suborder, kind=Kind.SALE).exists():
            return False
        delivered_at = suborder.delivered_at or suborder.completed_at or timezone.now()
        cash = suborder.collected_in_cash
        available_at = delivered_at if cash else delivered_at + sale_hold()
        commission, note = _commission_on(suborder, suborder.subtotal)
        # A down payment credited when the work started counts towards the sale.
        down, down_commission = _credited_before_sale(suborder)
        entries = [
            LedgerEntry(
                shop_id=suborder.shop_id,
                kind=Kind.SALE,
                amount=suborder.subtotal - down,
                suborder=suborder,
            ),
            LedgerEntry(
                shop_id=suborder.shop_id,
                kind=Kind.COMMISSION,
                amount=-(commission - down_commission),
                suborder=suborder,
                **phrases.fields("note", note),
            ),
        ]
        if suborder.shipping_cost:
            entries.append(
                LedgerEntry(
                    shop_id=suborder.shop_id,
                    kind=Kind.SHIPPING,
                    amount=suborder.shipping_cost,
                    suborder=suborder,
                )
            )
        if cash:
            entries.append(
                LedgerEntry(
                    shop_id=suborder.shop_id,
                    kind=Kind.COLLECTED_IN_CASH,
                    amount=-cash,
                    suborder=suborder,
                )
            )
        for entry in entries:
            entry.available_at = available_at
            entry.save()
    return True


def record_suborder_refunded(*, suborder: SubOrder, by=None, note: str = "") -> int:
    """Take back exactly what the sub-order added to the ledger; return that amount (0 if none).

    A sale still wholly held is taken back from the moment it would have become available;
    anything already available (the sale, or a down payment) means it is taken back at once.
    """
    with transaction.atomic():
        _lock_shop(suborder.shop)
        entries = LedgerEntry.objects.filter(suborder_id=suborder.pk)
        if entries.filter(kind=Kind.REFUND).exists():
            return 0
        kept = SubOrder.objects.filter(pk=suborder.pk, is_down_payment_kept=True).exists()
        if kept and not entries.filter(kind=Kind.SALE).exists():
            # Cancelled after the work started: the down payment stays the maker's.
            return 0
        added = entries.filter(kind__in=SUBORDER_KINDS).aggregate(
            total=Sum("amount"), first=Min("available_at"), last=Max("available_at")
        )
        if not added["total"]:
            # Declined or cancelled before delivery: nothing was credited, nothing to take back.
            return 0
        now = timezone.now()
        reference = SubOrder.objects.filter(pk=suborder.pk).values_list(
            "order__reference", flat=True
        )[0]
        LedgerEntry(
            shop_id=suborder.shop_id,
            kind=Kind.REFUND,
            amount=-added["total"],
            suborder_id=suborder.pk,
            created_by=by,
            created_at=now,
            # Nothing of it payable yet (a sale in the hold): taken back from the same moment, so
            # it never touches today's balance. Else at once, though part may still be held:
            # money being refunded is never paid out meanwhile.
            available_at=now if added["first"] <= now else added["last"],
            **phrases.fields(
                "note",
                note or phrase(gettext_noop("Refund of order %(reference)s"), reference=reference),
            ),
        ).save()
    return added["total"]


def record_missing_sales() -> int:
    """Credit down payments of started work and delivered sub-orders the ledger missed (a lost
    signal); return how many."""
    missing = SubOrder.objects.filter(status__in=CREDITED_STATUSES).exclude(
        ledger_entries__kind=Kind.SALE
    )
    recorded = 0
    # Down payments first: a sale subtracts the down payment already credited.
    started = (
        SubOrder.objects.filter(work_started_at__isnull=False, down_payment__gt=0)
        .exclude(ledger_entries__kind=Kind.DOWN_PAYMENT)
        .exclude(status=SubOrder.Status.DECLINED)
        .exclude(status=SubOrder.Status.CANCELLED, is_down_payment_kept=False)
    )
    for suborder in started.select_related("shop"):
        if record_down_payment_released(suborder=suborder):
            recorded += 1
    for suborder in missing.select_related("shop"):
        if record_suborder_delivered(suborder=suborder):
            recorded += 1
    return recorded


def save_payout_account(*, shop: Shop, bank_name: str, account_number: str, account_holder: str):
    """Create or change the shop's payout bank account."""
    account, _created = PayoutAccount.objects.update_or_create(
        shop=shop,
        defaults={
            "bank_name": bank_name.strip(),
            "account_number": "".join(account_number.split()),
            "account_holder": account_holder.strip(),
        },
    )
    return account


def _write_payout(
    *, shop: Shop, account: PayoutAccount, amount: int, by, run: PayoutRun | None = None
) -> Payout:
    """The payout and its ledger entry; the caller holds the shop's lock and checked the amount."""
    payout = Payout.objects.create(
        shop=shop,
        amount=amount,
        requested_by=by,
        run=run,
        bank_name=account.bank_name,
        account_number=account.account_number,
        account_holder=account.account_holder,
    )
    LedgerEntry(
        shop=shop,
        kind=Kind.PAYOUT,
        amount=-amount,
        payout=payout,
        created_by=by,
        **phrases.fields("note", phrase(gettext_noop("Payout #%(number)s"), number=payout.pk)),
    ).save()
    return payout


def request_payout(*, shop: Shop, by, amount: int | None = None) -> Payout:
    """Ask for `amount` (the whole available balance when None); never more than that.

    The shop row stays locked from the balance check to the payout's ledger entry, so two
    requests at once (or a request and a payout run) are served one after the other and the
    second sees the lower balance.
    """
    with transaction.atomic():
        shop = _lock_shop(shop)
        account = PayoutAccount.objects.filter(shop=shop).first()
        if account is None:
            raise ValidationError(
                _("Add the bank account to pay into first."), code="no_payout_account"
            )
        balance = available_balance_of(shop)
        amount = balance if amount is None else int(amount)
        if amount <= 0:
            raise ValidationError(_("There is no balance to pay out."), code="no_balance")
        if amount > balance:
            raise ValidationError(_("You can ask for at most your balance."), code="over_balance")
        payout = _write_payout(shop=shop, account=account, amount=amount, by=by)
    return payout


def create_payout_run(*, by=None, minimum: int | None = None) -> PayoutRun | None:
    """Pay out every shop with a bank account whose available balance is at least `minimum`.

    Each shop is locked in pk order, like a request locks it, and its available balance read
    under that lock: a request crossing the run is served before or after, never on top.
    Returns the run, or None when no shop was due (no empty run is kept).
    """
    minimum = settings.PAYOUT_RUN_MINIMUM if minimum is None else int(minimum)
    # Read without locks to pick the shops; each is checked again under its lock below.
    candidates = list(
        LedgerEntry.objects.available()
        .filter(shop__payout_account__isnull=False)
        .values("shop_id")
        .annotate(total=Sum("amount"))
        .filter(total__gte=max(minimum, 1))
        .order_by("shop_id")
        .values_list("shop_id", flat=True)
    )
    with transaction.atomic():
        run = None
        for shop_id in candidates:
            shop = Shop.objects.select_for_update().get(pk=shop_id)
            account = PayoutAccount.objects.filter(shop=shop).first()
            balance = available_balance_of(shop)
            if account is None or balance <= 0 or balance < minimum:
                continue
            if run is None:
                run = PayoutRun.objects.create(minimum=minimum, created_by=by)
            _write_payout(shop=shop, account=account, amount=balance, by=by, run=run)
    if run is not None:
        logger.info("Payout run %s: %s payouts.", run.pk, run.payouts.count())
    return run


def mark_run_paid(*, run: PayoutRun, by, transfer_reference: str) -> PayoutRun:
    """The treasurer's bulk transfer went through: every payout of the run is paid, once.

    Each maker is told, in their own language; a second call is refused.
    """
    reference = transfer_reference.strip()
    if not reference:
        raise ValidationError(_("Give the bank's transfer reference."), code="reference")
    with transaction.atomic():
        run = PayoutRun.objects.select_for_update().get(pk=run.pk)
        if run.status == PayoutRun.Status.PAID:
            raise ValidationError(_("This payout run is already paid."), code="already_paid")
        now = timezone.now()
        run.status = PayoutRun.Status.PAID
        run.paid_at = now
        run.paid_by = by
        run.transfer_reference = reference
        run.save(update_fields=["status", "paid_at", "paid_by", "transfer_reference"])
        payouts = list(
            run.payouts.select_for_update()
            .filter(status=Payout.Status.REQUESTED)
            .select_related("shop")
            .order_by("pk")
        )
        from .notices import notify_payout_paid

        for payout in payouts:
            payout.status = Payout.Status.PAID
            payout.paid_at = now
            payout.paid_by = by
            payout.transfer_reference = reference
            payout.save(update_fields=["status", "paid_at", "paid_by", "transfer_reference"])
            notify_payout_paid(payout=payout)
    return run


def cancel_payout(*, payout: Payout, by) -> Payout:
    """The artisan takes back a request not yet transferred; the amount returns to the balance.

    Under the shop's and the payout's row locks, so it cannot cross the cooperative marking it
    paid: whichever comes second is refused. The ledger gets one adjustment for it, ever.
    """
    with transaction.atomic():
        _lock_shop(payout.shop)
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status != Payout.Status.REQUESTED:
            raise ValidationError(
                _("Only a payout still waiting for its transfer can be cancelled."),
                code="not_requested",
            )
        if payout.run_id is not None:
            # The run's transfer file may already be at the bank: the money is on its way.
            raise ValidationError(
                _("This payout is in the cooperative's bank transfer already."), code="in_run"
            )
        payout.status = Payout.Status.CANCELLED
        payout.cancelled_at = timezone.now()
        payout.cancelled_by = by
        payout.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        LedgerEntry(
            shop_id=payout.shop_id,
            kind=Kind.ADJUSTMENT,
            amount=payout.amount,
            payout=payout,
            created_by=by,
            **phrases.fields(
                "note", phrase(gettext_noop("Payout #%(number)s cancelled"), number=payout.pk)
            ),
        ).save()
    return payout


def mark_payout_paid(*, payout: Payout, by, transfer_reference: str) -> Payout:
    """The cooperative transferred the money; record the reference and tell the artisan."""
    reference = transfer_reference.strip()
    if not reference:
        raise ValidationError(_("Give the bank's transfer reference."), code="reference")
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status == Payout.Status.PAID:
            raise ValidationError(_("This payout is already paid."), code="already_paid")
        if payout.status == Payout.Status.CANCELLED:
            raise ValidationError(_("The artisan cancelled this payout request."), code="cancelled")
        if payout.run_id is not None:
            raise ValidationError(
                _("This payout belongs to a payout run: mark the run paid."), code="in_run"
            )
        payout.status = Payout.Status.PAID
        payout.paid_at = timezone.now()
        payout.paid_by = by
        payout.transfer_reference = reference
        payout.save(update_fields=["status", "paid_at", "paid_by", "transfer_reference"])
        from .notices import notify_payout_paid

        notify_payout_paid(payout=payout)
    return payout
