"""Forms for applying to sell and for a shop's profile and vacation settings.

A shop's motifs and techniques are catalog models, chosen in the catalog's
`ShopSpecialitiesForm` and set by `catalog.services.set_shop_specialities`: artisans sit below
catalog and never import it. The pages that show both forms compose them.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.images import reencoded_upload
from core.phone import normalize_indonesian_phone
from core.widgets import NativeDateInput

from .models import District, Shop, Weekday

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
PHOTO_MAX_SIDE = 800
BANNER_MAX_SIDE = 2000


def _image_field(label, help_text):
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
    )


class ShopImagesMixin:
    """Checks and re-encodes the photo and banner."""

    def clean_photo(self):
        return self._clean_image("photo", PHOTO_MAX_SIDE)

    def clean_banner(self):
        return self._clean_image("banner", BANNER_MAX_SIDE)

    def _clean_image(self, name: str, max_side: int):
        return reencoded_upload(self.cleaned_data.get(name), max_side=max_side)


class ShopApplicationForm(ShopImagesMixin, forms.Form):
    """Applying to sell, or correcting a rejected application."""

    name = forms.CharField(label=_("Shop name"), max_length=120)
    district = forms.ChoiceField(
        label=_("District (kecamatan)"),
        choices=[("", _("Choose your district")), *District.choices],
    )
    address = forms.CharField(
        label=_("Workshop address"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where you make your batik; the cooperative may visit to verify."),
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        max_length=20,
        help_text=_("Buyers contact you here, e.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    story = forms.CharField(
        label=_("Your story"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who you are, how you learnt batik, what your motifs mean."),
    )
    photo = _image_field(_("Profile photo"), _("JPEG, PNG or WebP, at most 10 MB."))
    banner = _image_field(_("Banner"), _("A wide photo of your work; JPEG, PNG or WebP."))

    def __init__(self, *args, shop: Shop | None = None, **kwargs):
        if shop is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": shop.name,
                    "district": shop.district,
                    "address": shop.address,
                    "whatsapp": shop.whatsapp,
                    "story": shop.story,
                },
            )
        super().__init__(*args, **kwargs)

    def clean_whatsapp(self):
        return normalize_indonesian_phone(self.cleaned_data["whatsapp"])

    def application_data(self) -> dict:
        """Keyword arguments for `services.submit_application`."""
        fields = ("name", "district", "address", "whatsapp", "story", "photo", "banner")
        return {field: self.cleaned_data[field] for field in fields}


class ShopProfileForm(ShopImagesMixin, forms.ModelForm):
    """What an open shop edits itself; name and district stay as the cooperative approved them."""

    photo = _image_field(_("Profile photo"), _("JPEG, PNG or WebP, at most 10 MB."))
    banner = _image_field(_("Banner"), _("A wide photo of your work; JPEG, PNG or WebP."))

    class Meta:
        model = Shop
        fields = ["story", "address", "whatsapp", "down_payment_percent", "photo", "banner"]
        widgets = {
            "story": forms.Textarea(attrs={"rows": 6}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "whatsapp": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def clean_whatsapp(self):
        return normalize_indonesian_phone(self.cleaned_data["whatsapp"])


class ShopCapacityForm(forms.ModelForm):
    """How much made-to-order work the shop finishes a week, and the days it does not work."""

    weekly_capacity = forms.IntegerField(
        label=_("Made-to-order pieces you finish per week"),
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={"min_value": _("Give at least 1 piece a week.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "With everyone in your workshop. Ready dates shown to buyers are counted from it "
            "and the work you have already accepted. Leave empty to use each product's lead "
            "time."
        ),
    )
    days_off = forms.TypedMultipleChoiceField(
        label=_("Days you do not work"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ready dates skip these days, e.g. Friday and Sunday."),
    )

    class Meta:
        model = Shop
        fields = ["weekly_capacity", "days_off"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["days_off"] = sorted(self.instance.weekdays_off)

    def clean_days_off(self):
        days = sorted(set(self.cleaned_data["days_off"]))
        if len(days) >= len(Weekday):
            raise forms.ValidationError(_("Leave at least one working day in the week."))
        return "".join(str(day) for day in days)


class VacationForm(forms.Form):
    until = forms.DateField(
        label=_("Back on"),
        required=False,
        widget=NativeDateInput(),
        help_text=_("The day you take orders again; we reopen your shop that day."),
    )
    message = forms.CharField(
        label=_("Message to buyers"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. Preparing for the Sangatta batik festival.")}
        ),
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until < timezone.localdate():
            raise forms.ValidationError(_("The return date must be today or later."))
        return until


class RejectionForm(forms.Form):
    """The reason the cooperative's admin gives when rejecting applications."""

    reason = forms.CharField(
        label=_("Reason (the applicant reads this)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )
