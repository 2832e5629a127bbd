"""Numbers of the cooperative's letters, per kind and year, in the Indonesian letter style:
`007/KBK/SPH/XII/2026` (number, cooperative, kind, month in Roman numerals, year)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import DocumentNumber

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def next_document_number(kind: str) -> str:
    """The next number for `kind` (e.g. "SPH" for a quote) this year; never given twice.

    The year's row is locked while the number is drawn: two documents issued at once wait for
    each other. A first document of the year creates the row (a clash on the unique key retries).
    """
    today = timezone.localdate()
    with transaction.atomic():
        DocumentNumber.objects.get_or_create(kind=kind, year=today.year)
        counter = DocumentNumber.objects.select_for_update().get(kind=kind, year=today.year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return (
        f"{counter.last:03d}/{settings.COOPERATIVE_LETTER_CODE}/{kind}/"
        f"{ROMAN_MONTHS[today.month - 1]}/{today.year}"
    )
