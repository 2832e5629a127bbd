"""The cooperative verifies institutions and follows their requests and the makers' offers."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from core.admin_readonly import ReadOnlyAdmin

from . import allocation, quotes, selectors
from .forms import InviteMakersForm, QuoteIssueForm
from .models import (
    Allocation,
    Document,
    Institution,
    InstitutionMember,
    Invitation,
    Offer,
    OfferedSize,
    ProcurementRequest,
    Quote,
    QuoteLine,
    QuoteShare,
    RequestedSize,
    StaffMember,
)
from .services import invite_makers, pieces_by, suggested_makers, verify_institution


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

    def get_readonly_fields(self, request, obj=None):
        # The cooperative's staff verify an office (the action); what it is, and the email
        # domain that makes its people its members, only a superuser corrects.
        if request.user.is_superuser:
            return self.readonly_fields
        return ["name", "kind", "address", "tax_number", "email_domain", *self.readonly_fields]

    @admin.action(description=_("Verify: the institution may send requests"))
    def verify(self, request, queryset):
        if not request.user.has_perm("procurement.change_institution"):
            raise PermissionDenied
        for institution in queryset.filter(verified_at__isnull=True):
            verify_institution(institution=institution, by=request.user)
        self.message_user(request, gettext("Institutions verified."), messages.SUCCESS)


class ReadOnlyInline(admin.TabularInline):
    """Rows written by the procurement services alone: shown, never added or removed here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RequestedSizeInline(ReadOnlyInline):
    model = RequestedSize
    readonly_fields = ["size", "quantity"]


class StaffMemberInline(ReadOnlyInline):
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
                "<int:pk>/undang/",
                self.admin_site.admin_view(self.invite_view),
                name="procurement_procurementrequest_invite",
            ),
            path(
                "<int:pk>/pembagian/",
                self.admin_site.admin_view(self.allocation_view),
                name="procurement_procurementrequest_allocation",
            ),
            path(
                "<int:pk>/penawaran/",
                self.admin_site.admin_view(self.quote_view),
                name="procurement_procurementrequest_quote",
            ),
            *super().get_urls(),
        ]

    def invite_view(self, request, pk: int):
        """Choose the makers to invite: the ones that fit first, every verified maker choosable."""
        if not request.user.has_perm("procurement.add_invitation"):
            raise PermissionDenied
        item = get_object_or_404(
            ProcurementRequest.objects.select_related("institution", "product_type", "technique"),
            pk=pk,
        )
        form = InviteMakersForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                invite_makers(request=item, shops=form.cleaned_data["shops"], by=request.user)
            except ValidationError as error:
                for text in error.messages:
                    self.message_user(request, text, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(count)s maker(s) invited; each is told on their dashboard.")
                    % {"count": len(form.cleaned_data["shops"])},
                    messages.SUCCESS,
                )
                return redirect("admin:procurement_procurementrequest_invite", pk=item.pk)
        suggested = set(suggested_makers(item).values_list("pk", flat=True))
        invited = set(Invitation.objects.filter(request=item).values_list("shop_id", flat=True))
        chosen = {str(value) for value in form["shops"].value() or []}
        rows = [
            {
                "shop": shop,
                "pieces_by_date": pieces_by(shop, item.needed_by),
                "is_suggested": shop.pk in suggested,
                "is_invited": shop.pk in invited,
                "is_chosen": str(shop.pk) in chosen,
            }
            for shop in Shop.objects.verified().order_by("name")
        ]
        rows.sort(key=lambda row: (not row["is_suggested"], row["shop"].name))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invite makers to offer on %(title)s") % {"title": item.title},
            "item": item,
            "form": form,
            "rows": rows,
            "sizes": list(item.sizes.all()),
            "total": sum(row.quantity for row in item.sizes.all()),
            "motifs": list(item.motifs.all()),
            "is_open": item.status in (ProcurementRequest.Status.SUBMITTED,
                                       ProcurementRequest.Status.INVITING),
        }  # fmt: skip
        return TemplateResponse(request, "procurement/admin_invite.html", context)

    def quote_view(self, request, pk: int):
        """Price the saved split per size: the makers' cost and the margin shown, then issue."""
        if not request.user.has_perm("procurement.add_quote"):
            raise PermissionDenied
        item = get_object_or_404(ProcurementRequest, pk=pk)
        costs = quotes.costs_of_split(item)
        sizes = [cost.size for cost in costs]
        initial = {
            "delivery_date": item.needed_by,
            "valid_until": timezone.localdate() + timedelta(days=14),
            **{f"price_{cost.size}": cost.highest_maker_price for cost in costs},
        }
        form = QuoteIssueForm(request.POST or None, sizes=sizes, initial=initial)
        prices = {cost.size: cost.highest_maker_price for cost in costs}
        if request.method == "POST" and form.is_valid():
            prices = form.prices()
            if "issue" in request.POST:
                try:
                    quote = quotes.issue_quote(
                        request=item,
                        by=request.user,
                        prices=prices,
                        delivery_date=form.cleaned_data["delivery_date"],
                        valid_until=form.cleaned_data["valid_until"],
                        down_payment_percent=form.cleaned_data["down_payment_percent"],
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as error:
                    for text in error.messages:
                        self.message_user(request, text, messages.ERROR)
                else:
                    self.message_user(
                        request,
                        gettext("Quote %(number)s sent to the institution.")
                        % {"number": quote.number},
                        messages.SUCCESS,
                    )
                    return redirect("admin:procurement_quote_change", quote.pk)
        rows = [
            {
                "cost": cost,
                "field": form[f"price_{cost.size}"],
                "price": prices.get(cost.size, 0) * cost.quantity,
                "margin": (prices.get(cost.size, 0) * cost.quantity) - cost.cost,
            }
            for cost in costs
        ]
        total = sum(row["price"] for row in rows)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Quote for %(title)s") % {"title": item.title},
            "item": item,
            "form": form,
            "rows": rows,
            "cost": sum(cost.cost for cost in costs),
            "total": total,
            "margin": total - sum(cost.cost for cost in costs),
            "is_above_cap": quotes.is_above_direct_purchase_cap(total),
            "cap": settings.PROCUREMENT_DIRECT_PURCHASE_CAP,
        }
        return TemplateResponse(request, "procurement/admin_quote.html", context)

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


