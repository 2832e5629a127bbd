from django.core.management.base import BaseCommand

from catalog.cache import bump_catalog_version
from catalog.services import rebuild_search_index


class Command(BaseCommand):
    help = "Recompute the full-text search vector of every product (PostgreSQL)."

    def handle(self, *args, **options):
        updated = rebuild_search_index()
        bump_catalog_version()
        self.stdout.write(f"Search index rebuilt for {updated} products.")
