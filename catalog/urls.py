from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("batik/", views.product_list, name="product-list"),
    path("batik/<slug:slug>/", views.product_detail, name="product-detail"),
]
