"""Rupiah formatting for templates: {{ 350000|rupiah }} → Rp 350.000."""

from decimal import Decimal

from django import template

register = template.Library()


def format_rupiah(amount: int | Decimal | None) -> str:
    """Whole rupiah with dots between thousands, as Indonesians write prices."""
    if amount is None or amount == "":
        return ""
    value = int(Decimal(amount).quantize(Decimal(1)))
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {abs(value):,}".replace(",", ".")


@register.filter(name="rupiah")
def rupiah(amount) -> str:
    return format_rupiah(amount)
