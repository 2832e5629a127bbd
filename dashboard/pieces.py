"""The maker's pieces: register finished stock, and print hang tags with each piece's QR code."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Product
from core.qr import qr_svg
from orders.models import Piece
from orders.provenance import MAX_PIECES_AT_ONCE, piece_url, register_pieces

from .access import shop_member_required

TAGS_PER_SHEET = 24  # 3 × 8 on A4


class RegisterPiecesForm(forms.Form):
    product = forms.ModelChoiceField(label=gettext_lazy("Listing"), queryset=Product.objects.none())
    count = forms.IntegerField(
        label=gettext_lazy("Finished pieces"), min_value=1, max_value=MAX_PIECES_AT_ONCE, initial=1
    )

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(shop=shop).order_by("title")


@shop_member_required
def piece_list(request, shop):
    form = RegisterPiecesForm(request.POST or None, shop=shop)
    if request.method == "POST" and form.is_valid():
        try:
            pieces = register_pieces(
                product=form.cleaned_data["product"],
                count=form.cleaned_data["count"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)s piece(s) registered. Print their tags.") % {"count": len(pieces)},
            )
            return redirect("dashboard:piece-list")
    pieces = Piece.objects.filter(shop=shop)[:200]
    return render(
        request, "dashboard/piece_list.html", {"shop": shop, "form": form, "pieces": pieces}
    )


@shop_member_required
def piece_tags(request, shop):
    """An A4 sheet of hang tags: the newest pieces, or those asked for by code."""
    pieces = Piece.objects.filter(shop=shop)
    codes = [code for code in request.GET.getlist("code") if code]
    pieces = pieces.filter(code__in=codes) if codes else pieces[:TAGS_PER_SHEET]
    tags = []
    for piece in pieces:
        url = piece_url(piece)
        tags.append({"piece": piece, "url": url, "qr": qr_svg(url, scale=3)})
    return render(request, "dashboard/piece_tags.html", {"shop": shop, "tags": tags})
