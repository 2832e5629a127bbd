"""The cooperative curates the taxonomy and can correct any listing here.

Every write goes through `catalog.services`, as the dashboard's do, so search and the cached
public pages follow each change (the "delete selected" action included) and photos are checked,
re-encoded and given thumbnails by the same pipeline.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import ask_reason_then
from core.admin_readonly import ReadOnlyAdmin
from core.images import reencoded_upload

from . import images, services
from .forms import HideReasonForm, MultipleFileField
from .models import (
    Collection,
    CollectionItem,
    Colour,
    Fabric,
    Favourite,
    Motif,
    Product,
    ProductImage,
    ProductOption,
    ProductType,
    ShopTypeCapacity,
    Technique,
)


class TaxonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")

    def save_model(self, request, obj, form, change):
        services.save_taxon(taxon=obj)

    def delete_model(self, request, obj):
        services.delete_taxa(taxa=type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.delete_taxa(taxa=queryset)


# The home page shows a motif's picture at 160 px and a collection's up to 960 px wide (its
# page full width): kept at five and two times that, for sharp screens.
MOTIF_IMAGE_MAX_SIDE = 800
COLLECTION_IMAGE_MAX_SIDE = 2000


class PictureAdminForm(forms.ModelForm):
    """A new `image` checked and re-encoded, as every uploaded photo is (core.images)."""

    image_max_side: int

    def clean_image(self):
        return reencoded_upload(self.cleaned_data.get("image"), max_side=self.image_max_side)


class MotifAdminForm(PictureAdminForm):
    image_max_side = MOTIF_IMAGE_MAX_SIDE


@admin.register(Motif)
class MotifAdmin(TaxonAdmin):
    form = MotifAdminForm
    filter_horizontal = ("shops",)


@admin.register(Technique)
class TechniqueAdmin(TaxonAdmin):
    filter_horizontal = ("shops",)


@admin.register(Fabric)
class FabricAdmin(TaxonAdmin):
    pass


@admin.register(ProductType)
class ProductTypeAdmin(TaxonAdmin):
    pass


@admin.register(ShopTypeCapacity)
class ShopTypeCapacityAdmin(admin.ModelAdmin):
    list_display = ("shop", "product_type", "weekly_capacity")
    list_filter = ("product_type",)
    search_fields = ("shop__name",)
    autocomplete_fields = ("shop", "product_type")


@admin.register(Colour)
class ColourAdmin(TaxonAdmin):
    list_display = ("name", "slug", "hex", "position")


class ProductOptionInline(admin.TabularInline):
    model = ProductOption
    extra = 0
    fields = ("name", "price_delta", "stock", "position")


class ProductImageInline(admin.TabularInline):
    """The listing's photos as stored; new ones come through "Add photos" above, the pipeline."""

    model = ProductImage
    extra = 0
    fields = ("preview", "alt_text", "position", "is_primary")
    readonly_fields = ("preview", "position", "is_primary")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def preview(self, image: ProductImage) -> str:
        return format_html(
            '<img src="{}" alt="" width="96" height="{}">',
            image.url_for_width(96),
            image.height_for(96),
        )


