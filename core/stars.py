"""Ratings drawn as five Unicode stars, read out by screen readers as "4.5 out of 5"."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


def rating_label(value) -> str:
    """ "4.5 out of 5" in the active language ("4,5 dari 5" in Indonesian)."""
    value = Decimal(value)
    shown = str(int(value)) if value == value.to_integral() else number_format(value, 1)
    return _("%(rating)s out of 5") % {"rating": shown}


def stars_html(value, css_class: str = "") -> SafeString | str:
    """Five stars filled to `value` (1–5); nothing when there is no rating."""
    if value is None:
        return ""
    percent = max(0, min(100, round(Decimal(value) * 20)))
    return format_html(
        '<span class="stars{}" role="img" aria-label="{}">'
        '<span class="stars-empty" aria-hidden="true">★★★★★</span>'
        '<span class="stars-fill" aria-hidden="true" style="width: {}%">★★★★★</span></span>',
        f" {css_class}" if css_class else "",
        rating_label(value),
        percent,
    )
