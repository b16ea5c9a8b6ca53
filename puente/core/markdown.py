"""User Markdown turned into safe HTML: a few text formats, links, and nothing else."""

import functools
import html as html_lib
import re

import markdown as markdown_lib
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

# What the rendered Markdown may contain; everything else is dropped, its text kept.
ALLOWED_TAGS = frozenset(
    {"p", "br", "ul", "ol", "li", "a", "em", "strong", "code", "pre", "blockquote", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
# The help text of every form field that takes Markdown.
MARKDOWN_HELP_TEXT = _("Markdown: **bold**, *italics*, lists and links.")

# Descriptions render on busy pages again and again: the same text gives the same HTML.
_CACHED_TEXTS = 512
# A blank line ends a Markdown block; a link defined by reference may sit in any later block.
_BLOCK_END = re.compile(r"\n[ \t]*\n")
_LINK_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.MULTILINE)


def _converter() -> markdown_lib.Markdown:
    converter = markdown_lib.Markdown(extensions=[], output_format="html")
    # Raw HTML is shown as the text it is, never passed through.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    # No images: people on metered links should not load what others embed.
    converter.inlinePatterns.deregister("image_link")
    converter.inlinePatterns.deregister("image_reference")
    return converter


@functools.lru_cache(maxsize=_CACHED_TEXTS)
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


def _plain_words(text: str) -> list[str]:
    """Return the words a reader sees in the rendered Markdown, without markup."""
    return html_lib.unescape(strip_tags(markdown_render(text))).split()


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def markdown_excerpt(text: str, n_words: int) -> str:
    """Return the rendered Markdown's first words as plain text, with an ellipsis when cut."""
    # Rendering a long text to show thirty words is wasted work: render its first blocks,
    # more of them until they hold more words than the excerpt shows, or the whole text.
    ends = [] if _LINK_REFERENCE.search(text) else [m.start() for m in _BLOCK_END.finditer(text)]
    n_blocks = 1
    while True:
        whole = n_blocks > len(ends)
        words = _plain_words(text if whole else text[: ends[n_blocks - 1]])
        if whole or len(words) > n_words:
            break
        n_blocks *= 2
    # The same cut and ellipsis as the truncatewords filter.
    return Truncator(" ".join(words)).words(n_words, truncate=" …")
