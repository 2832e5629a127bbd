from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification

# The signed-in user arrives with this count when their authentication backend annotates it
# (orders.auth_backends), so the header costs no query of its own.
UNREAD_COUNT_ATTRIBUTE = "unread_notification_count"


def unread_count_of_outer_user():
    """The unread count of the user row in the outer query (0 without any), as a subquery."""
    unread = (
        Notification.objects.unread()
        .filter(recipient=OuterRef("pk"))
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread), 0)


def unread_notifications(request) -> dict:
    """The unread count shown beside the bell in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    count = getattr(user, UNREAD_COUNT_ATTRIBUTE, None)
    if count is None:  # a user object not read by get_user(), e.g. just after logging in
        count = Notification.objects.for_user(user).unread().count()
    return {"unread_notification_count": count}
