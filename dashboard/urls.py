"""The artisan's dashboard: one module of views per concern, composed here."""

from django.urls import path

from . import home, shop

app_name = "dashboard"
urlpatterns = [
    path("", home.dashboard_home, name="home"),
    path("toko/", shop.shop_profile, name="shop-profile"),
    path("toko/libur/", shop.shop_vacation, name="shop-vacation"),
]
