"""User Markdown renders its formats and nothing that runs, loads or hides."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from puente.core.markdown import markdown_excerpt, markdown_render


class _Elements(HTMLParser):
    """Collect every element and attribute name the HTML really contains."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _value in attrs)


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def test_paragraphs_lists_emphasis_and_code_render():
    html = markdown_render("First *one* and **two**.\n\n- a\n- b\n\nThen:\n\n1. x\n\nUse `pip`.")
    assert "<p>First <em>one</em> and <strong>two</strong>.</p>" in html
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in html
    assert "<ol>\n<li>x</li>\n</ol>" in html
    assert "<code>pip</code>" in html
    assert isinstance(html, SafeString)


def test_code_blocks_keep_their_text_escaped():
    html = markdown_render("    <b>bold</b>\n")
    assert "<pre><code>&lt;b&gt;bold&lt;/b&gt;" in html


def test_links_get_nofollow_noopener():
    html = markdown_render("[EU-LAC](https://eulacdigitalalliance.eu/)")
    assert 'href="https://eulacdigitalalliance.eu/"' in html
    assert 'rel="nofollow noopener"' in html


@pytest.mark.parametrize("url", ["http://example.org/", "mailto:ana@example.org"])
def test_http_and_mailto_links_are_kept(url):
    assert f'href="{url}"' in markdown_render(f"[here]({url})")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
    ],
)
def test_other_link_schemes_lose_their_href(url):
    html = markdown_render(f"[click]({url})")
    assert "href" not in html
    assert "click" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Hello <script>alert(1)</script> there",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        '<div onmouseover="alert(1)">hover</div>',
        "<iframe src='https://example.org'></iframe>",
        "<style>body{display:none}</style>",
        '[x](https://example.org "t" onclick="alert(1)")',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_raw_html_is_shown_as_text_never_as_markup(text):
    elements = _elements(markdown_render(text))
    assert elements.tags <= {"p", "a"}
    assert elements.attributes <= {"href", "title", "rel"}


def test_raw_html_text_stays_readable():
    assert "&lt;b&gt;" in markdown_render("A <b>tag</b>")


def test_images_do_not_render():
    assert "img" not in _elements(markdown_render("![logo](https://example.org/logo.png)")).tags


def test_empty_text_renders_nothing():
    assert markdown_render("") == ""


def test_the_markdown_filter_renders_and_sanitises():
    rendered = Template("{% load markdown %}{{ text|markdown }}").render(
        Context({"text": "*hi* <script>x</script>"})
    )
    assert "<em>hi</em>" in rendered
    assert "<script" not in rendered


def test_the_markdown_filter_takes_none():
    assert Template("{% load markdown %}{{ text|markdown }}").render(Context({"text": None})) == ""


def _words_of_the_whole_render(text: str) -> list[str]:
    return _Text.of(markdown_render(text)).split()


class _Text(HTMLParser):
    """The text a reader sees in HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(parser.parts)


def test_an_excerpt_is_the_rendered_text_without_markup():
    text = (
        "Our *aims*:\n\n- **open** data\n- [BELLA](https://bella.example/)\n\n> `code` &amp; more"
    )
    assert markdown_excerpt(text, 30) == "Our aims: open data BELLA code & more"


def test_an_excerpt_keeps_raw_html_as_text_and_the_filter_escapes_it():
    assert markdown_excerpt("Hi <script>alert(1)</script>", 30) == "Hi <script>alert(1)</script>"
    rendered = Template("{% load markdown %}{{ text|markdown_excerpt:30 }}").render(
        Context({"text": "Hi *there* <script>alert(1)</script>"})
    )
    assert rendered == "Hi there &lt;script&gt;alert(1)&lt;/script&gt;"


def test_an_excerpt_is_cut_like_truncatewords():
    text = " ".join(f"w{i}" for i in range(50))
    assert markdown_excerpt(text, 30) == Truncator(text).words(30, truncate=" …")
    assert markdown_excerpt(text, 30).endswith("w29 …")
    assert markdown_excerpt(text, 50) == text


@pytest.mark.parametrize(
    "text",
    [
        "\n\n".join(f"Paragraph {i} has *four* words." for i in range(40)),
        "\n\n".join(f"- item {i}\n- **next** {i}" for i in range(40)),
        "One [link][ref] first.\n\n"
        + "\n\n".join("filler words here" for _ in range(20))
        + "\n\n[ref]: https://example.org/",
        "Short.\n\n    indented code\n\n    more code\n\nEnd " + "word " * 40,
        "a\n\n\n\n" * 5 + "b " * 50,
        "Exactly three words",
    ],
)
@pytest.mark.parametrize("n_words", [1, 3, 30, 40])
def test_an_excerpt_equals_the_cut_text_of_the_whole_render(text, n_words):
    """Rendering only the first blocks is an optimisation: it never changes the excerpt."""
    whole = " ".join(_words_of_the_whole_render(text))
    assert markdown_excerpt(text, n_words) == Truncator(whole).words(n_words, truncate=" …")


def test_the_excerpt_filter_takes_none():
    assert (
        Template("{% load markdown %}{{ text|markdown_excerpt:5 }}").render(Context({"text": None}))
        == ""
    )
