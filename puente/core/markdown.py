"""User Markdown turned into safe HTML: a few text formats, links, and nothing else."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

# What the rendered Markdown may contain; everything else is dropped, its text kept.
ALLOWED_TAGS = frozenset(
    {"p", "br", "ul", "ol", "li", "a", "em", "strong", "code", "pre", "blockquote", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"


def _converter() -> markdown_lib.Markdown:
    converter = markdown_lib.Markdown(extensions=[], output_format="html")
    # Raw HTML is shown as the text it is, never passed through.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    # No images: people on metered links should not load what others embed.
    converter.inlinePatterns.deregister("image_link")
    converter.inlinePatterns.deregister("image_reference")
    return converter


def markdown_render(text: str) -> SafeString:
    """Render user Markdown as sanitised HTML: paragraphs, lists, emphasis, code and links."""
    if not text:
        return mark_safe("")
    html = _converter().convert(text)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308  # sanitised by nh3 just above
