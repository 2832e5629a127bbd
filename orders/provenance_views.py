"""The public page of a piece's origin, reached from the QR code on its hang tag."""

from django.shortcuts import render

from .models import Piece


def provenance(request, code: str):
    piece = (
        Piece.objects.select_related("shop", "product", "order_line__suborder")
        .filter(code=code.strip().upper())
        .first()
    )
    if piece is None:
        return render(request, "orders/provenance_unknown.html", {"code": code}, status=404)
    photos = []
    if piece.order_line_id:
        photos = list(piece.order_line.suborder.photos.all())
    motifs = list(piece.product.motifs.order_by("name")) if piece.product_id else []
    return render(
        request,
        "orders/provenance.html",
        {"piece": piece, "shop": piece.shop, "photos": photos, "motifs": motifs},
    )
