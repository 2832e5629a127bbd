"""The cooperative curates the taxonomy and can correct any listing here."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import ask_reason_then

from . import services
from .cache import bump_catalog_version
from .forms import HideReasonForm
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
    Technique,
)
from .services import refresh_search_vector


class TaxonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A renamed motif or technique changes what search finds for its products.
        if change and hasattr(obj, "products"):
            refresh_search_vector(product_ids=obj.products.values_list("pk", flat=True))
        bump_catalog_version()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump_catalog_version()


@admin.register(Motif)
class MotifAdmin(TaxonAdmin):
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


@admin.register(Colour)
class ColourAdmin(TaxonAdmin):
    list_display = ("name", "slug", "hex", "position")


class ProductOptionInline(admin.TabularInline):
    model = ProductOption
    extra = 0
    fields = ("name", "price_delta", "stock", "position")


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("image", "alt_text", "position", "is_primary")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the motifs are saved: they are part of the search vector.
        refresh_search_vector(product_ids=[form.instance.pk])
        bump_catalog_version()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump_catalog_version()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_catalog_version()


@admin.register(Favourite)
class FavouriteAdmin(admin.ModelAdmin):
    list_display = ("user", "product", "created_at")
    list_select_related = ("user", "product")
    raw_id_fields = ("user", "product")


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 1
    autocomplete_fields = ["product"]
    fields = ["product", "position"]
    ordering = ["position", "pk"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        bump_catalog_version()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_catalog_version()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump_catalog_version()
