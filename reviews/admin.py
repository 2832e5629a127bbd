"""The cooperative's moderation of reviews: hide with a reason (the reviewer is told), show again.

Reviews are read-only here and cannot be deleted: averages are kept by the services, so every
change goes through `hide_review` / `unhide_review`.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import ask_reason_then

from . import services
from .forms import HideForm
from .models import ProductReview, ShopReview

REVIEW_FIELDS = [
    "buyer",
    "suborder",
    "rating",
    "text",
    "photo",
    "created_at",
    "reply",
    "replied_at",
    "replied_by",
    "is_hidden",
    "hidden_reason",
    "hidden_by",
    "hidden_at",
]


class ReviewAdmin(admin.ModelAdmin):
    list_filter = ["is_hidden", "rating", "created_at"]
    date_hierarchy = "created_at"
    actions = ["hide_selected", "unhide_selected"]
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Hide selected reviews (asks for a reason)"), permissions=["change"]
    )
    def hide_selected(self, request, queryset):
        return ask_reason_then(
            self,
            request,
            queryset,
            form_class=HideForm,
            title=_("Hide reviews"),
            explanation=_(
                "These reviews will be hidden from the site and no longer count in the ratings. "
                "The reviewer reads the reason on the site and by email."
            ),
            submit_label=_("Hide with this reason"),
            describe=lambda review: f"{review} ({review.buyer})",
            apply=lambda reason: self._apply(
                request,
                queryset,
                lambda review: services.hide_review(review=review, by=request.user, reason=reason),
            ),
        )

    @admin.action(description=_("Show selected reviews again"), permissions=["change"])
    def unhide_selected(self, request, queryset):
        self._apply(
            request, queryset, lambda review: services.unhide_review(review=review, by=request.user)
        )

    def _apply(self, request, queryset, change) -> None:
        done = 0
        for review in queryset.order_by("pk"):
            try:
                change(review)
            except ValidationError as error:
                self.message_user(request, f"{review}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d review updated.", "%(count)d reviews updated.", done)
                % {"count": done},
                messages.SUCCESS,
            )


@admin.register(ProductReview)
class ProductReviewAdmin(ReviewAdmin):
    list_display = ["created_at", "product", "buyer", "rating", "is_hidden", "replied_at"]
    list_select_related = ["product", "buyer"]
    search_fields = ["product__title", "buyer__email", "text"]
    fields = ["product", *REVIEW_FIELDS]
    readonly_fields = fields


@admin.register(ShopReview)
class ShopReviewAdmin(ReviewAdmin):
    list_display = ["created_at", "shop", "buyer", "rating", "is_hidden", "replied_at"]
    list_select_related = ["shop", "buyer"]
    search_fields = ["shop__name", "buyer__email", "text"]
    fields = ["shop", *REVIEW_FIELDS]
    readonly_fields = fields
