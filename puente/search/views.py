from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from puente.core.http import HtmxHttpRequest

from .forms import SearchForm
from .models import Kind
from .selectors import search_counts, search_entry_list, search_query_parse

GROUP_SIZE = 5
PAGE_SIZE = 20


def search_view(request: HtmxHttpRequest) -> HttpResponse:
    """Search every kind of content; answer htmx with the results only."""
    form = SearchForm(request.GET)
    form.is_valid()
    arguments = form.search_arguments()
    query = search_query_parse(arguments["text"])
    kind = arguments["kind"]
    context: dict[str, Any] = {"form": form, "query": query, "kind": kind, "groups": []}
    if query.is_usable:
        entries = search_entry_list(query=query, viewer=request.user)
        counts = search_counts(entries)
        context["counts"] = counts
        context["total"] = sum(counts.values())
        if kind:
            page = Paginator(entries.filter(kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
            context["page"] = page
            context["kind_label"] = Kind(kind).label
        else:
            context["groups"] = [
                {
                    "kind": value,
                    "label": label,
                    "count": counts[value],
                    "entries": list(entries.filter(kind=value)[:GROUP_SIZE]),
                    "has_more": counts[value] > GROUP_SIZE,
                }
                for value, label in Kind.choices
                if counts[value]
            ]
    if request.htmx and not request.htmx.history_restore_request:
        template = "search/_results.html"
    else:
        template = "search/search.html"
    response = render(request, template, context, status=400 if form.errors else 200)
    patch_vary_headers(response, ["HX-Request"])
    return response
