"""Segmentation of the three page shapes into posts, cards and articles."""

from __future__ import annotations

from schemas import RawArticle
from streams.split import split_article
from tests.conftest import read_data


def _split(name: str, **kw: object) -> list:  # type: ignore[type-arg]
    ctype = "text/html" if name.endswith(".html") else "text/plain"
    return split_article(RawArticle(source="test", content=read_data(name), content_type=ctype, **kw))


def test_headline_liveblog_one_entry_per_post() -> None:
    entries = _split("liveblog_headlines.txt")
    posts = [e for e in entries if e.kind == "post"]
    assert [e.headline for e in posts] == [
        None,
        "Tavares concedes and offers cooperation on budget",
        'Brussels welcomes "clear mandate" for new government',
        "Far-right party gains seats but falls short of its target",
    ]
    assert posts[0].body.startswith("Socialist leader Marta Carvalho claimed victory")
    assert len(posts[0].body.splitlines()) == 3
    # the repeated headline is dropped, not kept as body
    assert "falls short of target" not in posts[3].body


def test_teaser_cards_are_related_entries() -> None:
    cards = [e for e in _split("liveblog_headlines.txt") if e.kind == "related"]
    assert [c.headline for c in cards] == [
        "Turnout reaches highest level in two decades",
        "Markets react calmly to result",
    ]
    assert cards[0].body == "Officials said almost two thirds of registered voters took part in the election"


def test_no_boilerplate_reaches_entries() -> None:
    text = "\n".join(f"{e.headline}\n{e.body}" for e in _split("liveblog_headlines.txt"))
    for noise in [
        "Support our journalism",
        "Your donation",
        "paywall",
        "Your support makes",
        "bookmark",
        "commenting forum",
        "Comments",
        "Exit polls had pointed",
    ]:
        assert noise not in text, noise


def test_timestamps_become_time_labels() -> None:
    entries = _split("liveblog_times.txt")
    assert [(e.time_label, e.headline) for e in entries] == [
        ("14:32", "Thousands evacuated from northern suburbs"),
        ("13:50", "Firefighting planes arrive from Italy and Spain"),
        ("12:15", "Blaze started near Fyli, officials say"),
    ]
    text = "\n".join(e.body for e in entries)
    for noise in ["Key events", "JavaScript", "Advertisement", "Most viewed", "newsletter", "14:32"]:
        assert noise not in text


def test_ordinary_article_is_one_entry() -> None:
    [entry] = _split("article.txt")
    assert entry.kind == "article"
    assert entry.headline == "Carmaker Nordwerk recalls 200,000 electric cars over battery fault"
    assert entry.time_label == "3 October 2024"
    assert entry.published_at is not None and entry.published_at.date().isoformat() == "2024-10-03"
    assert len(entry.body.splitlines()) == 4
    assert "Share on" not in entry.body and "By our" not in entry.body


def test_html_liveblog() -> None:
    entries = _split("liveblog.html")
    assert [(e.time_label, e.headline) for e in entries] == [
        ("08:30", "Residents told to move to higher floors"),
        ("07:45", "Army deployed to help rescue efforts"),
    ]
    assert "never shown" not in entries[0].body and "newsletter" not in entries[0].body


def test_ids_are_stable_and_distinct() -> None:
    a, b = _split("liveblog_headlines.txt"), _split("liveblog_headlines.txt")
    assert [e.entry_id for e in a] == [e.entry_id for e in b]
    assert len({e.entry_id for e in a}) == len(a)
    assert all(e.article_id == a[0].article_id for e in a)


def test_url_gives_the_article_id() -> None:
    one = _split("article.txt", url="https://news.test/cars?utm_source=feed")
    two = _split("article.txt", url="https://news.test/cars")
    assert one[0].article_id == two[0].article_id
    assert one[0].entry_id == two[0].entry_id


def test_content_hash_changes_with_text() -> None:
    base = read_data("article.txt")
    one = split_article(RawArticle(source="s", content=base, url="https://n.test/a"))
    two = split_article(RawArticle(source="s", content=base.replace("4%", "5%"), url="https://n.test/a"))
    assert one[0].entry_id == two[0].entry_id
    assert one[0].content_hash != two[0].content_hash
