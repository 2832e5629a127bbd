"""Authentication backends that read the signed-in user together with the header's counts.

Every page's header shows the unread notices and the cart's item count. Django reads the
signed-in user once per request through the backend's `get_user()`; these backends annotate
both counts on that same query, and the context processors read them, so the header costs no
query beyond the session and the user. The counts are as of the start of the request: every
view that changes them answers with a redirect, so the next page shows them right.

They live in orders, the lowest app that knows both the cart and the notices. Logging in
behaves exactly as with Django's and allauth's backends, which they extend.
"""

import functools
from collections.abc import Callable

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from catalog.readers import reader_annotations
from notifications.context_processors import UNREAD_COUNT_ATTRIBUTE, unread_count_of_outer_user

from .context_processors import CART_COUNT_ATTRIBUTE, cart_count_of_outer_user

# More of the header's facts about the user, added by higher apps at startup (an app above
# orders calls down with `add_header_annotation`; orders never imports it): name -> a function
# giving the expression on the outer user row.
HEADER_ANNOTATIONS: dict[str, Callable[[], object]] = {}


def add_header_annotation(name: str, expression: Callable[[], object]) -> None:
    """Read `name` on the signed-in user with the same query (e.g. whether they are a member of
    an institution, for its link in the header). Called from an app's `ready()`, before the
    users' queryset is first built."""
    HEADER_ANNOTATIONS[name] = expression
    users_with_header_counts.cache_clear()


@functools.cache
def users_with_header_counts():
    """Users, each with their unread notices, cart item count and reader's ids annotated.

    Built once per process: putting the five subqueries together costs more than running
    them, and each `get()` works on its own copy of this never-evaluated queryset.
    """
    return get_user_model().objects.annotate(
        **{
            UNREAD_COUNT_ATTRIBUTE: unread_count_of_outer_user(),
            CART_COUNT_ATTRIBUTE: cart_count_of_outer_user(),
            # The reader's hearts and follow buttons on shared catalog pages.
            **reader_annotations(),
            **{name: expression() for name, expression in HEADER_ANNOTATIONS.items()},
        }
    )


class HeaderCountsMixin:
    """`get_user()` annotates the header's counts on the user in the same query."""

    def get_user(self, user_id):
        try:
            user = users_with_header_counts().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        try:
            user = await users_with_header_counts().aget(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class HeaderCountsModelBackend(HeaderCountsMixin, ModelBackend):
    """Django's ModelBackend (the admin's login by email and password)."""


class HeaderCountsAuthenticationBackend(HeaderCountsMixin, AuthenticationBackend):
    """allauth's backend (login by email, with its timing-attack mitigation)."""
