"""One hand-made piece and its record of origin (asal): who made it, where, how, when."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from catalog.models import Product
from core.models import acting_user

from .orders import OrderLine

# Letters and digits that cannot be confused when read off a tag or typed from a phone.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 31^10: codes cannot be guessed or walked through


def new_piece_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Piece(models.Model):
    """A piece with its own code: registered by the maker for stock, or made for an order."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True, default=new_piece_code)
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="pieces"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="pieces",
    )  # fmt: skip
    # Made to order: the order line it was made for (its progress photos tell its making).
    order_line = models.ForeignKey(
        OrderLine, verbose_name=_("order line"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="pieces",
    )  # fmt: skip
    # As they were when the piece was finished, so the record stays if the listing changes.
    title = models.CharField(_("title"), max_length=140)
    motifs = models.CharField(_("motifs"), max_length=300, blank=True)
    technique = models.CharField(_("technique"), max_length=80, blank=True)
    fabric = models.CharField(_("fabric"), max_length=80, blank=True)
    finished_on = models.DateField(_("finished on"), default=timezone.localdate)
    registered_by = acting_user(_("registered by"))
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("piece")
        verbose_name_plural = _("pieces")

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"
