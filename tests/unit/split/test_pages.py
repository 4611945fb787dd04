"""Real-shaped pages: live blogs in the markup of major publishers become posts, articles one entry."""

from __future__ import annotations

import pytest

from bench.pages import LIVE_SHAPES, Pages
from schemas import RawArticle
from streams.split import diff, split_article
from streams.split.markup import read_html


def _raw(html: str, url: str = "https://news.example/live") -> RawArticle:
    return RawArticle(source="gazette", content=html, content_type="text/html", url=url)


@pytest.mark.parametrize("shape", LIVE_SHAPES)
def test_live_blog_shapes_become_their_posts(shape: str) -> None:
    page = Pages(seed=5).liveblog(shape, posts=7, kb=60)
    entries = split_article(_raw(page.html))
    assert [e.kind for e in entries] == ["post"] * 7
    assert [e.body.split("\n")[0] for e in entries] == page.body
    assert all(e.headline and e.time_label for e in entries)
    text = " ".join(e.body for e in entries)
    assert "Share on" not in text and "Comments (" not in text and "min read" not in text


@pytest.mark.parametrize("seed", range(4))
def test_articles_are_one_entry_without_furniture(seed: int) -> None:
    page = Pages(seed=seed).article(kb=120)
    [entry] = split_article(_raw(page.html, "https://news.example/story"))
    assert entry.kind == "article" and entry.headline == page.title
    assert entry.body.split("\n") == page.body  # no byline, caption, teaser or comment
    assert "More stories" not in entry.body and "Photograph:" not in entry.body


def test_an_article_with_a_timestamped_comment_thread_is_one_article() -> None:
    html = Pages(seed=9).article(kb=60).html
    assert read_html(html).kind == "article"
    # Even when the thread's markup does not call itself comments: the page says it is an article.
    neutral = html.replace('id="comments" class="comments"', 'id="thread"').replace(
        'class="comment"', 'class="entry"'
    )
    assert read_html(neutral).kind == "article"


def test_repeated_stamped_blocks_without_live_evidence_are_not_posts() -> None:
    blocks = "".join(
        f"<div class='item'><time>0{i}:15</time><p>{'A paragraph of ordinary text. ' * 3}</p></div>"
        for i in range(4)
    )
    html = f"<html><head><title>Report</title></head><body><h1>Report</h1>{blocks}</body></html>"
    assert read_html(html).kind == "article"


def test_day_dated_teasers_are_never_posts_even_with_a_live_title() -> None:
    items = "".join(
        f"<div class='card'><time>{i} March 2024</time><p>{'Another story teased here. ' * 2}</p></div>"
        for i in range(1, 8)
    )
    head = "<head><title>Live: storm</title></head>"
    html = f"<html>{head}<body><h1>Live: storm</h1><p>{'Body. ' * 30}</p>{items}</body></html>"
    assert read_html(html).kind == "article"


@pytest.mark.parametrize("shape", ["blocks", "stream", "jsonld"])
def test_a_live_blog_sent_again_as_it_grows_publishes_only_what_is_new(shape: str) -> None:
    gen = Pages(seed=21)
    full = gen.liveblog(shape, posts=6, kb=60)
    # The same live blog two updates earlier: the newest two posts missing.
    older = Pages(seed=21).liveblog(shape, posts=6, kb=60)
    first = split_article(_raw(_drop_newest(older.html, shape, 2)))
    assert len(first) == 4
    _, state = diff(first, None)
    again, state = diff(split_article(_raw(full.html)), state)
    assert len(again) == 2 and all(e.revision == 1 for e in again)
    assert {e.entry_id for e in first}.isdisjoint(e.entry_id for e in again)
    edited = full.html.replace(full.body[-1], full.body[-1] + " A correction was added.")
    changed, _ = diff(split_article(_raw(edited)), state)
    assert [(e.revision, e.body.split("\n")[0]) for e in changed] == [
        (2, full.body[-1] + " A correction was added.")
    ]


def _drop_newest(html: str, shape: str, n: int) -> str:
    """The page without its first `n` posts in the markup (and in the JSON-LD updates)."""
    import json
    import re

    marker = {"blocks": '<div class="block"', "jsonld": '<div class="block"', "stream": "<li><article>"}[
        shape
    ]
    starts = [m.start() for m in re.finditer(re.escape(marker), html)]
    html = html[: starts[0]] + html[starts[n] :]
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html)
    if ld and '"liveBlogUpdate"' in ld.group(1):
        data = json.loads(ld.group(1))
        data["liveBlogUpdate"] = data["liveBlogUpdate"][n:]
        html = html[: ld.start(1)] + json.dumps(data) + html[ld.end(1) :]
    return html
