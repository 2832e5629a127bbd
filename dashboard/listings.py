"""The artisan's listings: products of their own shop, their options' stock and their photos.

Every view is wrapped in shop_member_required and looks objects up within the member's shop, so
another shop's product, option or photo is a 404, drafts included.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import services
from catalog.forms import (
    AltTextForm,
    ImageUploadForm,
    OptionFormSet,
    ProductForm,
    StockForm,
)
from catalog.models import Product, ProductImage, ProductOption

from .access import shop_member_required

LOW_STOCK = 2
PAGE_SIZE = 50
STATUS_TABS = [("", None), *Product.Status.choices]


def _product(shop, pk: int) -> Product:
    return get_object_or_404(Product, pk=pk, shop=shop)


def _image(shop, product_pk: int, pk: int) -> tuple[Product, ProductImage]:
    image = get_object_or_404(
        ProductImage.objects.select_related("product"),
        pk=pk,
        product_id=product_pk,
        product__shop=shop,
    )
    return image.product, image


def _thumb_url(image: ProductImage, width: str = "320") -> str:
    name = image.thumbnails.get(width)
    return default_storage.url(name) if name else image.image.url


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back_to_list(request):
    """Return to the listings page, keeping its status tab when there was one."""
    target = reverse("dashboard:listing-list")
    status = request.POST.get("status_tab") or request.GET.get("status")
    if status in Product.Status.values:
        target += f"?status={status}"
    return redirect(target)


@shop_member_required
def listing_list(request, shop):
    """All the shop's products with status tabs, inline stock and the actions."""
    status = request.GET.get("status", "")
    if status not in Product.Status.values:
        status = ""
    counts = Product.objects.of_shop(shop).aggregate(
        all=Count("pk"),
        **{value: Count("pk", filter=Q(status=value)) for value in Product.Status.values},
    )
    products = (
        Product.objects.of_shop(shop)
        .select_related("technique", "product_type")
        .prefetch_related(
            Prefetch("options", queryset=ProductOption.objects.order_by("position", "pk")),
            Prefetch(
                "images", queryset=ProductImage.objects.filter(is_primary=True), to_attr="primary"
            ),
        )
        .annotate(image_count=Count("images", distinct=True))
        .order_by("-updated_at", "-pk")
    )
    if status:
        products = products.filter(status=status)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    for product in page:
        product.thumb_url = _thumb_url(product.primary[0]) if product.primary else ""
    tabs = [
        {
            "value": value,
            "label": label or _("All"),
            "count": counts[value or "all"],
            "is_current": value == status,
        }
        for value, label in STATUS_TABS
    ]
    return render(
        request,
        "dashboard/listing_list.html",
        {
            "shop": shop,
            "page": page,
            "tabs": tabs,
            "status": status,
            "low_stock": LOW_STOCK,
            # An empty tab of a shop that has listings elsewhere is no invitation to a first one.
            "has_listings": counts["all"] > 0,
        },
    )


def _option_formset(request, product: Product | None):
    if request.method == "POST":
        return OptionFormSet(request.POST, prefix="options")
    if product is None:
        initial = [{"name": "", "price_delta": 0, "stock": 1}]
    else:
        initial = list(
            product.options.order_by("position", "pk").values("id", "name", "price_delta", "stock")
        )
    return OptionFormSet(initial=initial, prefix="options")


def _product_form_page(request, shop, product: Product | None):
    form = ProductForm(request.POST or None, instance=product)
    formset = _option_formset(request, product)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if product is None:
                product = services.create_product(
                    shop=shop, data=form.service_data(), options=formset.options()
                )
                messages.success(
                    request, _("Draft saved. Add photos, then publish it when it is ready.")
                )
                return redirect("dashboard:product-images", pk=product.pk)
            services.update_product(
                shop=shop, product=product, data=form.service_data(), options=formset.options()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("dashboard:product-edit", pk=product.pk)
    return render(
        request,
        "dashboard/product_form.html",
        {"shop": shop, "product": product, "form": form, "formset": formset},
    )


@shop_member_required
def product_create(request, shop):
    return _product_form_page(request, shop, None)


@shop_member_required
def product_edit(request, shop, pk: int):
    return _product_form_page(request, shop, _product(shop, pk))


@require_POST
@shop_member_required
def product_duplicate(request, shop, pk: int):
    copy = services.duplicate_product(shop=shop, product=_product(shop, pk))
    messages.success(
        request, _("A draft copy was made. Set its stock and check it before publishing.")
    )
    return redirect("dashboard:product-edit", pk=copy.pk)


@require_POST
@shop_member_required
def product_publish(request, shop, pk: int):
    product = _product(shop, pk)
    try:
        services.publish_product(shop=shop, product=product)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("“%(title)s” is on sale now.") % {"title": product.title})
    return _back_to_list(request)


@require_POST
@shop_member_required
def product_archive(request, shop, pk: int):
    product = _product(shop, pk)
    services.archive_product(shop=shop, product=product)
    messages.success(
        request, _("“%(title)s” is archived: buyers no longer see it.") % {"title": product.title}
    )
    return _back_to_list(request)


