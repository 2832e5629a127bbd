from django.urls import path

from . import views

# Fixed paths come before <slug>; services.RESERVED_SLUGS keeps shops from taking them (and
# /toko/buka-toko/ and /toko/jual/, the dashboard's pages that marketplace/urls.py mounts).
# The public shop page (<slug>/) is the catalog's: marketplace/urls.py mounts it in this namespace.
app_name = "artisans"
urlpatterns = [
    path("saya/", views.my_shops, name="my-shops"),
    path("diikuti/", views.followed_shops, name="followed-shops"),
    path("<slug:slug>/ikuti/", views.follow, name="follow"),
    path("<slug:slug>/berhenti-ikuti/", views.unfollow, name="unfollow"),
]
