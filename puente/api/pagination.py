from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """Numbered pages of 25 by default; clients may ask for up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100
