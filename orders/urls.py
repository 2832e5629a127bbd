from django.urls import path

from . import capacity_views, card_views, midtrans_views, views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("keranjang/", views.cart_detail, name="cart"),
    path("keranjang/tambah/", views.cart_add, name="cart-add"),
    path("keranjang/ubah/", views.cart_update, name="cart-update"),
    path("keranjang/hapus/", views.cart_remove, name="cart-remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("siap/", capacity_views.ready_date, name="ready-date"),
    path("bukti-transfer/<int:payment_id>/", views.transfer_proof, name="transfer-proof"),
    path("lacak/<str:token>/", views.order_track, name="track"),
    path("lacak/<str:token>/bukti-transfer/", views.upload_proof, name="track-proof"),
    path("lacak/<str:token>/bayar/", card_views.pay_by_card, name="track-pay-card"),
    path("lacak/<str:token>/bayar-online/", midtrans_views.pay_online, name="track-pay-online"),
    path(
        "lacak/<str:token>/bayar-online/cek/",
        midtrans_views.check_payment,
        name="track-check-payment",
    ),
    path(
        "lacak/<str:token>/bayar-online/status/",
        midtrans_views.payment_status,
        name="track-payment-status",
    ),
    path(
        "lacak/<str:token>/rekening-refund/<int:refund_id>/",
        midtrans_views.refund_account,
        name="track-refund-account",
    ),
    path("lacak/<str:token>/batal/<int:suborder_id>/", views.cancel_suborder, name="track-cancel"),
    path(
        "lacak/<str:token>/diterima/<int:suborder_id>/",
        views.confirm_delivered,
        name="track-delivered",
    ),
    path("<str:reference>/", views.order_detail, name="detail"),
    path("<str:reference>/bukti-transfer/", views.upload_proof, name="proof"),
    path("<str:reference>/bayar/", card_views.pay_by_card, name="pay-card"),
    path("<str:reference>/bayar-online/", midtrans_views.pay_online, name="pay-online"),
    path("<str:reference>/bayar-online/cek/", midtrans_views.check_payment, name="check-payment"),
    path(
        "<str:reference>/bayar-online/status/",
        midtrans_views.payment_status,
        name="payment-status",
    ),
    path(
        "<str:reference>/rekening-refund/<int:refund_id>/",
        midtrans_views.refund_account,
        name="refund-account",
    ),
    path("<str:reference>/batal/<int:suborder_id>/", views.cancel_suborder, name="cancel"),
    path("<str:reference>/diterima/<int:suborder_id>/", views.confirm_delivered, name="delivered"),
]
