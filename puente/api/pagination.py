from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

# Past this many digits a number is only "very large": a page past the end, or the largest size.
_MAX_DIGITS = 18


def _whole_number(request: Request, name: str) -> int | None:
    """Return the positive whole number given as the parameter, or None when it is absent."""
    if name not in request.query_params:
        return None
    given = request.query_params[name].strip()
    digits = given.lstrip("0")
    if not (given.isascii() and given.isdigit()) or not digits:
        raise ValidationError({name: [_("Give a whole number from 1.")]}, code="invalid")
    return 10**_MAX_DIGITS if len(digits) > _MAX_DIGITS else int(digits)


class PagePagination(PageNumberPagination):
    """Numbered pages of 25 by default; clients may ask for up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100
    # Pages are numbers only: ?page=last would contradict the schema.
    last_page_strings = ()

    def get_page_number(self, request: Request, paginator: Paginator[Any]) -> int:
        """Return the page asked for; 400 naming page when it is not a number from 1."""
        return _whole_number(request, self.page_query_param) or 1

    def get_page_size(self, request: Request) -> int | None:
        """Return the page size asked for, at most 100; 400 when it is not a number from 1."""
        size = _whole_number(request, self.page_size_query_param)
        if size is None:
            return self.page_size
        return min(size, self.max_page_size or size)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        """Document page and page_size as numbers from 1."""
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(_("Results per page, at most 100 (default 25)."))
        return parameters
