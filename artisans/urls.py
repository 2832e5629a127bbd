from django.urls import path

from . import views

app_name = "artisans"
urlpatterns = [
    path("buka-toko/", views.apply, name="apply"),
    path("<slug:slug>/", views.shop_detail, name="shop-detail"),
]
