"""Checks that a rendered page sits in Puente's layout and is labelled for assistive tech."""

from html.parser import HTMLParser

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "image", "reset"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1_count = 0
        self.html_lang = None
        self.label_targets = set()
        self.controls = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and attributes.get("type", "text") in UNLABELLED_INPUT_TYPES:
                return
            self.controls.append(attributes)


def parse_page(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def assert_accessible_page(response) -> _PageParser:
    """Assert the page uses our layout, has one h1 and labels every form control."""
    html = response.content.decode()
    page = parse_page(html)
    assert 'class="skip-link"' in html, "page is not rendered in Puente's layout"
    assert page.html_lang, "the html element has no lang"
    assert page.h1_count == 1, f"expected one h1, found {page.h1_count}"
    for control in page.controls:
        labelled = (
            control.get("id") in page.label_targets
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        assert labelled, f"form control without a label: {control}"
        for described_by in (control.get("aria-describedby") or "").split():
            assert described_by in page.ids, f"aria-describedby points nowhere: {described_by}"
    return page
