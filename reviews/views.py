"""The buyer's review pages: what they can review, and the form for a product or a shop."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from artisans.models import Shop
from catalog.models import Product
from orders.models import OrderLine

from . import services
from .forms import ReviewForm
from .models import ProductReview, ShopReview

TO_REVIEW_LIMIT = 100


@login_required
def to_review(request):
    """Everything the buyer received and may review, and the reviews they wrote."""
    user = request.user
    suborders = list(
        services.delivered_suborders(user)
        .select_related("order", "shop")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("product")))[
            :TO_REVIEW_LIMIT
        ]
    )
    reviewed_products = set(
        ProductReview.objects.filter(buyer=user).values_list("product_id", flat=True)
    )
    reviewed_shops = set(ShopReview.objects.filter(buyer=user).values_list("shop_id", flat=True))
    deliveries = []
    for suborder in suborders:
        lines = [line for line in suborder.lines.all() if line.product_id]
        deliveries.append(
            {
                "suborder": suborder,
                "shop_reviewed": suborder.shop_id in reviewed_shops,
                "lines": [
                    {"line": line, "reviewed": line.product_id in reviewed_products}
                    for line in lines
                ],
            }
        )
    written = [
        *ProductReview.objects.filter(buyer=user).select_related("product", "buyer"),
        *ShopReview.objects.filter(buyer=user).select_related("shop", "buyer"),
    ]
    written.sort(key=lambda review: review.created_at, reverse=True)
    return render(request, "reviews/to_review.html", {"deliveries": deliveries, "written": written})


def _review_page(request, *, subject, check, create, done_url: str, kind: str):
    try:
        check()
    except ValidationError as error:
        if error.code == "duplicate":
            messages.info(request, " ".join(error.messages))
            return redirect("reviews:to-review")
        return render(
            request,
            "reviews/review_refused.html",
            {"subject": subject, "kind": kind, "reasons": error.messages},
            status=403,
        )
    form = ReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            create(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you! Your review is published."))
            return redirect(done_url)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "reviews/review_form.html",
        {"form": form, "subject": subject, "kind": kind},
        status=status,
    )


@login_required
def product_review_create(request, product_id: int):
    """Rate and review a batik the buyer received."""
    product = get_object_or_404(Product.objects.select_related("shop"), pk=product_id)
    done_url = (
        product.get_absolute_url()
        if product.status == Product.Status.ACTIVE and product.shop.is_public
        else "reviews:to-review"
    )
    return _review_page(
        request,
        subject=product,
        kind="product",
        check=lambda: services.verified_suborder_for_product(buyer=request.user, product=product),
        create=lambda data: services.create_product_review(
            buyer=request.user,
            product=product,
            rating=data["rating"],
            text=data["text"],
            photo=data["photo"],
        ),
        done_url=done_url,
    )


@login_required
def shop_review_create(request, shop_id: int):
    """Rate and review a shop the buyer received an order from."""
    shop = get_object_or_404(Shop, pk=shop_id)
    return _review_page(
        request,
        subject=shop,
        kind="shop",
        check=lambda: services.verified_suborder_for_shop(buyer=request.user, shop=shop),
        create=lambda data: services.create_shop_review(
            buyer=request.user,
            shop=shop,
            rating=data["rating"],
            text=data["text"],
            photo=data["photo"],
        ),
        done_url=shop.get_absolute_url() if shop.is_public else "reviews:to-review",
    )
