from typing import Any

from django.apps import AppConfig


def _demo_search(*, report: Any) -> None:  # the demo loaders' signature
    # The demo writes statements in bulk, which sends no signals: index everything at the end.
    from .index import index_rebuild

    # Not counted in the report: the index is derived, and a second load must create nothing.
    index_rebuild()


class SearchConfig(AppConfig):
    name = "puente.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from puente.core.registry import demo_loader_register

        from .receivers import receivers_connect

        receivers_connect()
        # Last of all the demo's parts (names sort "~~~" after "~~initiatives").
        demo_loader_register("~~~search", _demo_search)
