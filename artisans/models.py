"""Makers' shops: one shop per approved application, run by its member accounts."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import acting_user


class District(models.TextChoices):
    """The 18 districts (kecamatan) of Kutai Timur regency."""

    BATU_AMPAR = "batu-ampar", "Batu Ampar"
    BENGALON = "bengalon", "Bengalon"
    BUSANG = "busang", "Busang"
    KALIORANG = "kaliorang", "Kaliorang"
    KARANGAN = "karangan", "Karangan"
    KAUBUN = "kaubun", "Kaubun"
    KONGBENG = "kongbeng", "Kongbeng"
    LONG_MESANGAT = "long-mesangat", "Long Mesangat"
    MUARA_ANCALONG = "muara-ancalong", "Muara Ancalong"
    MUARA_BENGKAL = "muara-bengkal", "Muara Bengkal"
    MUARA_WAHAU = "muara-wahau", "Muara Wahau"
    RANTAU_PULUNG = "rantau-pulung", "Rantau Pulung"
    SANDARAN = "sandaran", "Sandaran"
    SANGATTA_SELATAN = "sangatta-selatan", "Sangatta Selatan"
    SANGATTA_UTARA = "sangatta-utara", "Sangatta Utara"
    SANGKULIRANG = "sangkulirang", "Sangkulirang"
    TELEN = "telen", "Telen"
    TELUK_PANDAN = "teluk-pandan", "Teluk Pandan"


class Weekday(models.IntegerChoices):
    """ISO weekday numbers, as `date.isoweekday()` gives them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class ShopQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Shop.Status.APPROVED)

    def verified(self):
        return self.approved().filter(is_verified=True)

    def for_member(self, user):
        """Shops the user may manage."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def in_district(self, district: str):
        return self.filter(district=district)


class Shop(models.Model):
    """A maker's shop; public only once the cooperative has approved it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("shop name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_shops",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ShopMember",
        related_name="shops",
        verbose_name=_("members"),
    )
    district = models.CharField(_("district"), max_length=30, choices=District.choices)
    address = models.TextField(_("workshop address"))
    whatsapp = models.CharField(_("WhatsApp number"), max_length=20)
    story = models.TextField(_("story"), blank=True)
    photo = models.ImageField(_("profile photo"), upload_to="shops/photos/", blank=True)
    banner = models.ImageField(_("banner"), upload_to="shops/banners/", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    is_verified = models.BooleanField(
        _("verified Kutai Timur maker"),
        default=False,
        help_text=_("Set by the cooperative after checking that the maker works in Kutai Timur."),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Made-to-order work: the share of its price the buyer pays at checkout (uang muka), the rest
    # when the piece is ready. Ready-to-ship batik is always paid in full.
    down_payment_percent = models.PositiveSmallIntegerField(
        _("down payment on made-to-order work"),
        choices=[
            (0, _("None: paid in full at checkout")),
            (30, "30 %"),
            (40, "40 %"),
            (50, "50 %"),
        ],
        default=50,
        help_text=_("Paid at checkout; it reaches you as soon as you mark the work started."),
    )
    is_on_vacation = models.BooleanField(_("on vacation"), default=False)
    vacation_until = models.DateField(_("back on"), null=True, blank=True)
    vacation_message = models.CharField(_("vacation message"), max_length=200, blank=True)
    # Made-to-order capacity: pieces finished per week (blank: ready dates come from each
    # product's lead time alone), and the weekdays the workshop is closed, as ISO digits ("57").
    weekly_capacity = models.PositiveSmallIntegerField(
        _("made-to-order pieces per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    days_off = models.CharField(
        _("days off"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^[1-7]{0,6}$")],
    )
    # Kept by reviews.services from the visible shop reviews, in the same transaction as each change.
    rating_average = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    rating_count = models.PositiveIntegerField(_("reviews"), default=0, editable=False)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = ShopQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="shop_rejection_has_reason",
            ),
            # One application at a time: a rejected shop is edited and sent again instead.
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(status__in=["pending", "approved"]),
                name="shop_one_open_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(weekly_capacity__isnull=True) | Q(weekly_capacity__gte=1),
                name="shop_weekly_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("artisans:shop-detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def accepts_orders(self) -> bool:
        """Approved and not paused for a vacation."""
        return self.is_public and not self.is_on_vacation

    @property
    def member_since(self):
        return self.approved_at or self.created_at

    @property
    def weekdays_off(self) -> frozenset[int]:
        """The ISO weekdays the workshop does not work."""
        return frozenset(int(day) for day in self.days_off)

    def has_member(self, user) -> bool:
        return user.is_authenticated and self.memberships.filter(user=user).exists()


class ShopMember(models.Model):
    """An account that may run a shop; the owner is a member too."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OWNER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("shop member")
        verbose_name_plural = _("shop members")
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="shop_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop}"


class ShopFollow(models.Model):
    """A buyer following a shop, to see its new listings on their home page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_shops"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shop follow")
        verbose_name_plural = _("shop follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "shop"], name="shop_follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.shop}"


class ShopEvent(models.Model):
    """One change in a shop's life (applied, approved, rejected, verified...): who, when, why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Application sent")
        RESUBMITTED = "resubmitted", _("Application sent again")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        VERIFIED = "verified", _("Verified as a Kutai Timur maker")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="events")
    actor = acting_user(_("by"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=Shop.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Shop.Status.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shop event")
        verbose_name_plural = _("shop events")

    def __str__(self) -> str:
        return f"{self.shop}: {self.get_action_display()}"
