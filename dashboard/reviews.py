"""The artisan's reviews: what buyers wrote about the shop and its batik, and a reply to each."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviews import services
from reviews.forms import ReplyForm
from reviews.models import ProductReview, ShopReview

from .access import shop_member_required

REVIEWS_PER_PAGE = 20
# URL word for each kind of review.
KINDS = {"produk": "product", "toko": "shop"}


def _reviews_of(shop, kind: str):
    if kind == "product":
        return ProductReview.objects.filter(product__shop=shop).select_related("buyer", "product")
    return ShopReview.objects.filter(shop=shop).select_related("buyer", "shop")


@shop_member_required
def review_list(request, shop):
    """Product and shop reviews, newest first, the unanswered ones with a reply form."""
    product_page = Paginator(
        _reviews_of(shop, "product").newest_first(), REVIEWS_PER_PAGE
    ).get_page(request.GET.get("page"))
    shop_page = Paginator(_reviews_of(shop, "shop").newest_first(), REVIEWS_PER_PAGE).get_page(
        request.GET.get("toko")
    )
    context = {
        "shop": shop,
        "product_page": product_page,
        "shop_page": shop_page,
    }
    return render(request, "dashboard/reviews.html", context)


@require_POST
@shop_member_required
def review_reply(request, shop, kind: str, pk: int):
    """Answer one review of this shop, once."""
    if kind not in KINDS:
        raise Http404
    review = get_object_or_404(_reviews_of(shop, KINDS[kind]), pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("text", [])))
        return redirect("dashboard:review-list")
    try:
        services.reply_to_review(review=review, by=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your reply is published under the review."))
    return redirect("dashboard:review-list")
