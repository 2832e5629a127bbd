"""The cooperative verifies institutions and follows their requests and the makers' offers."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_readonly import ReadOnlyAdmin

from . import allocation
from .models import (
    Allocation,
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
    change_form_template = "procurement/admin_request_change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/pembagian/",
                self.admin_site.admin_view(self.allocation_view),
                name="procurement_procurementrequest_allocation",
            ),
            *super().get_urls(),
        ]

    def allocation_view(self, request, pk: int):
        """Split the request among the offers: the proposal first, every number adjustable."""
        if not request.user.has_perm("procurement.add_allocation"):
            raise PermissionDenied
        item = get_object_or_404(ProcurementRequest, pk=pk)
        requested = allocation.requested_of(item)
        terms = allocation.terms_of(item)
        offers = {offer.pk: offer for offer in item.offers.select_related("shop")}
        saved = {
            (row.offer_id, row.size): row.quantity
            for row in Allocation.objects.filter(offer__request=item)
        }
        proposal = allocation.propose_split(
            requested=requested, offers=terms, budget_per_piece=item.budget_per_piece
        )
        if request.method == "POST":
            split = {
                term.offer_id: {
                    size: int(request.POST.get(f"q-{term.offer_id}-{size}") or 0)
                    for size in requested
                }
                for term in terms
            }
            try:
                allocation.save_split(request=item, split=split)
            except (ValidationError, ValueError) as error:
                for text in getattr(error, "messages", [str(error)]):
                    self.message_user(request, text, messages.ERROR)
                saved = {
                    (oid, size): qty for oid, sizes in split.items() for size, qty in sizes.items()
                }
            else:
                self.message_user(request, gettext("The split is saved."), messages.SUCCESS)
                return redirect("admin:procurement_procurementrequest_allocation", pk=item.pk)
        rows = []
        for term in terms:
            offer = offers[term.offer_id]
            cells = [
                {
                    "size": size,
                    "offered": term.sizes.get(size, 0),
                    "value": saved.get(
                        (term.offer_id, size), proposal.get(term.offer_id, {}).get(size, 0)
                    ),
                    "name": f"q-{term.offer_id}-{size}",
                }
                for size in requested
            ]
            pieces = sum(cell["value"] for cell in cells)
            rows.append(
                {
                    "offer": offer,
                    "cells": cells,
                    "pieces": pieces,
                    "cost": pieces * offer.price_per_piece,
                    "over_budget": offer.price_per_piece > item.budget_per_piece,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Split of %(title)s") % {"title": item.title},
            "item": item,
            "requested": requested,
            "rows": rows,
            "total": sum(row["pieces"] for row in rows),
            "cost": sum(row["cost"] for row in rows),
            "districts": sorted(
                {row["offer"].shop.get_district_display() for row in rows if row["pieces"]}
            ),
        }
        return TemplateResponse(request, "procurement/admin_allocation.html", context)


class OfferedSizeInline(RequestedSizeInline):
    model = OfferedSize


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["shop", "request", "status", "price_per_piece", "delivery_date"]
    list_filter = ["status"]
    list_select_related = ["shop", "request"]
    inlines = [OfferedSizeInline]
