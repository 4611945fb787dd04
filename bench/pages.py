"""Realistic news pages of our own for tests and `make bench-html`: ordinary articles and live blogs.

Every page has what real pages carry around the story: a head with metadata and scripts,
navigation, share widgets, captions, a byline, teaser lists of other stories, a comment
thread with timestamps, a footer. Live blogs come in the markup shapes major publishers
use (as we know them; the text is generated from `bench.synth`'s word lists, never copied):

- `jsonld`: schema.org `LiveBlogPosting` with `liveBlogUpdate`s, posts also in the markup;
- `blocks`: `LiveBlogPosting` declared without updates, posts as `<div class="block">` with
  a `<p class="block-time">` holding `<time>`;
- `stream`: an `<ol>` of `<li><article>` posts with a `<header>` holding `<time>` and `<h3>`;
- `story-posts`: `<article class="live-story-post">` with no JSON-LD and a live title;
- `span-stamps`: posts whose time is a `<span class="post-timestamp">10:42</span>`, no `<time>`.

Example:
    >>> gen = Pages(seed=1)
    >>> page = gen.article(kb=60)
    >>> 50_000 < len(page.html) < 80_000 and page.kind
    'article'
    >>> gen.liveblog("stream", posts=8).posts
    8
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from html import escape

from bench.synth import TOPICS, Synth

LIVE_SHAPES = ("jsonld", "blocks", "stream", "story-posts", "span-stamps")
_SECTIONS = ["World", "Business", "Politics", "Science", "Sport", "Culture", "Opinion", "Travel", "Climate"]


@dataclass(frozen=True)
class GeneratedPage:
    """A page, what it is, and the text an extractor should find."""

    html: str
    kind: str  # "article" or "liveblog"
    title: str
    posts: int  # 1 for an article
    body: list[str]  # the story's paragraphs (articles) or each post's first paragraph


class Pages:
    """A seeded generator of pages."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
        self.synth = Synth(seed)

    # ---------------------------------------------------------------- parts

    def _paragraphs(self, n: int) -> list[str]:
        topic = self.rng.choice(list(TOPICS))
        return [self.synth._paragraph(topic, self.rng.randint(2, 4)) for _ in range(n)]

    def _headline(self) -> str:
        return self.synth._headline(self.rng.choice(list(TOPICS)))

    def _script(self, kb: int) -> str:
        """Inline JavaScript of about `kb` kilobytes (analytics, ad loaders: page weight, no text)."""
        unit = "window.__cfg=window.__cfg||{};__cfg.slot%d={sizes:[[300,250],[728,90]],lazy:true};\n"
        lines = (unit % i for i in range(kb * 1024 // len(unit) + 1))
        return "<script>" + "".join(lines)[: kb * 1024] + "</script>"

    def _nav(self) -> str:
        links = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in _SECTIONS * 3)
        return f'<header class="site-header"><nav class="menu"><ul>{links}</ul></nav></header>'

    def _teasers(self, n: int) -> str:
        items = "".join(
            f'<li class="teaser"><a href="/story/{self.rng.randint(1000, 9999)}">'
            f"{escape(self._headline())}</a>"
            f'<time datetime="2024-03-0{self.rng.randint(1, 9)}">'
            f"{self.rng.randint(1, 28)} March 2024</time></li>"
            for _ in range(n)
        )
        return f'<section class="related-stories"><h2>More stories</h2><ul>{items}</ul></section>'

    def _comments(self, n: int) -> str:
        items = "".join(
            f'<div class="comment"><span class="author">{self.synth._person()}</span>'
            f'<time datetime="2024-03-05T1{i % 10}:0{i % 6}:00Z">1{i % 10}:0{i % 6}</time>'
            f"<p>{escape(self.synth._sentence('politics'))}</p></div>"
            for i in range(n)
        )
        return f'<section id="comments" class="comments"><h2>Comments ({n})</h2>{items}</section>'

    def _footer(self) -> str:
        links = "".join(f'<a href="/{s.lower()}">{s}</a> ' for s in _SECTIONS)
        return f"<footer><p>{links}</p><p>© 2024 The Example Gazette. All rights reserved.</p></footer>"

    def _share(self) -> str:
        return '<div class="share-tools"><a>Share on Facebook</a><a>Share on X</a><a>Email</a></div>'

    def _head(self, title: str, jsonld: dict[str, object] | None, kb: int) -> str:
        ld = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
        return (
            f"<head><meta charset='utf-8'><title>{escape(title)} | The Example Gazette</title>"
            f"<meta property='og:title' content='{escape(title, quote=True)}'>{ld}{self._script(kb)}</head>"
        )

    def _page(self, head: str, main: str, extra_kb: int) -> str:
        aside = self._teasers(12)
        return (
            f"<!DOCTYPE html><html lang='en'>{head}<body>{self._nav()}<main>{main}</main>"
            f"<aside class='rail'>{aside}</aside>{self._footer()}{self._script(extra_kb)}</body></html>"
        )

    # ---------------------------------------------------------------- pages

    def article(self, kb: int = 150) -> GeneratedPage:
        """An ordinary article of about `kb` kilobytes, with comments and teasers around it."""
        title = self._headline()
        paragraphs = self._paragraphs(self.rng.randint(6, 14))
        byline = f"By {self.synth._person()}"
        story = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:3])
        caption = f"Photograph: {self.synth._person()}/Agency"
        story += f"<figure><img src='/a.jpg'><figcaption>{caption}</figcaption></figure>"
        story += "".join(f"<p>{escape(p)}</p>" for p in paragraphs[3:])
        main = (
            f"<article><h1>{escape(title)}</h1><p class='byline'>{byline}</p>"
            f"<time datetime='2024-03-05T09:30:00Z'>5 March 2024</time>{self._share()}"
            f"<div class='article-body'>{story}</div>{self._share()}</article>"
            f"{self._teasers(8)}{self._comments(self.rng.randint(4, 12))}"
        )
        ld: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
              "datePublished": "2024-03-05T09:30:00Z"}  # fmt: skip
        html = self._sized(title, ld, main, kb)
        return GeneratedPage(html, "article", title, 1, paragraphs)

    def liveblog(self, shape: str = "blocks", posts: int = 10, kb: int = 150) -> GeneratedPage:
        """A live blog of `posts` posts in one of `LIVE_SHAPES`."""
        title = "Live: " + self._headline()
        items = [
            (
                f"{9 + i // 4:02d}:{(i * 13) % 60:02d}",
                self._headline(),
                self._paragraphs(self.rng.randint(1, 3)),
            )
            for i in range(posts)
        ][::-1]  # newest first
        main = f"<h1>{escape(title)}</h1>" + getattr(self, "_" + shape.replace("-", "_"))(items)
        main += self._comments(6)
        ld: dict[str, object] | None = {
            "@context": "https://schema.org",
            "@type": "LiveBlogPosting",
            "headline": title,
        }
        if shape == "jsonld" and ld is not None:
            ld["liveBlogUpdate"] = [
                {
                    "@type": "BlogPosting",
                    "headline": h,
                    "datePublished": f"2024-03-05T{t}:00Z",
                    "articleBody": "\n".join(body),
                }
                for t, h, body in items
            ]
        if shape in ("story-posts", "span-stamps"):
            ld = None
        html = self._sized(title, ld, main, kb)
        return GeneratedPage(html, "liveblog", title, posts, [body[0] for _, _, body in items])

    def _cards(self, kb: int) -> str:
        """About `kb` KB of markup-heavy page furniture: a grid of teaser cards (divs, links, images)."""
        cards = []
        size = 0
        while size < kb * 1024:
            n = self.rng.randint(1000, 99999)
            card = (
                f'<div class="card card--{n % 7}" data-id="{n}" data-track="grid"><a class="card__link" '
                f'href="/story/{n}"><div class="card__media"><picture><source srcset="/img/{n}.webp" '
                f'type="image/webp"><img src="/img/{n}.jpg" alt="" loading="lazy" width="320" height="180">'
                f'</picture></div><div class="card__body"><span class="card__kicker">'
                f"{self.rng.choice(_SECTIONS)}</span><h3 class='card__title'>{escape(self._headline())}</h3>"
                f"<span class='card__meta'><span class='icon icon--clock'></span>"
                f"{self.rng.randint(2, 59)} min read</span></div></a></div>"
            )
            cards.append(card)
            size += len(card)
        return f"<section class='promo-grid'>{''.join(cards)}</section>"

    def _sized(self, title: str, ld: dict[str, object] | None, main: str, kb: int) -> str:
        """The page at about `kb` KB: seven tenths of the padding scripts and styles, the rest markup."""
        bare = self._page(self._head(title, ld, 1), main, 1)
        pad = max(2, kb - len(bare) // 1024)
        scripts, markup = pad * 7 // 10, pad - pad * 7 // 10
        return self._page(
            self._head(title, ld, scripts // 2 + 1), main + self._cards(markup), scripts // 2 + 1
        )

    # ---------------------------------------------------------------- live-blog shapes

    def _jsonld(self, items: list[tuple[str, str, list[str]]]) -> str:
        return self._blocks(items)

    def _blocks(self, items: list[tuple[str, str, list[str]]]) -> str:
        return "".join(
            f'<div class="block" id="block-{i}"><p class="block-time"><time datetime="2024-03-05T{t}:00Z">'
            f'{t} GMT</time></p><h2 class="block-title">{escape(h)}</h2><div class="block-elements">'
            + "".join(f"<p>{escape(p)}</p>" for p in body)
            + f"</div>{self._share()}</div>"
            for i, (t, h, body) in enumerate(items)
        )

    def _stream(self, items: list[tuple[str, str, list[str]]]) -> str:
        posts = "".join(
            f'<li><article><header><time datetime="2024-03-05T{t}:00Z">{t}</time>'
            f"<h3>{escape(h)}</h3></header>"
            + "".join(f"<p>{escape(p)}</p>" for p in body)
            + "</article></li>"
            for t, h, body in items
        )
        return f"<ol class='stream'>{posts}</ol>"

    def _story_posts(self, items: list[tuple[str, str, list[str]]]) -> str:
        return "".join(
            f'<article class="live-story-post"><header><h2>{escape(h)}</h2>'
            f'<time datetime="2024-03-05T{t}:00Z">{t} a.m. ET, March 5, 2024</time></header>'
            + "".join(f"<p>{escape(p)}</p>" for p in body)
            + "</article>"
            for t, h, body in items
        )

    def _span_stamps(self, items: list[tuple[str, str, list[str]]]) -> str:
        return "".join(
            f'<div class="post"><span class="post-timestamp">{t}</span>'
            f'<h3>{escape(h)}</h3><div class="post-body">'
            + "".join(f"<p>{escape(p)}</p>" for p in body)
            + "</div></div>"
            for t, h, body in items
        )

    def mix(self, n: int, live_share: float = 0.3) -> list[GeneratedPage]:
        """`n` pages of 50-300 KB, about `live_share` of them live blogs of every shape."""
        out = []
        for i in range(n):
            kb = self.rng.randint(50, 300)
            if self.rng.random() < live_share:
                out.append(self.liveblog(LIVE_SHAPES[i % len(LIVE_SHAPES)], self.rng.randint(6, 25), kb))
            else:
                out.append(self.article(kb))
        return out
