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
from regions.models import regions_inside

from . import capacity
from .models import (
    Address,
    MidtransChannel,
    PaymentMethod,
    ProgressPhoto,
    ShippingProfile,
    SubOrder,
)
from .payments import midtrans_api
from .shipping import KUTAI_TIMUR, shipping_zone_for, shipping_zone_of


class AddToCartForm(forms.Form):
    option = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(min_value=1, max_value=99, initial=1)
    # The product page the form was on: where a buyer who chose no option goes back to.
    product = forms.IntegerField(min_value=1, required=False)


class QuantityForm(forms.Form):
    option = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(min_value=0, max_value=99)


# The address's Indonesian terms stay on English pages too (they are what the courier reads);
# English readers get what each one means beside it.
ENGLISH_HINTS = {
    "village": _("The village (desa) or urban ward (kelurahan)."),
    "district": _("The district within the regency or city."),
    "regency": _("The regency (kabupaten) or city (kota)."),
}


def add_english_hints(form: forms.BaseForm) -> None:
    """On pages in another language than Indonesian, say what each Indonesian address term means."""
    if get_language() == settings.LANGUAGE_CODE:
        return
    for name, hint in ENGLISH_HINTS.items():
        if name in form.fields:
            form.fields[name].help_text = hint


def current_values(form: forms.Form) -> dict:
    """What a form shows now (typed or initial), as the initial values of an unbound copy."""
    return {name: form[name].value() for name in form.fields}


