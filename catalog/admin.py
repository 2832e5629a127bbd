"""The cooperative curates the taxonomy and can correct any listing here."""

from django.contrib import admin

from .models import (
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
from .services import bump_catalog_version, refresh_search_vector


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
        "created_at",
    )
    list_filter = (
        "status",
        "is_featured",
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
