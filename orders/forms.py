"""Forms for the cart, checkout, transfer proofs and the artisan's order actions."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.documents import is_pdf, render_pdf
from core.images import validate_and_reencode
from core.phone import normalize_indonesian_phone
from core.widgets import NativeDateInput

from . import capacity
from .models import (
    Address,
    AddressFields,
    MidtransChannel,
    PaymentMethod,
    ProgressPhoto,
    ShippingProfile,
    SubOrder,
)
from .payments import midtrans_api

PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta",
    "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali",
    "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah",
    "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara", "Gorontalo",
    "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku",
    "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah",
    "Papua Pegunungan", "Papua Selatan",
]  # fmt: skip


class AddToCartForm(forms.Form):
    option = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(min_value=1, max_value=99, initial=1)


class QuantityForm(forms.Form):
    option = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(min_value=0, max_value=99)


# The address's Indonesian terms stay on English pages too (they are what the courier reads);
# English readers get what each one means beside it.
ENGLISH_HINTS = {
    "kelurahan": _("The village (desa) or urban ward (kelurahan)."),
    "kecamatan": _("The district within the regency or city."),
    "kabupaten": _("The regency (kabupaten) or city (kota)."),
}


def add_english_hints(form: forms.BaseForm) -> None:
    """On pages in another language than Indonesian, say what each Indonesian address term means."""
    if get_language() == settings.LANGUAGE_CODE:
        return
    for name, hint in ENGLISH_HINTS.items():
        if name in form.fields:
            form.fields[name].help_text = hint


class AddressForm(forms.ModelForm):
    """The Indonesian address fields, with the phone normalised for WhatsApp."""

    province = forms.ChoiceField(
        label=_("province"), choices=[("", "—")] + [(p, p) for p in PROVINCES]
    )

    class Meta:
        model = Address
        fields = list(AddressFields.ADDRESS_FIELDS)
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{5}"}),
            "recipient": forms.TextInput(attrs={"autocomplete": "name"}),
            "street": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("kabupaten", "Kutai Timur")
        self.initial.setdefault("province", "Kalimantan Timur")
        add_english_hints(self)

    def clean_phone(self) -> str:
        return normalize_indonesian_phone(self.cleaned_data["phone"])

    def clean_postal_code(self) -> str:
        code = self.cleaned_data["postal_code"].strip()
        if not (len(code) == 5 and code.isdigit()):
            raise ValidationError(_("A postal code has 5 digits."), code="postal_code")
        return code


# Midtrans' channels as buyers look for them: QRIS first, then their bank, then their wallet.
ONLINE_CHOICES = [
    (_("QRIS"), [(MidtransChannel.QRIS, MidtransChannel.QRIS.label)]),
    (
        _("Virtual account (ATM, mobile banking)"),
        [
            (channel, channel.label)
            for channel in (
                MidtransChannel.BCA_VA,
                MidtransChannel.BNI_VA,
                MidtransChannel.BRI_VA,
                MidtransChannel.MANDIRI_BILL,
                MidtransChannel.PERMATA_VA,
            )
        ],
    ),
    (
        _("E-wallet"),
        [
            (channel, channel.label)
            for channel in (MidtransChannel.GOPAY, MidtransChannel.SHOPEEPAY)
        ],
    ),
]


class CheckoutForm(forms.Form):
    """Who orders and how they pay; the address comes from AddressForm or a saved address."""

    email = forms.EmailField(label=_("email"), required=False)
    saved_address = forms.ModelChoiceField(
        label=_("saved address"), queryset=Address.objects.none(), required=False
    )
    save_address = forms.BooleanField(label=_("Save this address"), required=False, initial=True)
    payment_method = forms.ChoiceField(label=_("payment"), widget=forms.RadioSelect)
    pickup_shops = forms.MultipleChoiceField(
        label=_("Pick up at the workshop"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, cod_allowed: bool, pickup_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only the methods that are configured: Midtrans' channels (each its own choice, the
        # way buyers know them), the manual transfer unless the cooperative switched it off,
        # cash on delivery where every shop offers it, and cards for buyers abroad.
        methods: list = []
        if midtrans_api.is_configured():
            methods += ONLINE_CHOICES
        if settings.PAYMENT_BANK_TRANSFER_ENABLED:
            methods.append((PaymentMethod.BANK_TRANSFER, PaymentMethod.BANK_TRANSFER.label))
        if cod_allowed:
            methods.append((PaymentMethod.COD, PaymentMethod.COD.label))
        if settings.STRIPE_SECRET_KEY:
            methods.append((PaymentMethod.CARD, PaymentMethod.CARD.label))
        self.fields["payment_method"].choices = methods
        self.fields["payment_method"].initial = (
            MidtransChannel.QRIS if midtrans_api.is_configured() else methods[0][0]
        )
        self.fields["pickup_shops"].choices = pickup_choices
        if user.is_authenticated:
            del self.fields["email"]
            self.fields["saved_address"].queryset = Address.objects.filter(user=user)
        else:
            self.fields["email"].required = True
            del self.fields["saved_address"]
            del self.fields["save_address"]

    def payment_choice(self) -> tuple[str, str]:
        """The chosen (payment method, Midtrans channel); the channel is "" for other methods."""
        value = self.cleaned_data["payment_method"]
        if value in MidtransChannel.values:
            return PaymentMethod.MIDTRANS, value
        return value, ""

    def pickup_shop_ids(self) -> set[int]:
        return {int(value) for value in self.cleaned_data.get("pickup_shops") or []}


class RefundAccountForm(forms.Form):
    """Where the cooperative transfers a refund that a virtual account cannot take back."""

    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    account_number = forms.RegexField(
        label=_("Account number"),
        max_length=40,
        regex=r"^[0-9][0-9 -]{4,38}[0-9]$",
        error_messages={"invalid": _("An account number has only digits.")},
    )
    account_holder = forms.CharField(label=_("Account holder"), max_length=120)

    def clean_account_number(self) -> str:
        return "".join(ch for ch in self.cleaned_data["account_number"] if ch.isdigit())


def validate_proof(upload) -> ContentFile:
    """A photo of the receipt, or a PDF drawn as an image of its pages; what is kept is always
    an image made here (the one rule every upload follows, `core.images`)."""
    if upload.size > settings.ORDER_PROOF_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    upload.seek(0)
    if is_pdf(upload.read(5)):
        upload.seek(0)
        return render_pdf(upload.read())
    return validate_and_reencode(
        upload, max_bytes=settings.ORDER_PROOF_MAX_BYTES, max_pixels=settings.ORDER_PROOF_MAX_PIXELS
    )


class TransferProofForm(forms.Form):
    proof = forms.FileField(
        label=_("Proof of transfer (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )

    def clean_proof(self):
        return validate_proof(self.cleaned_data["proof"])


class AcceptForm(forms.Form):
    ready_by = forms.DateField(
        label=_("Ready by"),
        required=False,
        widget=NativeDateInput(),
        help_text=_(
            "Proposed from your pieces per week and the work already accepted; change it if you "
            "know better. The buyer sees this date."
        ),
    )

    def clean_ready_by(self):
        value = self.cleaned_data["ready_by"]
        if value and value < timezone.localdate():
            raise ValidationError(_("The ready date cannot be in the past."))
        return value

    @classmethod
    def proposing(cls, suborder) -> "AcceptForm":
        """The form with the ready date the shop's queue gives (the product page showed the
        same), which the maker may change."""
        if suborder.status != SubOrder.Status.NEW:
            return cls()
        return cls(initial={"ready_by": capacity.proposed_ready_date(suborder=suborder)})


class ProgressPhotoForm(forms.Form):
    """A photo of the work: to start it ("Mulai dikerjakan"), or while it is under way."""

    stage = forms.ChoiceField(
        label=_("What the photo shows"),
        choices=[
            (value, label)
            for value, label in ProgressPhoto.Stage.choices
            if value != ProgressPhoto.Stage.STARTED
        ],
        required=False,
    )
    photo = forms.ImageField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ShipForm(forms.Form):
    courier = forms.CharField(label=_("Courier"), max_length=60, required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=80, required=False)


class ShippingProfileForm(forms.ModelForm):
    class Meta:
        model = ShippingProfile
        fields = ["rate_local", "rate_kalimantan", "rate_indonesia", "offers_pickup", "offers_cod"]
