"""The whole pure pipeline, split then enrich, as the offline command and tests run it.

The agents call the same stages (`split_article`, live-update `diff`, `enrich_entries`),
so what `newsstream process` prints is what the stream publishes.

Example:
    >>> from schemas import RawArticle
    >>> p = Pipeline.from_settings(Settings())
    >>> out = p.process(RawArticle(source="demo", content="Flood hits town\\nRain flooded Leeds on Monday."))
    >>> [(e.kind, e.headline) for e in out]
    [('article', 'Flood hits town')]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from schemas.messages import EnrichedEntry, Entry, RawArticle
from streams.enrich import Tagger, enrich_entries, load_tagger
from streams.enrich.entities import ArticleContext
from streams.errors import NewsstreamError, ProcessingError
from streams.settings import Settings
from streams.split import SplitLimits, ensure_article_id, read_page, split_article
from streams.split.ids import content_hash, entry_id_for
from streams.split.learnt import LineStore, MemoryLineStore, candidate_lines
from streams.split.updates import ArticleState, diff


@dataclass(frozen=True)
class Pipeline:
    """Split and enrich with one configuration."""

    limits: SplitLimits
    tagger: Tagger
    max_tags: int
    learn_threshold: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        """The pipeline the settings describe (tagger loaded once here)."""
        return cls(
            limits=SplitLimits(settings.max_content_chars, settings.max_entries_per_article),
            tagger=load_tagger(settings.tagger),
            max_tags=settings.max_tags_per_entry,
            learn_threshold=settings.boilerplate_threshold,
        )

    def split(self, raw: RawArticle, lines: LineStore | None = None) -> list[Entry]:
        """The split stage (with learnt boilerplate when a line store is given)."""
        return split_article(raw, self.limits, lines)

    def enrich(self, entries: Sequence[Entry], context: ArticleContext | None = None) -> list[EnrichedEntry]:
        """The enrich stage, for entries of one article (with what earlier ones said, if given)."""
        return enrich_entries(entries, self.tagger, max_tags=self.max_tags, context=context)

    def process(self, raw: RawArticle) -> list[EnrichedEntry]:
        """Both stages for one article, nothing learnt."""
        entries = self.split(raw)
        return self.enrich(entries) if entries else []

    def whole(self, raw: RawArticle) -> list[EnrichedEntry]:
        """The input as one `article` entry, no splitting or boilerplate removal (`--no-split`)."""
        raw = ensure_article_id(raw)
        article_id = raw.article_id or ""
        page = read_page(raw)
        lines = [line.strip() for line in page.lines if line.strip()]
        if page.posts:
            lines = [line for post in page.posts for line in [post.headline or "", *post.body] if line]
        body = "\n".join(lines)
        entry = Entry(
            entry_id=entry_id_for(article_id, "whole", 0),
            article_id=article_id,
            source=raw.source,
            url=raw.url,
            article_title=raw.title or page.title,
            position=0,
            kind="article",
            headline=raw.title or page.title,
            body=body,
            published_at=raw.published_at,
            content_hash=content_hash(raw.title, body),
        )
        return self.enrich([entry])


@dataclass
class OfflineRun:
    """Several articles through the pipeline as the stream would see them in order.

    Lines are learnt from all articles first (so boilerplate shared by the files is
    dropped from each), and an article sent again publishes only new or changed entries.
    """

    pipeline: Pipeline

    def __post_init__(self) -> None:
        self.lines = MemoryLineStore(self.pipeline.learn_threshold)
        self.states: dict[str, ArticleState] = {}

    def run(self, raws: Sequence[RawArticle]) -> Iterator[EnrichedEntry | NewsstreamError]:
        """Enriched entries, or the error of an article that failed (the others go on)."""
        raws = [ensure_article_id(raw) for raw in raws]
        for raw in raws:
            try:
                self.lines.observe(raw.source, raw.article_id or "", candidate_lines(read_page(raw).lines))
            except NewsstreamError:
                pass  # reported when the article itself is split below
        for raw in raws:
            try:
                entries = self.pipeline.split(raw, self.lines)
                if not entries:
                    raise ProcessingError(
                        "no_entries", f"{raw.article_id}: nothing left after boilerplate removal"
                    )
            except NewsstreamError as exc:
                yield exc
                continue
            publish, self.states[raw.article_id or ""] = diff(entries, self.states.get(raw.article_id or ""))
            if publish:
                yield from self.pipeline.enrich(publish)
