from django.urls import path

from . import views

# Fixed paths come before <slug>; services.RESERVED_SLUGS keeps shops from taking them.
app_name = "artisans"
urlpatterns = [
    path("buka-toko/", views.apply, name="apply"),
    path("saya/", views.my_shops, name="my-shops"),
    path("<slug:slug>/", views.shop_detail, name="shop-detail"),
    path("<slug:slug>/ikuti/", views.follow, name="follow"),
    path("<slug:slug>/berhenti-ikuti/", views.unfollow, name="unfollow"),
]
