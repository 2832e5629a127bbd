"""Carts, orders split into one sub-order per shop, their lines, shipping and status history."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from catalog.models import Product, ProductOption
from core import phrases
from core.models import acting_user

# Letters and digits that cannot be confused when read aloud or typed from a phone screen.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_order_reference() -> str:
    """BK-2611-7F3QK9: year, month, six random characters (887 million a month; clashes redrawn)."""
    stamp = timezone.localtime().strftime("%y%m")
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"BK-{stamp}-{code}"


class ShippingZone(models.TextChoices):
    """How far a parcel travels from a Kutai Timur workshop."""

    LOCAL = "local", _("Within Kutai Timur")
    KALIMANTAN = "kalimantan", _("Rest of Kalimantan")
    INDONESIA = "indonesia", _("Rest of Indonesia")


class ShippingProfile(models.Model):
    """A shop's flat shipping rates per zone, and whether it offers pickup and COD."""

    shop = models.OneToOneField(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="shipping_profile"
    )
    rate_local = models.PositiveIntegerField(_("rate within Kutai Timur (Rp)"), default=15_000)
    rate_kalimantan = models.PositiveIntegerField(_("rate rest of Kalimantan (Rp)"), default=35_000)
    rate_indonesia = models.PositiveIntegerField(_("rate rest of Indonesia (Rp)"), default=60_000)
    offers_pickup = models.BooleanField(_("offers pickup at the workshop"), default=True)
    offers_cod = models.BooleanField(_("offers cash on delivery / pay at pickup"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shipping profile")
        verbose_name_plural = _("shipping profiles")

    def __str__(self) -> str:
        return str(self.shop)

    def rate_for(self, zone: str) -> int:
        return getattr(self, f"rate_{ShippingZone(zone).value}")


class AddressFields(models.Model):
    """An Indonesian postal address with the recipient's WhatsApp number."""

    recipient = models.CharField(_("recipient"), max_length=120)
    phone = models.CharField(_("phone (WhatsApp)"), max_length=20)
    street = models.CharField(_("street and house number"), max_length=255)
    kelurahan = models.CharField(_("kelurahan / desa"), max_length=100)
    kecamatan = models.CharField(_("kecamatan"), max_length=100)
    kabupaten = models.CharField(_("kabupaten / kota"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=5)
    # The Kemendagri codes of the regions chosen (see the regions app). Empty on addresses saved
    # before the codes were kept: their names above stay what they were and still work.
    province_code = models.CharField(_("province code"), max_length=2, blank=True, default="")
    regency_code = models.CharField(
        _("kabupaten / kota code"), max_length=5, blank=True, default=""
    )
    district_code = models.CharField(_("kecamatan code"), max_length=8, blank=True, default="")
    village_code = models.CharField(
        _("kelurahan / desa code"), max_length=13, blank=True, default=""
    )

    ADDRESS_FIELDS = (
        "recipient",
        "phone",
        "street",
        "kelurahan",
        "kecamatan",
        "kabupaten",
        "province",
        "postal_code",
    )
    CODE_FIELDS = ("province_code", "regency_code", "district_code", "village_code")

    class Meta:
        abstract = True

    def address_lines(self) -> list[str]:
        return [
            self.street,
            f"{self.kelurahan}, {self.kecamatan}",
            f"{self.kabupaten}, {self.province} {self.postal_code}",
        ]

    def address_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in (*self.ADDRESS_FIELDS, *self.CODE_FIELDS)}


class Address(AddressFields):
    """An address an account saved for its next checkouts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(_("label"), max_length=60, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at", "-pk"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return self.label or f"{self.recipient}, {self.kabupaten}"


class Cart(models.Model):
    """A signed-in buyer's cart; guests keep theirs in the session until they log in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return str(self.user)


class CartItem(models.Model):
    """One product option in a cart, with the price and stock seen when it was added."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    option = models.ForeignKey(ProductOption, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    price_when_added = models.PositiveIntegerField(_("price when added (Rp)"))
    stock_when_added = models.PositiveIntegerField(_("stock when added"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")
        constraints = [
            models.UniqueConstraint(fields=["cart", "option"], name="cart_item_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="cart_item_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.option}"


class PaymentMethod(models.TextChoices):
    # QRIS, bank virtual accounts and e-wallets through Midtrans: the buyer's channel is kept on
    # the payment request (`Payment.channel`), and may change until it is paid.
    MIDTRANS = "midtrans", _("QRIS, virtual account or e-wallet")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    COD = "cod", _("Cash on delivery / pay at pickup")
    CARD = "card", _("Card")


class MidtransChannel(models.TextChoices):
    """The ways to pay through Midtrans that a buyer can pick."""

    QRIS = "qris", _("QRIS (any bank or e-wallet app)")
    BCA_VA = "bca_va", _("BCA virtual account")
    BNI_VA = "bni_va", _("BNI virtual account")
    BRI_VA = "bri_va", _("BRI virtual account")
    PERMATA_VA = "permata_va", _("Permata virtual account")
    MANDIRI_BILL = "mandiri_bill", _("Mandiri bill payment")
    GOPAY = "gopay", _("GoPay")
    SHOPEEPAY = "shopeepay", _("ShopeePay")


class OrderQuerySet(models.QuerySet):
    def for_buyer(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(buyer=user)

    def due_for_routing(self, *, older_than):
        """Confirmed orders the worker has not routed yet, confirmed before `older_than`."""
        return self.filter(
            status=Order.Status.CONFIRMED, routed_at__isnull=True, confirmed_at__lt=older_than
        )


class Order(AddressFields):
    """One checkout by one buyer; split into one sub-order per shop."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        # Paid, or placed with cash on delivery: ready to be routed to the artisans.
        CONFIRMED = "confirmed", _("Confirmed")
        EXPIRED = "expired", _("Expired (not paid in time)")
        CANCELLED = "cancelled", _("Cancelled")

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_order_reference
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.SET_NULL,
        related_name="orders",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("email"))
    # The language the buyer checked out in: a guest's emails are written in it.
    language = models.CharField(_("language"), max_length=8, default="id")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.AWAITING_PAYMENT,
        db_index=True,
    )
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    shipping_zone = models.CharField(
        _("shipping zone"), max_length=20, choices=ShippingZone.choices
    )
    subtotal = models.PositiveIntegerField(_("subtotal (Rp)"), default=0)
    shipping_total = models.PositiveIntegerField(_("shipping (Rp)"), default=0)
    total = models.PositiveIntegerField(_("total (Rp)"), default=0)
    created_at = models.DateTimeField(_("placed at"), default=timezone.now, db_index=True)
    payment_due_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)
    # Set with the reminder's outbox row, by a conditional update: one reminder per order.
    payment_reminder_sent_at = models.DateTimeField(
        _("payment reminder sent at"), null=True, blank=True
    )
    # An institution's agreed order: confirmed and routed at once, any down payment asked on
    # acceptance, and the rest invoiced after the handover (not asked when a piece is ready).
    is_invoiced_after_handover = models.BooleanField(
        _("rest invoiced after the handover"), default=False
    )

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["status", "routed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=models.F("subtotal") + models.F("shipping_total")),
                name="order_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class SubOrder(models.Model):
    """The part of an order one shop fulfils."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        # Made-to-order work started ("Mulai dikerjakan"): the down payment reaches the maker.
        IN_PROGRESS = "in_progress", _("In progress")
        # The piece is finished: the rest of its price is asked before it ships.
        READY = "ready", _("Ready")
        DECLINED = "declined", _("Declined")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Delivery(models.TextChoices):
        SHIP = "ship", _("Shipped by courier")
        PICKUP = "pickup", _("Pickup at the workshop")
        # An institution's order: the maker brings it to the office, which confirms the handover.
        HANDOVER = "handover", _("Handed over to the institution")

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="suborders"
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="suborders"
    )
    shop_name = models.CharField(_("shop name"), max_length=120)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.SHIP
    )
    subtotal = models.PositiveIntegerField(_("subtotal (Rp)"), default=0)
    shipping_cost = models.PositiveIntegerField(_("shipping (Rp)"), default=0)
    total = models.PositiveIntegerField(_("total (Rp)"), default=0)
    # Made-to-order goods paid at checkout as a down payment, and the rest asked when ready.
    down_payment = models.PositiveIntegerField(_("down payment (Rp)"), default=0)
    balance = models.PositiveIntegerField(_("rest to pay when ready (Rp)"), default=0)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    ready_by = models.DateField(_("ready by"), null=True, blank=True)
    work_started_at = models.DateTimeField(_("work started at"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    courier = models.CharField(_("courier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    stock_restored_at = models.DateTimeField(_("stock given back at"), null=True, blank=True)
    is_refund_due = models.BooleanField(_("refund due"), default=False)
    # What goes back to the buyer: what they paid for this part, less a down payment the
    # maker keeps (work started and the buyer cancelled).
    refund_due_amount = models.PositiveIntegerField(_("refund due (Rp)"), default=0)
    is_down_payment_kept = models.BooleanField(_("down payment kept by the maker"), default=False)
    # The cooperative's margin agreed with an institution (its price less the maker's), taken
    # in place of the commission percent; empty for every other order.
    agreed_commission = models.PositiveIntegerField(
        _("agreed commission (Rp)"), null=True, blank=True
    )
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("sub-order")
        verbose_name_plural = _("sub-orders")
        constraints = [
            models.UniqueConstraint(fields=["order", "shop"], name="suborder_one_per_shop"),
            models.CheckConstraint(
                condition=Q(down_payment__lte=models.F("subtotal"))
                & Q(balance__lte=models.F("subtotal")),
                name="suborder_down_payment_within_goods",
            ),
            models.CheckConstraint(
                condition=Q(agreed_commission__isnull=True)
                | Q(agreed_commission__lte=models.F("subtotal")),
                name="suborder_agreed_commission_within_goods",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.reference} · {self.shop_name}"

    @property
    def collected_in_cash(self) -> int:
        """What the maker takes in cash at the door or at pickup: a COD sub-order's all, less a
        down payment paid online at checkout (that one reached the cooperative)."""
        if self.order.payment_method != PaymentMethod.COD:
            return 0
        return self.total - self.down_payment


class OrderLine(models.Model):
    """One product option bought, with its title, option name and price as they were."""

    suborder = models.ForeignKey(
        SubOrder, verbose_name=_("sub-order"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    option = models.ForeignKey(
        ProductOption, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    product_title = models.CharField(_("product"), max_length=140)
    option_name = models.CharField(_("option"), max_length=60, blank=True)
    unit_price = models.PositiveIntegerField(_("unit price (Rp)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.PositiveIntegerField(_("total (Rp)"))
    is_made_to_order = models.BooleanField(_("made to order"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)

    class Meta:
        ordering = ["suborder", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.quantity} × {' – '.join(filter(None, [self.product_title, self.option_name]))}"
        )


def progress_photo_path(instance: "ProgressPhoto", filename: str) -> str:
    return f"orders/progress/{instance.suborder_id}-{secrets.token_hex(8)}.jpg"


class ProgressPhoto(models.Model):
    """A photo of made-to-order work on its way, shown to the buyer on the order's timeline."""

    class Stage(models.TextChoices):
        STARTED = "started", _("Work started")
        CANTING = "canting", _("Canting (drawing the wax)")
        COLOURING = "colouring", _("Pewarnaan (colouring)")
        WAX_REMOVAL = "wax_removal", _("Pelorodan (removing the wax)")
        FINISHED = "finished", _("Finished")

    suborder = models.ForeignKey(
        SubOrder, verbose_name=_("sub-order"), on_delete=models.CASCADE, related_name="photos"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    image = models.ImageField(_("photo"), upload_to=progress_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")

    def __str__(self) -> str:
        return f"{self.suborder_id} · {self.get_stage_display()}"


class SubOrderEvent(models.Model):
    """One change of a sub-order's status: who, when, from, to, and a note."""

    suborder = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("from"), max_length=20, choices=SubOrder.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=SubOrder.Status.choices)
    actor = acting_user(_("by"))
    note = models.TextField(_("note"), blank=True)
    # What the system said (core.phrases), shown in the reader's language; None for a note a
    # person typed (a decline reason), shown as typed.
    note_phrase = models.JSONField(_("note phrase"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("sub-order event")
        verbose_name_plural = _("sub-order events")

    def __str__(self) -> str:
        return f"{self.suborder_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def note_text(self) -> str:
        """The note in the active language."""
        return phrases.render(self.note_phrase, self.note)


class OneTapLink(models.Model):
    """A maker's one-tap link to accept or decline one sub-order, from a WhatsApp message.

    The link carries a signed, dated `nonce`; this row is what makes it single-use (`used_at`,
    set in the transaction that moves the sub-order) and ends its life (`expires_at`).
    """

    suborder = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="one_tap_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_tap_links"
    )
    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # Set with the reminder's notice, by a conditional update: one reminder per link.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-tap link")
        verbose_name_plural = _("one-tap links")
        constraints = [
            # One link per maker and sub-order: a second routing run keeps the first link.
            models.UniqueConstraint(fields=["suborder", "user"], name="one_tap_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.suborder_id} → {self.user_id}"
