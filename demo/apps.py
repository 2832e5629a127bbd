from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo makers, batik (images drawn by Pillow) and orders for `make run`; no models."""

    name = "demo"
    verbose_name = "Demo"
