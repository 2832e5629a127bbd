"""Institutions that buy through the cooperative: their requests, the makers' offers, the split.

A regency office asks for, say, 120 shirts in given sizes by a date; the cooperative invites makers,
each offers what they can make, and the cooperative splits the work among them (the allocation).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from catalog.models import Fabric, Motif, Product, ProductType, Technique
from core.models import acting_user
from orders.models import Order, SubOrder


class Size(models.TextChoices):
    """Garment sizes as Indonesian uniform orders list them."""

    XS = "XS", "XS"
    S = "S", "S"
    M = "M", "M"
    L = "L", "L"
    XL = "XL", "XL"
    XXL = "XXL", "XXL"
    XXXL = "XXXL", "XXXL"


class Institution(models.Model):
    """A buyer that orders as an organisation, e.g. a regency office; verified by the cooperative."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government office")
        SCHOOL = "school", _("School")
        COMPANY = "company", _("Company")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.TextField(_("address"))
    tax_number = models.CharField(
        _("tax number (NPWP)"), max_length=30, blank=True, help_text=_("15 or 16 digits.")
    )
    email_domain = models.CharField(
        _("official email domain"),
        max_length=100,
        blank=True,
        help_text=_("e.g. kutaitimurkab.go.id"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = acting_user(_("verified by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class InstitutionMember(models.Model):
    """A user acting for an institution: a procurement officer approves, staff draft."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Procurement officer (approves)")
        STAFF = "staff", _("Staff (drafts)")

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="institution_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("institution member")
        verbose_name_plural = _("institution members")
        constraints = [
            models.UniqueConstraint(fields=["institution", "user"], name="institution_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.institution} · {self.get_role_display()}"


class ProcurementRequest(models.Model):
    """What an institution asks for (permintaan penawaran): what, how many per size, by when."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, being reviewed")
        INVITING = "inviting", _("Makers invited to offer")
        QUOTED = "quoted", _("Quote sent")
        ORDERED = "ordered", _("Quote accepted, ordered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    created_by = acting_user(_("created by"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=200)
    product_type = models.ForeignKey(
        ProductType, verbose_name=_("product type"), on_delete=models.PROTECT, related_name="+"
    )
    # None chosen: any Kutai Timur motif.
    motifs = models.ManyToManyField(Motif, verbose_name=_("motifs"), blank=True, related_name="+")
    technique = models.ForeignKey(
        Technique,
        verbose_name=_("technique"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fabric = models.ForeignKey(
        Fabric, verbose_name=_("fabric"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    colour_notes = models.TextField(_("colour notes"), blank=True)
    budget_per_piece = models.PositiveIntegerField(_("budget per piece (Rp)"))
    needed_by = models.DateField(_("needed by"))
    delivery_address = models.TextField(_("delivery address"))
    offers_due_at = models.DateTimeField(_("offers due by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("procurement request")
        verbose_name_plural = _("procurement requests")

    def __str__(self) -> str:
        return f"{self.institution} · {self.title}"


class RequestedSize(models.Model):
    """How many pieces of one size a request asks for."""

    request = models.ForeignKey(ProcurementRequest, on_delete=models.CASCADE, related_name="sizes")
    size = models.CharField(_("size"), max_length=5, choices=Size.choices)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("requested size")
        verbose_name_plural = _("requested sizes")
        constraints = [
            models.UniqueConstraint(fields=["request", "size"], name="requested_size_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="requested_size_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.size} × {self.quantity}"


class StaffMember(models.Model):
    """One person on the institution's staff list: the counts per size come from it, and each
    maker's packing list names who gets which piece."""

    request = models.ForeignKey(ProcurementRequest, on_delete=models.CASCADE, related_name="staff")
    row = models.PositiveIntegerField(_("row in the list"))
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    size = models.CharField(_("size"), max_length=5, choices=Size.choices)

    class Meta:
        ordering = ["request", "row"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.name} ({self.size})"


class Invitation(models.Model):
    """A maker the cooperative asked to offer for a request."""

    request = models.ForeignKey(
        ProcurementRequest, on_delete=models.CASCADE, related_name="invitations"
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="+"
    )
    invited_by = acting_user(_("invited by"))
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["request", "shop"], name="invitation_once")]

    def __str__(self) -> str:
        return f"{self.shop} · {self.request}"


class Offer(models.Model):
    """What one invited maker can deliver by the date, at what price per piece."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Offered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(ProcurementRequest, on_delete=models.CASCADE, related_name="offers")
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    price_per_piece = models.PositiveIntegerField(_("price per piece (Rp)"))
    delivery_date = models.DateField(_("can deliver by"))
    samples = models.ManyToManyField(
        Product, verbose_name=_("sample products"), blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["delivery_date", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(fields=["request", "shop"], name="offer_one_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.shop} · {self.request}"


class OfferedSize(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="sizes")
    size = models.CharField(_("size"), max_length=5, choices=Size.choices)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["offer", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "size"], name="offered_size_once"),
        ]

    def __str__(self) -> str:
        return f"{self.size} × {self.quantity}"


class Allocation(models.Model):
    """The cooperative's split: how many pieces of a size one offer makes."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="allocations")
    size = models.CharField(_("size"), max_length=5, choices=Size.choices)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["offer", "pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["offer", "size"], name="allocation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.offer.shop} · {self.size} × {self.quantity}"


class QuoteQuerySet(models.QuerySet):
    def for_institution(self, institution):
        return self.filter(request__institution=institution)


class Quote(models.Model):
    """The cooperative's price quote (surat penawaran harga) to the institution, from a split.

    Its lines are the cooperative's prices per size; its shares keep what each maker makes and
    at what price, as they were when it was issued (never shown to the institution).
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("Sent, waiting for the institution")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    request = models.ForeignKey(
        ProcurementRequest, verbose_name=_("request"), on_delete=models.PROTECT,
        related_name="quotes",
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ISSUED, db_index=True
    )
    delivery_date = models.DateField(_("delivery date"))
    valid_until = models.DateField(_("valid until"))
    # 0: everything is paid after the handover.
    down_payment_percent = models.PositiveSmallIntegerField(_("down payment (%)"), default=0)
    note = models.TextField(_("note"), blank=True)
    issued_by = acting_user(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    decided_by = acting_user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # The virtual account the officer chose at acceptance, for the invoice after the handover.
    payment_channel = models.CharField(_("payment channel"), max_length=20, blank=True)
    order = models.OneToOneField(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="quote",
    )  # fmt: skip

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(
                condition=Q(down_payment_percent__lte=100), name="quote_down_payment_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.ISSUED and self.valid_until < timezone.localdate()


class QuoteLine(models.Model):
    """The cooperative's price to the institution for one size."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    size = models.CharField(_("size"), max_length=5, choices=Size.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.PositiveIntegerField(_("price per piece (Rp)"))

    class Meta:
        ordering = ["quote", "pk"]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.UniqueConstraint(fields=["quote", "size"], name="quote_line_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="quote_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.size} × {self.quantity}"

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


class QuoteShare(models.Model):
    """What one maker makes of one size for the quote, at the maker's own price."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="shares")
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="+"
    )
    size = models.CharField(_("size"), max_length=5, choices=Size.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    maker_price = models.PositiveIntegerField(_("maker's price per piece (Rp)"))

    class Meta:
        ordering = ["quote", "pk"]
        verbose_name = _("maker's share")
        verbose_name_plural = _("makers' shares")
        constraints = [
            models.UniqueConstraint(fields=["quote", "shop", "size"], name="quote_share_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="quote_share_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.shop} · {self.size} × {self.quantity}"


class Handover(models.Model):
    """The institution's officer confirmed receiving one maker's part (for the BAST)."""

    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="handovers")
    suborder = models.OneToOneField(
        SubOrder, verbose_name=_("sub-order"), on_delete=models.PROTECT, related_name="handover"
    )
    confirmed_by = acting_user(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["confirmed_at", "pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.quote} · {self.suborder}"


class DocumentNumber(models.Model):
    """The last number the cooperative gave a kind of document in a year (one row each, locked
    while the next is drawn, so two documents issued at once never share a number)."""

    kind = models.CharField(_("document kind"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="document_number_per_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"
