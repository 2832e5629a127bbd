"""The artisan's dashboard: one module of views per concern, composed here."""

from django.urls import path

from . import home

app_name = "dashboard"
urlpatterns = [
    path("", home.dashboard_home, name="home"),
]
