from django.urls import path

from . import card_views, views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("keranjang/", views.cart_detail, name="cart"),
    path("keranjang/tambah/", views.cart_add, name="cart-add"),
    path("keranjang/ubah/", views.cart_update, name="cart-update"),
    path("keranjang/hapus/", views.cart_remove, name="cart-remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("bukti-transfer/<int:payment_id>/", views.transfer_proof, name="transfer-proof"),
    path("lacak/<str:token>/", views.order_track, name="track"),
    path("lacak/<str:token>/bukti-transfer/", views.upload_proof, name="track-proof"),
    path("lacak/<str:token>/bayar/", card_views.pay_by_card, name="track-pay-card"),
    path("lacak/<str:token>/batal/<int:suborder_id>/", views.cancel_suborder, name="track-cancel"),
    path(
        "lacak/<str:token>/diterima/<int:suborder_id>/",
        views.confirm_delivered,
        name="track-delivered",
    ),
    path("<str:reference>/", views.order_detail, name="detail"),
    path("<str:reference>/bukti-transfer/", views.upload_proof, name="proof"),
    path("<str:reference>/bayar/", card_views.pay_by_card, name="pay-card"),
    path("<str:reference>/batal/<int:suborder_id>/", views.cancel_suborder, name="cancel"),
    path("<str:reference>/diterima/<int:suborder_id>/", views.confirm_delivered, name="delivered"),
]
