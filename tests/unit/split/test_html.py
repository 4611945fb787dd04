"""HTML input: JSON-LD live blogs, post containers, and ordinary pages through trafilatura."""

from __future__ import annotations

import orjson

from schemas import RawArticle
from streams.split import split_article
from tests.conftest import read_data


def _html(html: str, **kw: object) -> list:  # type: ignore[type-arg]
    return split_article(RawArticle(source="t", content=html, content_type="text/html", **kw))


def test_jsonld_liveblog_updates_become_posts() -> None:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "LiveBlogPosting",
                "headline": "Marathon live",
                "liveBlogUpdate": [
                    {
                        "@type": "BlogPosting",
                        "headline": "Leaders pass halfway",
                        "articleBody": "The lead group went through halfway in 61 minutes.\n"
                        "Rain has stopped.",
                        "datePublished": "2025-04-13T09:40:00+01:00",
                    },
                    {
                        "@type": "BlogPosting",
                        "headline": "Race under way",
                        "articleBody": "The elite men's race started on time.",
                        "datePublished": "2025-04-13T09:00:00Z",
                    },
                ],
            }
        ],
    }
    html = (
        f'<html><head><script type="application/ld+json">{orjson.dumps(data).decode()}</script></head>'
        "<body><h1>Marathon live</h1><p>Page text that is not read.</p></body></html>"
    )
    entries = _html(html)
    assert [(e.headline, e.kind) for e in entries] == [
        ("Leaders pass halfway", "post"),
        ("Race under way", "post"),
    ]
    assert entries[0].body.splitlines() == [
        "The lead group went through halfway in 61 minutes.",
        "Rain has stopped.",
    ]
    assert (
        entries[0].published_at is not None
        and entries[0].published_at.isoformat() == "2025-04-13T08:40:00+00:00"
    )
    assert entries[1].time_label == "2025-04-13T09:00:00Z"


def test_broken_jsonld_falls_back_to_the_page() -> None:
    html = '<script type="application/ld+json">{not json</script>' + read_data("liveblog.html")
    assert [e.headline for e in _html(html)] == [
        "Residents told to move to higher floors",
        "Army deployed to help rescue efforts",
    ]


def test_ordinary_page_goes_through_trafilatura() -> None:
    paras = "".join(
        f"<p>Paragraph {i} of the report says the council approved the new bridge budget.</p>"
        for i in range(6)
    )
    html = (
        "<html><head><title>Council approves bridge</title></head><body>"
        "<nav><a href='/'>Home</a><a href='/sport'>Sport</a></nav>"
        f"<main><h1>Council approves bridge</h1>{paras}</main>"
        "<footer>Copyright Example News 2025. All rights reserved.</footer></body></html>"
    )
    [entry] = _html(html)
    assert entry.kind == "article" and entry.headline == "Council approves bridge"
    assert "Paragraph 0 of the report" in entry.body and "Paragraph 5" in entry.body
    assert "Home" not in entry.body and "Copyright" not in entry.body


def test_summary_box_is_its_own_kind() -> None:
    text = (
        "Strike live: walkout closes schools\nKey points\nTeachers in 40 districts walked out.\n"
        "Talks resume on Thursday.\n09:10\nPickets form at dawn\nPickets formed outside schools early.\n"
        "08:15\nUnion rejects offer\nThe union rejected the latest pay offer.\n"
    )
    entries = split_article(RawArticle(source="t", content=text))
    assert [(e.kind, e.headline) for e in entries] == [
        ("summary", "Key points"),
        ("post", "Pickets form at dawn"),
        ("post", "Union rejects offer"),
    ]
