from django.urls import path

from . import views

# Fixed paths come before <slug>; services.RESERVED_SLUGS keeps shops from taking them (and
# /toko/buka-toko/, the application page, which marketplace/urls.py mounts from the dashboard).
# The public shop page (<slug>/) is the catalog's: marketplace/urls.py mounts it in this namespace.
app_name = "artisans"
urlpatterns = [
    path("saya/", views.my_shops, name="my-shops"),
    path("<slug:slug>/ikuti/", views.follow, name="follow"),
    path("<slug:slug>/berhenti-ikuti/", views.unfollow, name="unfollow"),
]
