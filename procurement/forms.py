"""Forms of the institutional flow: a request with its sizes or staff list, a maker's offer."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Motif
from core.forms import in_reader_language
from core.widgets import NativeDateInput

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
