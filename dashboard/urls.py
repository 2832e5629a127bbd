"""The artisan's dashboard: one module of views per concern, composed here."""

from django.urls import path

from . import finance, home, listings, onetap, orders, pieces, procurement, reviews, shop

app_name = "dashboard"
urlpatterns = [
    path("", home.dashboard_home, name="home"),
    path("toko/", shop.shop_profile, name="shop-profile"),
    path("toko/libur/", shop.shop_vacation, name="shop-vacation"),
    path("produk/", listings.listing_list, name="listing-list"),
    path("produk/baru/", listings.product_create, name="product-create"),
    path("produk/<int:pk>/ubah/", listings.product_edit, name="product-edit"),
    path("produk/<int:pk>/duplikat/", listings.product_duplicate, name="product-duplicate"),
    path("produk/<int:pk>/terbitkan/", listings.product_publish, name="product-publish"),
    path("produk/<int:pk>/arsipkan/", listings.product_archive, name="product-archive"),
    path("produk/<int:pk>/hapus/", listings.product_delete, name="product-delete"),
    path("produk/opsi/<int:pk>/stok/", listings.option_stock, name="option-stock"),
    path("produk/<int:pk>/foto/", listings.product_images, name="product-images"),
    path(
        "produk/<int:pk>/foto/unggah/", listings.product_image_upload, name="product-image-upload"
    ),
    path(
        "produk/<int:pk>/foto/urutan/", listings.product_image_reorder, name="product-image-reorder"
    ),
    path(
        "produk/<int:pk>/foto/<int:image_pk>/geser/",
        listings.product_image_move,
        name="product-image-move",
    ),
    path(
        "produk/<int:pk>/foto/<int:image_pk>/utama/",
        listings.product_image_primary,
        name="product-image-primary",
    ),
    path(
        "produk/<int:pk>/foto/<int:image_pk>/keterangan/",
        listings.product_image_alt,
        name="product-image-alt",
    ),
    path(
        "produk/<int:pk>/foto/<int:image_pk>/hapus/",
        listings.product_image_delete,
        name="product-image-delete",
    ),
    path("pesanan/", orders.order_list, name="order-list"),
    path("pesanan/pengiriman/", orders.shipping_settings, name="order-shipping"),
    path("pesanan/antrean/", orders.order_queue, name="order-queue"),
    path("pesanan/<int:suborder_id>/", orders.order_detail, name="order-detail"),
    path("pesanan/<int:suborder_id>/terima/", orders.order_accept, name="order-accept"),
    path("pesanan/<int:suborder_id>/tolak/", orders.order_decline, name="order-decline"),
    path("pesanan/<int:suborder_id>/kirim/", orders.order_ship, name="order-ship"),
    # The one-tap link of a new order's WhatsApp message (orders.onetap): no login needed.
    path("pesanan/wa/<str:token>/", onetap.one_tap, name="order-one-tap"),
    path(
        "pesanan/<int:suborder_id>/daftar-kemas/",
        procurement.packing_list,
        name="procurement-packing-list",
    ),
    path("pesanan/<int:suborder_id>/mulai/", orders.order_start_work, name="order-start-work"),
    path("pesanan/<int:suborder_id>/foto/", orders.order_progress_photo, name="order-photo"),
    path("pesanan/<int:suborder_id>/siap/", orders.order_ready, name="order-ready"),
    path("permintaan-instansi/", procurement.invitation_list, name="procurement-list"),
    path(
        "permintaan-instansi/<int:request_id>/",
        procurement.invitation_offer,
        name="procurement-offer",
    ),
    path("asal/", pieces.piece_list, name="piece-list"),
    path("asal/label/", pieces.piece_tags, name="piece-tags"),
    path("ulasan/", reviews.review_list, name="review-list"),
    path("ulasan/<str:kind>/<int:pk>/balas/", reviews.review_reply, name="review-reply"),
    path("keuangan/", finance.finance, name="finance"),
    path("keuangan/pencairan/", finance.payout_request, name="payout-request"),
    path("keuangan/pencairan/<int:pk>/", finance.payout_detail, name="payout-detail"),
    path("keuangan/pencairan/<int:pk>/batal/", finance.payout_cancel, name="payout-cancel"),
    path("keuangan/rekening/", finance.payout_account, name="payout-account"),
    path("keuangan/buku-kas.csv", finance.ledger_csv, name="ledger-csv"),
]
