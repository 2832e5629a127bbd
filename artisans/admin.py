"""The cooperative's admin for shops: review applications, verify makers, read the history.

Status, verification and approval dates are read-only here: they change only through the
actions below, which call the services, so every change is checked, recorded as a ShopEvent
and the owner is told (through the worker).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import ask_reason_then
from core.admin_readonly import ReadOnlyAdmin
from core.images import reencoded_upload

from . import services
from .forms import BANNER_MAX_SIDE, PHOTO_MAX_SIDE, RejectionForm
from .models import Shop, ShopEvent, ShopMember


class ShopAdminForm(forms.ModelForm):
    """A new photo or banner checked and re-encoded, as the shop's own settings page does."""

    def clean_photo(self):
        return reencoded_upload(self.cleaned_data.get("photo"), max_side=PHOTO_MAX_SIDE)

    def clean_banner(self):
        return reencoded_upload(self.cleaned_data.get("banner"), max_side=BANNER_MAX_SIDE)


class ShopMemberInline(admin.TabularInline):
    model = ShopMember
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class ShopEventInline(admin.TabularInline):
    model = ShopEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    form = ShopAdminForm
    list_display = ["name", "owner", "district", "status", "is_verified", "created_at"]
    list_filter = ["status", "district", "is_verified", "is_on_vacation"]
    search_fields = ["name", "slug", "owner__email", "owner__display_name", "whatsapp"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["approve_selected", "reject_selected", "verify_selected"]
    inlines = [ShopMemberInline, ShopEventInline]
    autocomplete_fields = ["owner"]
    readonly_fields = [
        "status",
        "rejection_reason",
        "is_verified",
        "verified_at",
        "approved_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "owner", "district", "address", "whatsapp"]}),
        (_("Profile"), {"fields": ["story", "photo", "banner"]}),
        (
            _("Review"),
            {
                "fields": [
                    "status",
                    "rejection_reason",
                    "is_verified",
                    "verified_at",
                    "approved_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (_("Vacation"), {"fields": ["is_on_vacation", "vacation_until", "vacation_message"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_shop(shop=obj)

    def delete_model(self, request, obj):
        services.delete_shops(shop_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.delete_shops(shop_ids=queryset.values_list("pk", flat=True))

    def has_add_permission(self, request):
        # Shops start as applications on the site, so each has an owner who confirmed an email.
        return False

    @admin.action(description=_("Approve selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._apply(
            request, queryset, lambda shop: services.approve_shop(shop=shop, by=request.user)
        )

    @admin.action(description=_("Mark as verified Kutai Timur maker"), permissions=["change"])
    def verify_selected(self, request, queryset):
        self._apply(
            request, queryset, lambda shop: services.verify_shop(shop=shop, by=request.user)
        )

    @admin.action(
        description=_("Reject selected applications (asks for a reason)"), permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        return ask_reason_then(
            self,
            request,
            queryset,
            form_class=RejectionForm,
            title=_("Reject applications"),
            explanation=_(
                "These applications will be rejected. The applicant reads the reason by email and "
                "on the site, and can correct the application and send it again."
            ),
            submit_label=_("Reject with this reason"),
            describe=lambda shop: f"{shop.name} ({shop.owner}, {shop.get_status_display()})",
            apply=lambda reason: self._apply(
                request,
                queryset,
                lambda shop: services.reject_shop(shop=shop, by=request.user, reason=reason),
            ),
        )

    def _apply(self, request, queryset, change) -> None:
        done = 0
        for shop in queryset.order_by("pk"):
            try:
                change(shop)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d shop updated.", "%(count)d shops updated.", done)
                % {"count": done},
                messages.SUCCESS,
            )


@admin.register(ShopEvent)
class ShopEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "shop", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status"]
    search_fields = ["shop__name", "note", "actor__email"]
    list_select_related = ["shop", "actor"]
