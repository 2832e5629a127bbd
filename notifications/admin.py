from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification, OutgoingEmail, OutgoingWhatsApp


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "recipient", "email", "created_at", "read_at")
    list_filter = ("kind", "created_at")
    search_fields = ("key", "title", "email", "recipient__email")
    list_select_related = ("recipient",)
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


class SentFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("yes", _("Sent")), ("no", _("Not sent yet")), ("failed", _("Gave up"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "no":
            return queryset.pending()
        if self.value() == "failed":
            return queryset.filter(sent_at=None, attempts__gte=queryset.model.MAX_ATTEMPTS)
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "to", "created_at", "sent_at", "attempts")
    list_filter = (SentFilter, "created_at")
    search_fields = ("key", "to", "subject")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Try sending the selected unsent emails again"))
    def send_again(self, request, queryset):
        from .services import schedule_email_sending

        count = queryset.filter(sent_at=None).update(attempts=0, last_error="")
        schedule_email_sending()
        self.message_user(
            request,
            ngettext(
                "%(count)d email will be sent again.",
                "%(count)d emails will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OutgoingWhatsApp)
class OutgoingWhatsAppAdmin(admin.ModelAdmin):
    list_display = ("template", "to", "created_at", "sent_at", "attempts", "message_id")
    list_filter = (SentFilter, "kind", "created_at")
    search_fields = ("key", "to", "message_id")
    readonly_fields = [f.name for f in OutgoingWhatsApp._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Try sending the selected unsent WhatsApp messages again"))
    def send_again(self, request, queryset):
        from .services import schedule_whatsapp_sending

        count = queryset.filter(sent_at=None).update(attempts=0, last_error="", claimed_until=None)
        schedule_whatsapp_sending()
        self.message_user(
            request,
            ngettext(
                "%(count)d WhatsApp message will be sent again.",
                "%(count)d WhatsApp messages will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
