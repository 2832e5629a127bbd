from django.urls import path

from . import views

app_name = "procurement"
urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("permintaan/baru/", views.request_create, name="request-create"),
    path("permintaan/<int:pk>/", views.request_detail, name="request-detail"),
    path("permintaan/<int:pk>/kirim/", views.request_submit, name="request-submit"),
    path("permintaan/<int:pk>/tarik/", views.request_withdraw, name="request-withdraw"),
    path("penawaran/<int:pk>/", views.quote_detail, name="quote-detail"),
    path("penawaran/<int:pk>/terima/", views.quote_accept, name="quote-accept"),
    path("penawaran/<int:pk>/tolak/", views.quote_decline, name="quote-decline"),
    path("penawaran/<int:pk>/serah-terima/", views.quote_handover, name="quote-handover"),
]
