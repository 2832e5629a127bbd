import os

from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("batik/", views.product_list, name="product-list"),
    path("batik/favorit/", views.favourite_list, name="favourite-list"),
    path("batik/favorit/<int:pk>/", views.favourite_toggle, name="favourite-toggle"),
    path("batik/<slug:slug>/", views.product_detail, name="product-detail"),
    path("koleksi/<slug:slug>/", views.collection_detail, name="collection-detail"),
]

# The public shop page, mounted by marketplace/urls.py under the shops' address and name
# (`artisans:shop-detail`, /toko/<slug>/) beside the artisans' own shop URLs.
shop_urlpatterns = [
    path("<slug:slug>/", views.shop_detail, name="shop-detail"),
]

if os.environ.get("BENCH_BARE_VIEW") == "1":
    # Only for bench/catalog.py: the yardstick view, served by the same server in the same run.
    urlpatterns.append(path("bench/bare", views.bench_bare, name="bench-bare"))
