from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.children, name="provinces"),
    path("<str:code>/", views.children, name="children"),
]
