"""Indonesian phone numbers, the way WhatsApp needs them."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^\+628\d{7,11}$")


def normalize_indonesian_phone(raw: str) -> str:
    """Return the number as +628…, or raise ValidationError for a number that is not Indonesian."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("+62"):
        number = digits
    elif digits.startswith("62"):
        number = "+" + digits
    elif digits.startswith("0"):
        number = "+62" + digits[1:]
    elif digits.startswith("8"):
        number = "+62" + digits
    else:
        number = digits
    if not _MOBILE.match(number):
        raise ValidationError(
            _("Enter a valid Indonesian mobile number, e.g. 0812 3456 7890."),
            code="invalid_phone",
        )
    return number


def whatsapp_link(phone: str, message: str = "") -> str:
    """A click-to-chat link for a +62 number, with an optional prefilled message."""
    from urllib.parse import quote

    link = "https://wa.me/" + phone.lstrip("+")
    if message:
        link += "?text=" + quote(message)
    return link
