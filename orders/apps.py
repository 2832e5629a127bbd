from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in as allauth_logged_in
        from django.contrib.auth.signals import user_logged_in

        from catalog.readers import count_carts_with

        from .context_processors import cart_count
        from .signals import merge_cart_on_login

        # The catalog's kept pages show the header's cart count as the context processor does.
        count_carts_with(cart_count)

        # allauth's login calls Django's login, so both fire for one login: merging is idempotent
        # (the session cart is emptied by the first). Django's covers admin and test logins.
        allauth_logged_in.connect(merge_cart_on_login, dispatch_uid="orders-merge-cart-allauth")
        user_logged_in.connect(merge_cart_on_login, dispatch_uid="orders-merge-cart")
