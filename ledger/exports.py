"""CSV files of the ledger: whole rupiah, UTF-8 with a BOM so Excel reads it, times in WITA."""

import csv
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LedgerEntry, Payout, PayoutRun

MAKASSAR = ZoneInfo("Asia/Makassar")
BOM = "\ufeff"


def _local(moment: datetime) -> str:
    return timezone.localtime(moment, MAKASSAR).strftime("%Y-%m-%d %H:%M")


# csv has no public type for its writers, hence Any.
def csv_response(filename: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    return response, csv.writer(response)


def bank_csv_response(filename: str) -> tuple[HttpResponse, Any]:
    """A CSV for a bank's bulk-transfer upload: plain UTF-8, no BOM the bank could misread."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, csv.writer(response)


# The bulk-transfer file's columns, fixed (not translated) so the bank's import can map them.
RUN_COLUMNS = ["bank", "account_number", "account_holder", "amount", "reference"]


def payout_reference(payout: Payout) -> str:
    """The transfer's remark the maker sees on their statement; short, as banks cut remarks."""
    return f"BATIK-KUTIM-{payout.pk}"


def write_payout_run(writer, run: PayoutRun) -> int:
    """One row per payout of the run, as it was asked (the account of that moment); the total."""
    writer.writerow(RUN_COLUMNS)
    total = 0
    for payout in run.payouts.order_by("pk"):
        writer.writerow(
            [
                payout.bank_name,
                payout.account_number,
                payout.account_holder,
                payout.amount,
                payout_reference(payout),
            ]
        )
        total += payout.amount
    return total


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of `start` to the end of `end`, both days in Asia/Makassar."""
    return (
        datetime.combine(start, time.min, tzinfo=MAKASSAR),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=MAKASSAR),
    )


def _reference(entry: LedgerEntry) -> str:
    return entry.suborder.order.reference if entry.suborder_id else ""


def write_shop_ledger(writer, entries: Iterable[LedgerEntry]) -> None:
    """One shop's ledger, oldest first, with the balance after each entry."""
    writer.writerow(
        [
            _("Date (WITA)"),
            _("Kind"),
            _("Order"),
            _("Payout"),
            _("Note"),
            _("Amount (Rp)"),
            _("Balance (Rp)"),
        ]  # fmt: skip
    )
    balance = 0
    for entry in entries:
        balance += entry.amount
        writer.writerow(
            [
                _local(entry.created_at),
                entry.get_kind_display(),
                _reference(entry),
                entry.payout_id or "",
                entry.note_text,
                entry.amount,
                balance,
            ]  # fmt: skip
        )


def write_period(writer, entries: Iterable[LedgerEntry]) -> None:
    """Every shop's entries of a period, for the cooperative's books."""
    writer.writerow(
        [
            _("Date (WITA)"),
            _("Shop"),
            _("District"),
            _("Kind"),
            _("Order"),
            _("Payout"),
            _("Transfer reference"),
            _("Note"),
            _("Amount (Rp)"),
        ]  # fmt: skip
    )
    for entry in entries:
        writer.writerow(
            [
                _local(entry.created_at),
                entry.shop.name,
                entry.shop.get_district_display(),
                entry.get_kind_display(),
                _reference(entry),
                entry.payout_id or "",
                entry.payout.transfer_reference if entry.payout_id else "",
                entry.note_text,
                entry.amount,
            ]  # fmt: skip
        )


def shop_entries(shop):
    return (
        LedgerEntry.objects.of_shop(shop)
        .select_related("suborder__order")
        .order_by("created_at", "pk")
    )


def period_entries(start: date, end: date):
    since, until = period_bounds(start, end)
    return (
        LedgerEntry.objects.filter(created_at__gte=since, created_at__lt=until)
        .select_related("shop", "suborder__order", "payout")
        .order_by("created_at", "pk")
    )
