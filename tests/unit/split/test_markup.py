"""HTML to lines: blocks become lines; scripts, navigation and asides vanish."""

from __future__ import annotations

from streams.split.markup import html_to_lines


def test_blocks_and_skipped_elements() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><nav>Menu</nav>"
        "<h1>Head</h1><p>One <em>two</em>&amp; three.</p><script>x()</script><p>Four.</p></body></html>"
    )
    assert html_to_lines(html) == ["Head", "One two& three.", "Four."]


def test_broken_html_does_not_raise() -> None:
    assert html_to_lines("<p>unclosed <b>bold<p>next") == ["unclosed bold", "next"]
