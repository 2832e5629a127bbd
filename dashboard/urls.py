"""The artisan's dashboard: one module of views per concern, composed here."""

from django.urls import path

from . import home, orders

app_name = "dashboard"
urlpatterns = [
    path("", home.dashboard_home, name="home"),
    path("pesanan/", orders.order_list, name="order-list"),
    path("pesanan/pengiriman/", orders.shipping_settings, name="order-shipping"),
    path("pesanan/<int:suborder_id>/", orders.order_detail, name="order-detail"),
    path("pesanan/<int:suborder_id>/terima/", orders.order_accept, name="order-accept"),
    path("pesanan/<int:suborder_id>/tolak/", orders.order_decline, name="order-decline"),
    path("pesanan/<int:suborder_id>/kirim/", orders.order_ship, name="order-ship"),
]