class ProductAdminForm(forms.ModelForm):
    new_photos = MultipleFileField(
        label=_("Add photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 10 MB and 40 megapixels each."),
    )

    def clean_new_photos(self) -> list:
        """Check each photo with the pipeline now, so a refused one is named on the form."""
        photos = [photo for photo in self.cleaned_data.get("new_photos") or [] if photo]
        for photo in photos:
            images.process_image(photo)
        return photos


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    list_display = (
        "title",
        "shop",
        "price",
        "status",
        "is_made_to_order",
        "is_featured",
        "is_hidden",
        "created_at",
    )
    list_filter = (
        "status",
        "is_featured",
        "is_hidden",
        "is_made_to_order",
        "technique",
        "product_type",
        "shop__district",
    )
    list_editable = ("is_featured",)
    list_select_related = ("shop",)
    search_fields = ("title", "slug", "shop__name")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("motifs", "colours")
    raw_id_fields = ("shop",)
    date_hierarchy = "created_at"
    inlines = [ProductOptionInline, ProductImageInline]
    # Hiding goes through the actions below, which record who and why and tell the artisan.
    readonly_fields = ("is_hidden", "hidden_reason", "hidden_at", "hidden_by")
    actions = ["mark_featured", "unmark_featured", "hide_selected", "unhide_selected"]

    @admin.action(description=_("Mark as featured work"), permissions=["change"])
    def mark_featured(self, request, queryset):
        changed = services.set_featured(
            product_ids=queryset.values_list("pk", flat=True), is_featured=True
        )
        self._report(request, changed)

    @admin.action(description=_("Remove from featured work"), permissions=["change"])
    def unmark_featured(self, request, queryset):
        changed = services.set_featured(
            product_ids=queryset.values_list("pk", flat=True), is_featured=False
        )
        self._report(request, changed)

    @admin.action(
        description=_("Hide selected listings (asks for a reason)"), permissions=["change"]
    )
    def hide_selected(self, request, queryset):
        def hide(reason: str) -> None:
            changed = 0
            for product in queryset.order_by("pk"):
                changed += services.hide_product(product=product, by=request.user, reason=reason)
            self._report(request, changed)

        return ask_reason_then(
            self,
            request,
            queryset.select_related("shop"),
            form_class=HideReasonForm,
            title=_("Hide listings"),
            explanation=_(
                "These listings will disappear from every public page: the catalog, search, shop "
                "pages and collections. The artisan reads the reason on the site and by email, and "
                "still sees the listing in their dashboard."
            ),
            submit_label=_("Hide with this reason"),
            describe=lambda product: f"{product.title} ({product.shop.name})",
            apply=hide,
        )

    @admin.action(description=_("Show selected hidden listings again"), permissions=["change"])
    def unhide_selected(self, request, queryset):
        changed = 0
        for product in queryset.filter(is_hidden=True).order_by("pk"):
            changed += services.unhide_product(product=product, by=request.user)
        self._report(request, changed)

    def _report(self, request, changed: int) -> None:
        self.message_user(
            request,
            ngettext("%(count)d listing updated.", "%(count)d listings updated.", changed)
            % {"count": changed},
            messages.SUCCESS if changed else messages.WARNING,
        )

    def save_model(self, request, obj, form, change):
        # On the change list (featured only) the form has no motifs or colours: keep them.
        services.save_product(
            product=obj,
            motifs=form.cleaned_data.get("motifs"),
            colours=form.cleaned_data.get("colours"),
        )

    def save_related(self, request, form, formsets, change):
        # The motifs and colours were saved with the product; the inlines go through services.
        for formset in formsets:
            self.save_formset(request, form, formset, change)
        photos = form.cleaned_data.get("new_photos")
        if photos:
            product = form.instance
            services.add_product_images(shop=product.shop, product=product, files=photos)

    def save_formset(self, request, form, formset, change):
        product = form.instance
        changed = formset.save(commit=False)
        if formset.model is ProductImage:
            for image in formset.deleted_objects:
                services.delete_image(shop=product.shop, product=product, image=image)
            for image in changed:
                services.update_image_alt_text(
                    shop=product.shop, product=product, image=image, alt_text=image.alt_text
                )
        else:
            for option in formset.deleted_objects:
                services.delete_option(option=option)
            for option in changed:
                services.save_option(option=option)

    def delete_model(self, request, obj):
        services.delete_products(product_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.delete_products(product_ids=queryset.values_list("pk", flat=True))


@admin.register(Favourite)
class FavouriteAdmin(ReadOnlyAdmin):
    """Buyers keep their own wishlists (and the listings' counts with them); read only here."""

    list_display = ("user", "product", "created_at")
    list_select_related = ("user", "product")
    raw_id_fields = ("user", "product")


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 1
    autocomplete_fields = ["product"]
    fields = ["product", "position"]
    ordering = ["position", "pk"]


class CollectionAdminForm(PictureAdminForm):
    image_max_side = COLLECTION_IMAGE_MAX_SIDE


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    form = CollectionAdminForm
    list_display = ("title", "slug", "is_published", "position", "item_count", "created_at")
    list_editable = ("is_published", "position")
    list_filter = ("is_published",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [CollectionItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=models.Count("items"))

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, collection: Collection) -> int:
        return collection.item_count

    def save_model(self, request, obj, form, change):
        # The items inline is saved next, in the same transaction and under the same bump.
        services.save_collection(collection=obj)

    def delete_model(self, request, obj):
        services.delete_collections(collection_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.delete_collections(collection_ids=queryset.values_list("pk", flat=True))
