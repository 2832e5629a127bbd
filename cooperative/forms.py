from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.widgets import NativeDateInput

MAX_REPORT_DAYS = 366 * 5


class PeriodForm(forms.Form):
    """The period of the impact report, both days included."""

    start = forms.DateField(label=_("from"), widget=NativeDateInput())
    end = forms.DateField(label=_("to"), widget=NativeDateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise ValidationError(_("The period must start before it ends."))
            if end - start > timedelta(days=MAX_REPORT_DAYS):
                raise ValidationError(_("Choose a period of at most five years."))
        return cleaned
