from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.to_review, name="to-review"),
    path("batik/<int:product_id>/", views.product_review_create, name="product-review-create"),
    path("toko/<int:shop_id>/", views.shop_review_create, name="shop-review-create"),
]
