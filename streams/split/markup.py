"""HTML to page lines: one line per block element, scripts and page chrome dropped.

Example:
    >>> html_to_lines("<h1>Title</h1><nav>Home</nav><p>First <b>para</b>.</p><p>Second.</p>")
    ['Title', 'First para.', 'Second.']
"""

from __future__ import annotations

from html.parser import HTMLParser

# Elements whose text is never article text.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "footer",
        "aside",
        "form",
        "button",
        "svg",
        "iframe",
        "select",
        "figure",
    }
)
# Elements that end a line.
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "br",
        "tr",
        "blockquote",
        "time",
        "figcaption",
        "dd",
        "dt",
        "pre",
        "table",
        "title",
    }
)
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "source", "wbr"})


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._parts: list[str] = []
        self._skip_depth = 0
        self._in_head = False

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.lines.append(text)
        self._parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self._in_head = True
        if tag in _SKIP and tag not in _VOID:
            self._skip_depth += 1
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth and not self._in_head:
            self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_lines(html: str) -> list[str]:
    """Visible text of an HTML page, one block per line, in document order."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.lines
