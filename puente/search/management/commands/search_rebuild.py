from typing import Any

from django.core.management.base import BaseCommand

from puente.search.index import index_rebuild


class Command(BaseCommand):
    help = "Build the search index again from every organisation, partnership, dialogue, "
    "statement, agenda item and initiative (after loading data in bulk)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = index_rebuild()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
