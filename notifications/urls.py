from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("baca-semua/", views.mark_all_read, name="mark-all-read"),
]
