"""The cooperative verifies institutions and follows their requests and the makers' offers."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_readonly import ReadOnlyAdmin

from .models import (
    Institution,
    InstitutionMember,
    Offer,
    OfferedSize,
    ProcurementRequest,
    RequestedSize,
    StaffMember,
)
from .services import verify_institution


class InstitutionMemberInline(admin.TabularInline):
    model = InstitutionMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email_domain", "verified_at"]
    list_filter = ["kind", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "tax_number", "email_domain"]
    readonly_fields = ["verified_at", "verified_by", "created_at"]
    inlines = [InstitutionMemberInline]
    actions = ["verify"]

    @admin.action(description=_("Verify: the institution may send requests"))
    def verify(self, request, queryset):
        if not request.user.has_perm("procurement.change_institution"):
            raise PermissionDenied
        for institution in queryset.filter(verified_at__isnull=True):
            verify_institution(institution=institution, by=request.user)
        self.message_user(request, gettext("Institutions verified."), messages.SUCCESS)


class RequestedSizeInline(admin.TabularInline):
    model = RequestedSize
    extra = 0
    can_delete = False
    readonly_fields = ["size", "quantity"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class StaffMemberInline(RequestedSizeInline):
    model = StaffMember
    readonly_fields = ["row", "name", "unit", "size"]


@admin.register(ProcurementRequest)
class ProcurementRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "institution", "status", "needed_by", "budget_per_piece"]
    list_filter = ["status"]
    list_select_related = ["institution"]
    search_fields = ["title", "institution__name"]
    inlines = [RequestedSizeInline, StaffMemberInline]


class OfferedSizeInline(RequestedSizeInline):
    model = OfferedSize


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["shop", "request", "status", "price_per_piece", "delivery_date"]
    list_filter = ["status"]
    list_select_related = ["shop", "request"]
    inlines = [OfferedSizeInline]
