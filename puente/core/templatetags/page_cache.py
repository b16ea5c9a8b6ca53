"""``{% visitor_cache key %}...{% endvisitor_cache %}``: a page's body, cached for visitors.

The key comes from ``puente.core.versions.visitor_page_key``: for a visitor it names the
page's content as it stands, for a signed-in person it is None and the body is rendered
afresh. The rendering is kept per language.
"""

from django import template
from django.core.cache import cache
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Keys change with the minute (see visitor_page_key): a rendering is never read for longer.
SECONDS = 120


class VisitorCacheNode(template.Node):
    def __init__(self, nodelist: NodeList, key: FilterExpression) -> None:
        self.nodelist = nodelist
        self.key = key

    def render(self, context: template.Context) -> SafeString:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        full_key = f"{key}:{get_language()}"
        html: str | None = cache.get(full_key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(full_key, html, SECONDS)
        # Rendered by the template engine, which escaped what it had to.
        return mark_safe(html)  # noqa: S308


@register.tag("visitor_cache")
def visitor_cache(parser: Parser, token: Token) -> VisitorCacheNode:
    """Cache what is inside under the key (see the module docstring) unless it is empty."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the key")
    nodelist = parser.parse(("endvisitor_cache",))
    parser.delete_first_token()
    return VisitorCacheNode(nodelist, parser.compile_filter(bits[1]))
