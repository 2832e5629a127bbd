"""Records of origin: each hand-made piece gets a code, a public page and a hang tag.

For ready-to-ship stock the maker registers pieces (one per unit); made-to-order work gets one
per piece when its sub-order ships. The page (`/asal/<code>/`) shows the maker, the district, the
motif and its story, the technique and fabric, the date finished and the photos of the making.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from catalog.models import Product

from .models import OrderLine, Piece, SubOrder

MAX_PIECES_AT_ONCE = 100


def _snapshot(product: Product | None, title: str) -> dict:
    if product is None:
        return {"title": title}
    return {
        "title": title or product.title,
        "motifs": ", ".join(product.motifs.order_by("name").values_list("name", flat=True)),
        "technique": product.technique.name if product.technique_id else "",
        "fabric": product.fabric.name if product.fabric_id else "",
    }


def register_pieces(*, product: Product, count: int, by) -> list[Piece]:
    """The maker registers `count` finished pieces of a listing (its stock), each with a code."""
    if not product.shop.has_member(by):
        raise ValidationError(_("You may not change this listing."), code="not_allowed")
    if not 1 <= count <= MAX_PIECES_AT_ONCE:
        raise ValidationError(
            _("Register between 1 and %(max)s pieces at a time.") % {"max": MAX_PIECES_AT_ONCE},
            code="count",
        )
    values = _snapshot(product, product.title)
    with transaction.atomic():
        return [
            Piece.objects.create(shop=product.shop, product=product, registered_by=by, **values)
            for _ in range(count)
        ]


def record_made_to_order_pieces(*, suborder: SubOrder) -> int:
    """One piece per made-to-order unit of a shipped sub-order; once (a repeat adds none)."""
    made = 0
    with transaction.atomic():
        lines = OrderLine.objects.filter(suborder=suborder, is_made_to_order=True).select_related(
            "product__technique", "product__fabric"
        )
        for line in lines.select_for_update(of=("self",)):
            missing = line.quantity - line.pieces.count()
            values = _snapshot(line.product, line.product_title)
            for _ in range(max(missing, 0)):
                Piece.objects.create(
                    shop_id=suborder.shop_id, product=line.product, order_line=line, **values
                )
                made += 1
    return made


def piece_url(piece: Piece) -> str:
    """The piece's page in Indonesian, as a tag's QR code carries it (the page offers English)."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("provenance", args=[piece.code])
