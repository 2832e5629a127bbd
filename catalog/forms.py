"""Forms an artisan fills in to list batik: the product, its options and its photos."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import in_reader_language

from .models import Colour, Fabric, Motif, Product, ProductType, ShopTypeCapacity, Technique
from .services import NOT_BATIK_TECHNIQUES

MAX_PRICE = 1_000_000_000
# Whole rupiah, optionally grouped by thousands with dots or spaces: 350000, 350.000, 1 250 000.
_RUPIAH = re.compile(r"^\d{1,3}(?:([. ])\d{3})?(?:\1\d{3})*$|^\d+$")


class RupiahField(forms.Field):
    """A price in whole rupiah; refuses cents and negative amounts with a plain message."""

    default_error_messages = {
        "invalid": _("Enter the price in whole rupiah using digits only, for example 350000."),
        "decimal": _("Rupiah have no cents: enter a whole number, for example 350000."),
        "negative": _("The price cannot be negative."),
        "zero": _("The price must be more than Rp 0."),
        "too_high": _("That price is too high; check the number of zeros."),
    }

    def __init__(self, *, allow_negative: bool = False, allow_zero: bool = False, **kwargs):
        self.allow_negative = allow_negative
        self.allow_zero = allow_zero
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().removeprefix("Rp").removeprefix("rp").strip()
        negative = text.startswith("-")
        digits = text.lstrip("-").strip()
        if negative and not self.allow_negative:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if _RUPIAH.match(digits):
            amount = int(re.sub(r"[. ]", "", digits))
        elif re.match(r"^[\d.]*[.,]\d{1,2}$", digits):
            raise forms.ValidationError(self.error_messages["decimal"], code="decimal")
        else:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = -amount if negative else amount
        if amount == 0 and not self.allow_zero:
            raise forms.ValidationError(self.error_messages["zero"], code="zero")
        if abs(amount) > MAX_PRICE:
            raise forms.ValidationError(self.error_messages["too_high"], code="too_high")
        return amount


class ProductForm(forms.ModelForm):
    """The listing's details; status changes go through their own buttons."""

    price = RupiahField(
        label=_("Price (Rp)"), help_text=_("Whole rupiah, for example 350000 or 350.000.")
    )

    class Meta:
        model = Product
        fields = [
            "title",
            "description",
            "title_en",
            "description_en",
            "motifs",
            "technique",
            "fabric",
            "product_type",
            "length_cm",
            "width_cm",
            "colours",
            "price",
            "is_made_to_order",
            "lead_time_days",
        ]
        widgets = {
            "motifs": forms.CheckboxSelectMultiple,
            "colours": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "technique": forms.RadioSelect,
        }
        help_texts = {
            "technique": _("Printed textile is not batik and is not sold here."),
            "lead_time_days": _("How many days you need to make a piece after it is ordered."),
            "is_made_to_order": _("You make each piece when it is ordered; stock is not counted."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motifs"].queryset = Motif.objects.all()
        self.fields["technique"].queryset = Technique.objects.exclude(slug__in=NOT_BATIK_TECHNIQUES)
        self.fields["technique"].empty_label = None
        self.fields["fabric"].queryset = Fabric.objects.all()
        self.fields["product_type"].queryset = ProductType.objects.all()
        self.fields["colours"].queryset = Colour.objects.all()
        self.fields["lead_time_days"].widget.attrs.update(min=1, max=365)
        self.fields["length_cm"].widget.attrs.update(min=1)
        self.fields["width_cm"].widget.attrs.update(min=1)
        in_reader_language(self)

    def clean_lead_time_days(self):
        days = self.cleaned_data.get("lead_time_days")
        if days is not None and not 1 <= days <= 365:
            raise forms.ValidationError(_("Enter between 1 and 365 days."))
        return days

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_made_to_order") and not cleaned.get("lead_time_days"):
            self.add_error(
                "lead_time_days",
                _("Made-to-order listings need a lead time: how many days you need."),
            )
        if not cleaned.get("is_made_to_order"):
            cleaned["lead_time_days"] = None
        return cleaned

    def service_data(self) -> dict:
        """Cleaned values in the shape catalog.services expects."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class OptionForm(forms.Form):
    """One size or length of a product."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Option"),
        max_length=60,
        required=False,
        help_text=_("For example S, M, L or 2 m. Leave empty if the product has no sizes."),
    )
    price_delta = RupiahField(
        label=_("Price difference (Rp)"), required=False, allow_negative=True, allow_zero=True
    )
    stock = forms.IntegerField(
        label=_("Stock"),
        min_value=0,
        initial=1,
        required=False,
        error_messages={"min_value": _("Stock cannot be below zero.")},
    )


class BaseOptionFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        options = self.options()
        if not options:
            raise forms.ValidationError(
                _("Add at least one option (a product without sizes has one, without a name).")
            )
        names = [option["name"].strip().casefold() for option in options]
        if len(options) > 1 and not all(names):
            raise forms.ValidationError(
                _("Give every option a name (for example S, M, L) when there are several.")
            )
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Each option needs a different name."))

    def options(self) -> list[dict]:
        """The options kept (filled in and not marked for removal), in order."""
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or (self.can_delete and data.get("DELETE")):
                continue
            kept.append(
                {
                    "id": data.get("id"),
                    "name": (data.get("name") or "").strip(),
                    "price_delta": data.get("price_delta") or 0,
                    "stock": data.get("stock") or 0,
                }
            )
        return kept


OptionFormSet = forms.formset_factory(
    OptionForm, formset=BaseOptionFormSet, extra=1, can_delete=True, max_num=30, validate_max=True
)


class StockForm(forms.Form):
    """Inline stock of one option on the listings page."""

    stock = forms.IntegerField(
        label=_("Stock"),
        min_value=0,
        max_value=100_000,
        error_messages={
            "min_value": _("Stock cannot be below zero."),
            "invalid": _("Enter a whole number of pieces."),
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked later, one by one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImageUploadForm(forms.Form):
    """Several photos at once; each is checked by catalog.images."""

    images = MultipleFileField(
        label=_("Photos"),
        help_text=_("JPEG, PNG or WebP, up to 10 MB and 40 megapixels each."),
        error_messages={"required": _("Choose one or more photos to upload.")},
    )


class AltTextForm(forms.Form):
    alt_text = forms.CharField(
        label=_("Description of the photo"),
        max_length=200,
        required=False,
        help_text=_("What the photo shows, for buyers who use a screen reader."),
    )


class HideReasonForm(forms.Form):
    """The reason the cooperative gives when it hides listings; the artisan reads it."""

    reason = forms.CharField(
        label=_("Reason (the artisan reads this)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


class ShopSpecialitiesForm(forms.Form):
    """The motifs and techniques a shop works in; part of the application and the shop profile."""

    motifs = forms.ModelMultipleChoiceField(
        label=_("Motifs you make"),
        queryset=Motif.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    techniques = forms.ModelMultipleChoiceField(
        label=_("Techniques you work in"),
        queryset=Technique.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, shop=None, **kwargs):
        if shop is not None:
            kwargs.setdefault(
                "initial",
                {"motifs": list(shop.motifs.all()), "techniques": list(shop.techniques.all())},
            )
        super().__init__(*args, **kwargs)
        in_reader_language(self)

    def save(self, shop) -> None:
        """Set the chosen motifs and techniques on `shop` (call inside the caller's transaction)."""
        from .services import set_shop_specialities

        set_shop_specialities(
            shop=shop,
            motifs=self.cleaned_data["motifs"],
            techniques=self.cleaned_data["techniques"],
        )


class TypeCapacityForm(forms.Form):
    """Pieces per week for the product types a shop makes at another pace; part of the profile."""

    PREFIX = "type_capacity_"

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        current = dict(
            ShopTypeCapacity.objects.filter(shop=shop).values_list(
                "product_type_id", "weekly_capacity"
            )
        )
        self.product_types = list(ProductType.objects.all())
        for product_type in self.product_types:
            name = f"{self.PREFIX}{product_type.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Pieces of %(type)s per week") % {"type": product_type.name},
                min_value=1,
                max_value=1000,
                required=False,
                initial=current.get(product_type.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={"min_value": _("Give at least 1 piece a week.")},
            )

    def save(self, shop) -> None:
        """Store the figures on `shop` (call inside the caller's transaction)."""
        from .services import set_type_capacities

        set_type_capacities(
            shop=shop,
            capacities={
                product_type.pk: self.cleaned_data[f"{self.PREFIX}{product_type.pk}"]
                for product_type in self.product_types
            },
        )
