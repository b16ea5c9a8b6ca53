"""Query expressions written as SQL around one column of the row being read."""

from collections.abc import Callable
from typing import Any

from django.db.models import F, Func

__all__ = ["CorrelatedSql"]


class CorrelatedSql(Func):
    """A correlated subquery, written as SQL, of one column of the outer row.

    The ORM's ``Subquery`` and ``Exists`` copy their whole inner query each time the outer
    queryset is cloned, and a list page clones it many times (filter, order, page, count):
    on Puente's busiest pages that cost more than running the subquery. A subclass gives
    ``output_field`` and ``subquery``, which writes the SQL from quoted names (take them
    from the models) and the outer column as compiled; values go as parameters, in order.
    """

    def __init__(self, outer: str, *parameters: object) -> None:
        super().__init__(F(outer))
        self.parameters = list(parameters)

    def subquery(self, quote: Callable[[str], str], outer: str) -> str:
        """Return the SQL, with a %s placeholder for each parameter."""
        raise NotImplementedError

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        outer, params = compiler.compile(self.get_source_expressions()[0])
        return self.subquery(connection.ops.quote_name, outer), [*params, *self.parameters]
