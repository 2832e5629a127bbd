from django.core.management.base import BaseCommand

from demo.catalog import ADMIN_EMAIL, BUYER_EMAIL, DEMO_PASSWORD, MAKERS, seed_demo


class Command(BaseCommand):
    help = "Create the demo makers, batik and logins (safe to run again)."

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write(
            f"Demo data: {counts['shops']} shops, {counts['products']} products "
            f"({counts['products_created']} new)."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  cooperative admin  {ADMIN_EMAIL}  (Django admin at /admin/)")
        self.stdout.write(f"  buyer              {BUYER_EMAIL}")
        for maker in MAKERS:
            self.stdout.write(
                f"  artisan            {maker.email}  ({maker.shop}, {maker.district.label})"
            )
