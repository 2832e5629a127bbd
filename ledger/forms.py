"""Forms for the artisan's finance page and the cooperative's payout and export screens."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.widgets import NativeDateInput

from .models import PayoutAccount


class PayoutAccountForm(forms.ModelForm):
    class Meta:
        model = PayoutAccount
        fields = ["bank_name", "account_number", "account_holder"]
        help_texts = {"account_holder": _("The name exactly as the bank has it.")}

    def clean_account_number(self) -> str:
        number = "".join(self.cleaned_data["account_number"].split()).replace("-", "")
        if not number.isdigit() or not 6 <= len(number) <= 20:
            raise ValidationError(_("An account number has 6 to 20 digits."))
        return number


class PayoutRequestForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount (Rp)"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to ask for your whole balance."),
    )


class MarkPaidForm(forms.Form):
    transfer_reference = forms.CharField(label=_("Transfer reference"), max_length=100)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=NativeDateInput())
    end = forms.DateField(label=_("Until"), widget=NativeDateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("The period ends before it starts."))
        return data
