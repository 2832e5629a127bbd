from django.core.management.base import BaseCommand

from demo.orders import seed_demo_orders


class Command(BaseCommand):
    help = "Create a few demo orders at different stages (after seed_demo; safe to run again)."

    def handle(self, *args, **options):
        created = seed_demo_orders()
        self.stdout.write(f"Demo orders: {created} new.")
