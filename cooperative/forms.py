from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.widgets import NativeDateInput

MAX_REPORT_DAYS = 366 * 5


class PeriodForm(forms.Form):
    """The period of the impact report, both days included."""

    # A period's words ("Dari" / "Sampai"), not a status change's ("dari" / "menjadi").
    start = forms.DateField(label=pgettext_lazy("period", "From"), widget=NativeDateInput())
    end = forms.DateField(label=pgettext_lazy("period", "To"), widget=NativeDateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise ValidationError(_("The period must start before it ends."))
            if end - start > timedelta(days=MAX_REPORT_DAYS):
                raise ValidationError(_("Choose a period of at most five years."))
        return cleaned