@shop_member_required
def product_delete(request, shop, pk: int):
    """Ask, then delete a draft; published listings can only be archived."""
    product = _product(shop, pk)
    if request.method == "POST":
        try:
            services.delete_draft(shop=shop, product=product)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The draft was deleted."))
        return _back_to_list(request)
    return render(
        request, "dashboard/product_confirm_delete.html", {"shop": shop, "product": product}
    )


@require_POST
@shop_member_required
def option_stock(request, shop, pk: int):
    option = get_object_or_404(
        ProductOption.objects.select_related("product"), pk=pk, product__shop=shop
    )
    form = StockForm(request.POST)
    if form.is_valid():
        services.set_option_stock(shop=shop, option=option, stock=form.cleaned_data["stock"])
        messages.success(request, _("Stock saved."))
    else:
        messages.error(
            request,
            _("Stock of “%(option)s” not saved: %(errors)s")
            % {"option": option, "errors": " ".join(form.errors["stock"])},
        )
    return _back_to_list(request)


# --- photos --------------------------------------------------------------------------------


def _image_json(image: ProductImage) -> dict:
    return {
        "id": image.pk,
        "url": image.image.url,
        "width": image.width,
        "height": image.height,
        "is_primary": image.is_primary,
        "thumbnails": image.thumbnails,
    }


@shop_member_required
def product_images(request, shop, pk: int):
    """The listing's photos; also takes a plain multi-file form post when JavaScript is off."""
    product = _product(shop, pk)
    form = ImageUploadForm()
    if request.method == "POST":
        form = ImageUploadForm(request.POST, request.FILES)
        if form.is_valid():
            added = 0
            # One file at a time, so a refused photo does not hold back the good ones.
            for uploaded in form.cleaned_data["images"]:
                try:
                    added += len(
                        services.add_product_images(shop=shop, product=product, files=[uploaded])
                    )
                except ValidationError as error:
                    for message in error.messages:
                        messages.error(request, message)
            if added:
                messages.success(request, _("Photos added: %(count)d.") % {"count": added})
            return redirect("dashboard:product-images", pk=product.pk)
    pictures = list(product.images.order_by("position", "pk"))
    return render(
        request,
        "dashboard/product_images.html",
        {
            "shop": shop,
            "product": product,
            "images": pictures,
            "form": form,
            "upload_texts": {
                "waiting": _("Waiting…"),
                "uploading": _("Uploading…"),
                "done": _("Uploaded"),
                "show": _("Show the new photos"),
                "failed": _("Upload failed. Check your connection and try again."),
            },
        },
    )


@require_POST
@shop_member_required
def product_image_upload(request, shop, pk: int):
    """One photo sent by listings.js; answers JSON so the page can show progress per file."""
    product = _product(shop, pk)
    uploaded = request.FILES.get("image")
    if uploaded is None:
        return JsonResponse({"ok": False, "error": _("Choose a photo to upload.")}, status=400)
    try:
        (image,) = services.add_product_images(shop=shop, product=product, files=[uploaded])
    except ValidationError as error:
        return JsonResponse({"ok": False, "error": _error_text(error)}, status=400)
    return JsonResponse({"ok": True, "image": _image_json(image)}, status=201)


@require_POST
@shop_member_required
def product_image_reorder(request, shop, pk: int):
    """Save a new order of the photos: `order` lists every photo id, first is primary."""
    product = _product(shop, pk)
    try:
        image_ids = [int(value) for value in request.POST.getlist("order")]
        services.reorder_images(shop=shop, product=product, image_ids=image_ids)
    except (ValueError, ValidationError) as error:
        message = _error_text(error) if isinstance(error, ValidationError) else _("Bad order.")
        if request.accepts("application/json") and not request.accepts("text/html"):
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.error(request, message)
    else:
        if request.accepts("application/json") and not request.accepts("text/html"):
            return JsonResponse({"ok": True})
        messages.success(request, _("New order saved."))
    return redirect("dashboard:product-images", pk=product.pk)


@require_POST
@shop_member_required
def product_image_move(request, shop, pk: int, image_pk: int):
    """Up/down buttons: move a photo one place."""
    product, image = _image(shop, pk, image_pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.move_image(shop=shop, product=product, image=image, offset=offset)
    return redirect("dashboard:product-images", pk=product.pk)


@require_POST
@shop_member_required
def product_image_primary(request, shop, pk: int, image_pk: int):
    product, image = _image(shop, pk, image_pk)
    services.set_primary_image(shop=shop, product=product, image=image)
    messages.success(request, _("Primary photo chosen: it is shown on cards and first."))
    return redirect("dashboard:product-images", pk=product.pk)


@require_POST
@shop_member_required
def product_image_alt(request, shop, pk: int, image_pk: int):
    product, image = _image(shop, pk, image_pk)
    form = AltTextForm(request.POST)
    if form.is_valid():
        services.update_image_alt_text(
            shop=shop, product=product, image=image, alt_text=form.cleaned_data["alt_text"]
        )
        messages.success(request, _("Photo description saved."))
    else:
        messages.error(request, " ".join(form.errors["alt_text"]))
    return redirect("dashboard:product-images", pk=product.pk)


@require_POST
@shop_member_required
def product_image_delete(request, shop, pk: int, image_pk: int):
    product, image = _image(shop, pk, image_pk)
    services.delete_image(shop=shop, product=product, image=image)
    messages.success(request, _("Photo deleted."))
    return redirect("dashboard:product-images", pk=product.pk)
