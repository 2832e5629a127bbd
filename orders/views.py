from django.shortcuts import render


def cart_detail(request):
    """The visitor's cart."""
    return render(request, "orders/cart_detail.html", {})
