from django.contrib import admin

from .models import District, Province, Regency, Village


class RegionAdmin(admin.ModelAdmin):
    """The official list is read, not edited: `manage.py load_regions` writes it."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(Province, RegionAdmin)
for model in (Regency, District, Village):
    admin.site.register(model, RegionAdmin, list_select_related=["parent"])
