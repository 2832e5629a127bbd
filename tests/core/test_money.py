from decimal import Decimal

import pytest

from core.templatetags.money import format_rupiah


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "Rp 0"),
        (1000, "Rp 1.000"),
        (1_250_000, "Rp 1.250.000"),
        (Decimal("350000"), "Rp 350.000"),
        (-25_000, "-Rp 25.000"),
    ],
)
def test_rupiah(amount, shown):
    assert format_rupiah(amount) == shown


def test_rupiah_filter_in_a_template():
    from django.template import engines

    template = engines["django"].from_string("{% load money %}{{ price|rupiah }}")
    assert template.render({"price": 350000}) == "Rp 350.000"
