"""Forms of the institutional flow: a request with its sizes or staff list, a maker's offer."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from catalog.models import Motif
from core.forms import in_reader_language
from core.phone import normalize_indonesian_phone
from core.widgets import NativeDateInput
from orders.models import MidtransChannel, PaymentMethod

from .models import ProcurementRequest, Size
from .staff_list import parse_staff_list


class SizeCountsMixin:
    """One whole-number field per size, `size_S` ... `size_XXXL`."""

    def add_size_fields(self, *, label_suffix: str = "") -> None:
        for size in Size.values:
            self.fields[f"size_{size}"] = forms.IntegerField(
                label=f"{size}{label_suffix}", min_value=0, max_value=10_000, required=False
            )

    def size_counts(self) -> dict[str, int]:
        return {
            size: self.cleaned_data.get(f"size_{size}") or 0
            for size in Size.values
            if self.cleaned_data.get(f"size_{size}")
        }


class RequestForm(SizeCountsMixin, forms.ModelForm):
    staff_list = forms.FileField(
        label=_("Staff list (CSV)"),
        required=False,
        help_text=_("Columns: nama, unit, ukuran. The counts per size come from it."),
    )

    class Meta:
        model = ProcurementRequest
        fields = ["title", "product_type", "motifs", "technique", "fabric", "colour_notes",
                  "budget_per_piece", "needed_by", "delivery_address"]  # fmt: skip
        widgets = {
            "needed_by": NativeDateInput(),
            "motifs": forms.CheckboxSelectMultiple,
            "colour_notes": forms.Textarea(attrs={"rows": 2}),
            "delivery_address": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"motifs": _("None chosen: any Kutai Timur motif.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motifs"].queryset = Motif.objects.order_by("name")
        in_reader_language(self)
        self.add_size_fields()
        self.staff = None

    def clean_needed_by(self):
        value = self.cleaned_data["needed_by"]
        if value <= timezone.localdate():
            raise ValidationError(_("The date needed must be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("staff_list")
        if upload:
            try:
                self.staff = parse_staff_list(upload)
            except ValidationError as error:
                self.add_error("staff_list", error)
        elif not self.size_counts():
            raise ValidationError(_("Give the number of pieces per size, or upload a staff list."))
        return cleaned


class OfferForm(SizeCountsMixin, forms.Form):
    price_per_piece = forms.IntegerField(label=_("Price per piece (Rp)"), min_value=1)
    delivery_date = forms.DateField(label=_("I can deliver by"), widget=NativeDateInput())

    def __init__(self, *args, sizes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.add_size_fields()
        for size in Size.values:
            if size not in sizes:
                del self.fields[f"size_{size}"]

    def clean(self):
        cleaned = super().clean()
        if not self.size_counts():
            raise ValidationError(_("Offer at least one piece."))
        return cleaned


class QuoteAcceptForm(forms.Form):
    """The officer accepts: how the institution pays, and who receives the goods at the office."""

    payment_method = forms.ChoiceField(
        label=_("Payment"),
        choices=[
            (PaymentMethod.BANK_TRANSFER, _("Bank transfer")),
            (PaymentMethod.MIDTRANS, _("Virtual account")),
        ],
        widget=forms.RadioSelect,
        initial=PaymentMethod.BANK_TRANSFER,
    )
    channel = forms.ChoiceField(
        label=_("Virtual account bank"),
        required=False,
        choices=[("", "—")]
        + [(value, label) for value, label in MidtransChannel.choices if value.endswith("_va")],
    )
    recipient = forms.CharField(label=_("Received at the office by"), max_length=120)
    phone = forms.CharField(label=_("Their WhatsApp number"), max_length=20)
    kabupaten = forms.CharField(label=_("Kabupaten / kota"), max_length=100, initial="Kutai Timur")
    province = forms.CharField(label=_("Province"), max_length=100, initial="Kalimantan Timur")

    def clean_phone(self):
        return normalize_indonesian_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        is_online = cleaned.get("payment_method") == PaymentMethod.MIDTRANS
        if is_online and not cleaned.get("channel"):
            self.add_error("channel", _("Choose the bank of the virtual account."))
        if not is_online:
            cleaned["channel"] = ""
        return cleaned

    def address(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in ("recipient", "phone", "kabupaten", "province")
        }


class QuoteDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class QuoteIssueForm(forms.Form):
    """The cooperative's price per size of a split, its dates and payment terms."""

    delivery_date = forms.DateField(label=_("Delivery date"), widget=NativeDateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=NativeDateInput())
    down_payment_percent = forms.IntegerField(
        label=_("Down payment on acceptance (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("0: everything is paid after the handover."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, sizes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for size in sizes:
            self.fields[f"price_{size}"] = forms.IntegerField(
                label=_("Price per piece, size %(size)s (Rp)") % {"size": size}, min_value=1
            )
        self.sizes = sizes

    def prices(self) -> dict[str, int]:
        return {size: self.cleaned_data[f"price_{size}"] for size in self.sizes}


class InviteMakersForm(forms.Form):
    """The makers the cooperative asks to offer: verified Kutai Timur makers only."""

    shops = forms.ModelMultipleChoiceField(
        label=_("Makers"),
        queryset=Shop.objects.verified(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one maker to invite."),
            "invalid_choice": _("Only verified Kutai Timur makers can be invited."),
        },
    )
