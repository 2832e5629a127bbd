"""One way to write a date per language: "20 Des 2026" and "20 Dec 2026", never "20 Des. 2026"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

WHEN = datetime(2026, 12, 20, 14, 30, tzinfo=ZoneInfo("Asia/Makassar"))


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [("id", "20 Des 2026", "20 Des 2026 14:30"), ("en", "20 Dec 2026", "20 Dec 2026 14:30")],
)
def test_dates_read_the_same_way_in_templates_and_code(language, day, moment):
    template = Template("{{ day }}|{{ day|date }}|{{ moment|date:'DATETIME_FORMAT' }}")
    with translation.override(language):
        shown = template.render(Context({"day": date(2026, 12, 20), "moment": WHEN}))
    assert shown == f"{day}|{day}|{moment}"