class ZoneSelect(forms.Select):
    """A select whose options carry the shipping zone of what they stand for (`zones` maps a
    value to its zone), so the page can show the shipping as soon as one is chosen."""

    def __init__(self, *args, zones: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.zones = zones

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        zone = self.zones.get(str(value))
        if zone:
            option["attrs"]["data-zone"] = zone
        return option


def region_field(label, *, autocomplete: str, level: str) -> forms.ChoiceField:
    """A select of regions; its choices are set by the form from the region chosen above it."""
    return forms.ChoiceField(
        label=label,
        # data-region: the next select fills in place when this one changes (checkout.js).
        widget=forms.Select(attrs={"autocomplete": autocomplete, "data-region": level}),
        error_messages={
            "invalid_choice": _("Choose from the list: it follows the region chosen above it.")
        },
    )


class AddressForm(forms.Form):
    """An Indonesian address: the regions from the official list, each select offering what lies
    inside the one above it (a refresh of the page without JavaScript, in place with it)."""

    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone (WhatsApp)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    province = region_field(_("Province"), autocomplete="address-level1", level="province")
    regency = region_field(_("Kabupaten / kota"), autocomplete="address-level2", level="regency")
    district = region_field(_("Kecamatan"), autocomplete="address-level3", level="district")
    village = region_field(_("Kelurahan / desa"), autocomplete="address-level4", level="village")
    street = forms.CharField(
        label=_("Street and house number"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=5,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]{5}", "autocomplete": "postal-code"}
        ),
    )

    # Each region select, the address fields it fills (name, code), and the next select.
    REGION_LEVELS = (
        ("province", "province", "province_code"),
        ("regency", "kabupaten", "regency_code"),
        ("district", "kecamatan", "district_code"),
        ("village", "kelurahan", "village_code"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Before any bound field is made below: a bound field keeps the help text it was made with.
        add_english_hints(self)
        if not self.is_bound and not self.initial:
            # Most buyers are in Kutai Timur: its shipping shows before anything is chosen.
            self.initial = {"province": "64", "regency": KUTAI_TIMUR}
        # Offer at each level what lies inside the region chosen above it (its value only when
        # it is one of the choices: a kabupaten of another province is not kept).
        self.chosen: dict[str, str] = {}  # select name → code chosen, or ""
        self.names: dict[str, str] = {}  # select name → the official name of the chosen region
        parent = ""
        for index, (name, _field, _code) in enumerate(self.REGION_LEVELS):
            regions = regions_inside(parent) if index == 0 or parent else None
            options = dict(regions.values_list("code", "name")) if regions is not None else {}
            self.fields[name].choices = [("", "—"), *options.items()]
            value = self[name].value() or ""
            parent = value if value in options else ""
            self.chosen[name] = parent
            self.names[name] = options.get(parent, "")

    @property
    def regency_code(self) -> str:
        """The kabupaten/kota chosen (bound or not), "" until one of the province is."""
        return self.chosen["regency"]

    @property
    def shipping_zone(self) -> str:
        """The shipping zone of the kabupaten/kota chosen, "" until there is one."""
        return shipping_zone_for(regency_code=self.regency_code) if self.regency_code else ""

    def clean_phone(self) -> str:
        return normalize_indonesian_phone(self.cleaned_data["phone"])

    def clean_postal_code(self) -> str:
        code = self.cleaned_data["postal_code"].strip()
        if not (len(code) == 5 and code.isdigit()):
            raise ValidationError(_("A postal code has 5 digits."), code="postal_code")
        return code

    def address_values(self) -> dict[str, str]:
        """The address as `place_order` takes it: the typed fields, the regions' official names
        and their codes (after is_valid())."""
        data = self.cleaned_data
        values = {name: data[name] for name in ("recipient", "phone", "street", "postal_code")}
        for name, field, code in self.REGION_LEVELS:
            values[field] = self.names[name]
            values[code] = data[name]
        return values


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

    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    saved_address = forms.ModelChoiceField(
        label=_("Saved address"),
        queryset=Address.objects.none(),
        required=False,
        empty_label=_("A new address (below)"),
    )
    save_address = forms.BooleanField(label=_("Save this address"), required=False, initial=True)
    payment_method = forms.ChoiceField(label=_("payment"), widget=forms.RadioSelect)
    # Cash on delivery with made-to-order work that asks a down payment: how it is paid now.
    down_payment_by = forms.ChoiceField(
        label=_("With cash on delivery, pay the down payment now by"),
        widget=forms.RadioSelect,
        required=False,
    )
    pickup_shops = forms.MultipleChoiceField(
        label=_("Pick up at the workshop"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args,
        user,
        cod_allowed: bool,
        pickup_choices,
        has_down_payment: bool = False,
        **kwargs,
    ):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        # Only the methods that are configured: Midtrans' channels (each its own choice, the
        # way buyers know them), the manual transfer unless the cooperative switched it off,
        # cash on delivery where every shop offers it (and a down payment can be paid online),
        # and cards for buyers abroad.
        methods: list = []
        if midtrans_api.is_configured():
            methods += ONLINE_CHOICES
        if settings.PAYMENT_BANK_TRANSFER_ENABLED:
            methods.append((PaymentMethod.BANK_TRANSFER, PaymentMethod.BANK_TRANSFER.label))
        online = list(methods)
        if cod_allowed and (online or not has_down_payment):
            methods.append((PaymentMethod.COD, PaymentMethod.COD.label))
        if has_down_payment and online:
            self.fields["down_payment_by"].choices = online
            self.fields["down_payment_by"].initial = (
                MidtransChannel.QRIS
                if midtrans_api.is_configured()
                else PaymentMethod.BANK_TRANSFER
            )
        else:
            del self.fields["down_payment_by"]
        if settings.STRIPE_SECRET_KEY:
            methods.append((PaymentMethod.CARD, PaymentMethod.CARD.label))
        self.fields["payment_method"].choices = methods
        self.fields["payment_method"].initial = (
            MidtransChannel.QRIS if midtrans_api.is_configured() else methods[0][0]
        )
        self.fields["pickup_shops"].choices = pickup_choices
        if user.is_authenticated:
            del self.fields["email"]
            addresses = Address.objects.filter(user=user)
            self.fields["saved_address"].widget = ZoneSelect(
                zones={str(a.pk): shipping_zone_of(a.address_dict()) for a in addresses}
            )
            self.fields["saved_address"].queryset = addresses  # after: it gives the widget choices
        else:
            self.fields["email"].required = True
            del self.fields["saved_address"]
            del self.fields["save_address"]

    def saved_address_chosen(self) -> Address | None:
        """The saved address chosen so far (bound or not), or None for a new address."""
        if "saved_address" not in self.fields:
            return None
        value = str(self["saved_address"].value() or "")
        return next((a for a in self.fields["saved_address"].queryset if str(a.pk) == value), None)

    def pickup_shop_ids_chosen(self) -> set[int]:
        """The shops ticked for pickup so far (bound or not), among those that offer it."""
        offered = {str(value) for value, _label in self.fields["pickup_shops"].choices}
        ticked = self["pickup_shops"].value() or []
        return {int(value) for value in ticked if str(value) in offered}

    def payment_cards(self) -> list[tuple[str, list]]:
        """The payment choices as cards: (heading, radios), a heading over Midtrans' groups."""
        radios = {str(radio.data["value"]): radio for radio in self["payment_method"]}
        cards = []
        for value, label in self.fields["payment_method"].choices:
            if isinstance(label, list | tuple):
                cards.append((value, [radios[str(choice)] for choice, _name in label]))
            else:
                cards.append(("", [radios[str(value)]]))
        return cards

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("payment_method") == PaymentMethod.COD
            and "down_payment_by" in self.fields
            and not cleaned.get("down_payment_by")
        ):
            self.add_error(
                "down_payment_by",
                _("Choose how to pay the down payment now; the rest is paid in cash."),
            )
        return cleaned

    def payment_choice(self) -> tuple[str, str, str]:
        """The chosen (payment method, Midtrans channel, down payment method): the channel is ""
        unless Midtrans pays the order (or a cash-on-delivery order's down payment), and the
        down payment method "" unless cash on delivery asks one."""
        value = self.cleaned_data["payment_method"]
        if value in MidtransChannel.values:
            return PaymentMethod.MIDTRANS, value, ""
        down = self.cleaned_data.get("down_payment_by") or ""
        if value != PaymentMethod.COD or not down:
            return value, "", ""
        if down in MidtransChannel.values:
            return value, down, PaymentMethod.MIDTRANS
        return value, "", down

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
