"""The site's URL map: each app mounts its own urls module."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from artisans import urls as artisans_urls
from catalog import urls as catalog_urls
from catalog.sitemaps import SITEMAPS
from core import views as core_views
from dashboard import application as dashboard_application
from orders import card_views as order_card_views
from orders import midtrans_views as order_midtrans_views
from orders import provenance_views as order_provenance_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", core_views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Outside i18n_patterns: Stripe posts to one fixed address.
    path("stripe/webhook/", order_card_views.stripe_webhook, name="stripe-webhook"),
    path(
        "midtrans/notification/",
        order_midtrans_views.midtrans_notification,
        name="midtrans-notification",
    ),
    # Outside i18n_patterns: region names are the same in both languages (the address selects).
    path("wilayah/", include("regions.urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("akun/", include("allauth.urls")),
    path("akun/", include("accounts.urls")),
    path("notifikasi/", include("notifications.urls")),
    # Applying to sell shows artisans' and catalog's forms, so the dashboard serves it; it keeps
    # its place among the shops' pages, before any shop's slug.
    path("toko/buka-toko/", dashboard_application.apply, name="shop-apply"),
    # The shops' address holds the artisans' pages and the public shop page, which lists
    # products and so belongs to the catalog (artisans do not import the catalog).
    path(
        "toko/",
        include((artisans_urls.urlpatterns + catalog_urls.shop_urlpatterns, "artisans")),
    ),
    path("pesanan/", include("orders.urls")),
    path("asal/<str:code>/", order_provenance_views.provenance, name="provenance"),
    path("dasbor/", include("dashboard.urls")),
    path("instansi/", include("procurement.urls")),
    path("ulasan/", include("reviews.urls")),
    path("", include("catalog.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