class OfferedSizeInline(ReadOnlyInline):
    model = OfferedSize
    readonly_fields = ["size", "quantity"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["shop", "request", "status", "price_per_piece", "delivery_date"]
    list_filter = ["status"]
    list_select_related = ["shop", "request"]
    inlines = [OfferedSizeInline]


class QuoteLineInline(ReadOnlyInline):
    model = QuoteLine
    readonly_fields = ["size", "quantity", "unit_price"]


class QuoteShareInline(ReadOnlyInline):
    model = QuoteShare
    readonly_fields = ["shop", "size", "quantity", "maker_price"]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "request", "status", "valid_until", "order"]
    list_filter = ["status"]
    list_select_related = ["request", "order"]
    search_fields = ["number", "request__title", "request__institution__name"]
    inlines = [QuoteLineInline, QuoteShareInline]
    change_form_template = "procurement/admin_quote_change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/daftar-kemas/",
                self.admin_site.admin_view(self.packing_view),
                name="procurement_quote_packing",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        quote = Quote.objects.filter(pk=object_id).first()
        extra_context = extra_context or {}
        if quote is not None:
            summary = selectors.quote_summary(quote)
            extra_context |= {
                "summary": summary,
                "parts": selectors.maker_parts(quote),
                "is_above_cap": quotes.is_above_direct_purchase_cap(summary.total),
                "cap": settings.PROCUREMENT_DIRECT_PURCHASE_CAP,
                "documents": list(quote.documents.all()),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def packing_view(self, request, pk: int):
        """Every maker's packing list of the quote, to print."""
        if not request.user.has_perm("procurement.view_quote"):
            raise PermissionDenied
        quote = get_object_or_404(Quote.objects.select_related("request__institution"), pk=pk)
        return TemplateResponse(
            request,
            "procurement/packing_list.html",
            {
                "quote": quote,
                "lists": list(selectors.packing_lists(quote).values()),
                "back_url": reverse("admin:procurement_quote_change", args=[quote.pk]),
            },
        )


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """The documents issued, found by number; "view on site" prints one."""

    list_display = ["number", "kind", "quote", "amount", "issued_at"]
    list_filter = ["kind"]
    list_select_related = ["quote"]
    search_fields = ["number", "quote__number", "quote__request__institution__name"]
