from .models import Notification


def unread_notifications(request) -> dict:
    """The unread count shown beside the bell in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {"unread_notification_count": Notification.objects.for_user(user).unread().count()}
