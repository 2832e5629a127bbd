"""Form widgets the whole site shares."""

from django import forms


class NativeDateInput(forms.DateInput):
    """The browser's date picker (<input type="date">), which reads and writes YYYY-MM-DD only:
    Django's localised default ("25-12-2026" in Indonesian) would leave the field empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
