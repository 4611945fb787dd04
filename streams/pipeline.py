"""The whole pure pipeline, split then enrich, as the offline command and tests run it.

The agents call the same two methods (`update`: split, then the live-update diff;
`enrich`), so what `newsstream process` prints is what the stream publishes.

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
from datetime import UTC, datetime

from schemas.messages import EnrichedEntry, Entry, RawArticle
from streams.enrich import ArticleContext, Tagger, enrich_entries, load_tagger
from streams.errors import NewsstreamError, ProcessingError
from streams.settings import Settings
from streams.split import (
    SOURCE_KEY,
    ArticleState,
    LineStore,
    MemoryLineStore,
    Page,
    SplitLimits,
    candidate_lines,
    content_hash,
    diff,
    ensure_article_id,
    entry_id_for,
    is_replay,
    read_page,
    split_article,
)
from streams.stories import Rule, StoryIndex, marked


@dataclass(frozen=True)
class Update:
    """One article split and compared with what was published of it before."""

    entries: list[Entry]  # every entry of the article, as split now
    publish: list[Entry]  # the new ones and the changed ones (revision + 1)
    state: ArticleState  # what to remember of the article for its next version


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
            tagger=load_tagger(settings.tagger, settings.ner_model),
            max_tags=settings.max_tags_per_entry,
            learn_threshold=settings.boilerplate_threshold,
        )

    def split(self, raw: RawArticle, lines: LineStore | None = None, page: Page | None = None) -> list[Entry]:
        """The split stage (with learnt boilerplate when a line store is given)."""
        return split_article(raw, self.limits, lines, page)

    def enrich(self, entries: Sequence[Entry], context: ArticleContext | None = None) -> list[EnrichedEntry]:
        """The enrich stage, for entries of one article (with what earlier ones said, if given)."""
        return enrich_entries(entries, self.tagger, max_tags=self.max_tags, context=context)

    def update(
        self,
        raw: RawArticle,
        previous: ArticleState | None,
        lines: LineStore | None = None,
        source: list[str | int] | None = None,
        page: Page | None = None,
    ) -> Update:
        """Split `raw` and keep what is new since `previous` (the one split-then-diff sequence).

        `source` names the input record (topic, partition, offset) in the stream: a record
        that wrote `previous` itself is a replay after a crash, and publishes every entry
        again. Raises `ProcessingError("no_entries")` when nothing is left to publish ever.
        """
        entries = self.split(raw, lines, page)
        if not entries:
            raise ProcessingError("no_entries", f"{raw.article_id}: nothing left after boilerplate removal")
        replay = source is not None and is_replay(previous, source)
        publish, state = diff(entries, previous, republish=replay)
        if source is not None:
            state[SOURCE_KEY] = source
        return Update(entries, publish, state)

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


def story_rule(settings: Settings) -> Rule:
    """The story rule the settings describe (NEWSSTREAM_STORY_*)."""
    return Rule(
        duplicate=settings.story_duplicate,
        same_story=settings.story_same_story,
        shared_name_words=settings.story_shared_name_words,
        window=settings.story_window_hours * 3600,
    )


@dataclass
class OfflineRun:
    """Several articles through the pipeline as the stream would see them in order.

    Lines are learnt from all articles first (so boilerplate shared by the files is
    dropped from each), and an article sent again publishes only new or changed entries.
    With a story index, entries are marked in that order, each at the time it is marked.
    """

    pipeline: Pipeline
    stories: StoryIndex | None = None

    def __post_init__(self) -> None:
        self.lines = MemoryLineStore(self.pipeline.learn_threshold)
        self.states: dict[str, ArticleState] = {}

    def run(self, raws: Sequence[RawArticle]) -> Iterator[EnrichedEntry | NewsstreamError]:
        """Enriched entries, or the error of an article that failed (the others go on)."""
        raws = [ensure_article_id(raw) for raw in raws]
        pages: list[Page | None] = []
        for raw in raws:  # each page is read once, for learning and for splitting
            try:
                page = read_page(raw) if len(raw.content) <= self.pipeline.limits.max_content_chars else None
            except NewsstreamError:
                page = None  # reported when the article itself is split below
            if page is not None:
                self.lines.observe(raw.source, raw.article_id or "", candidate_lines(page.lines))
            pages.append(page)
        for raw, page in zip(raws, pages, strict=True):
            article_id = raw.article_id or ""
            try:
                update = self.pipeline.update(raw, self.states.get(article_id), self.lines, page=page)
            except NewsstreamError as exc:
                yield exc
                continue
            self.states[article_id] = update.state
            if update.publish:
                for entry in self.pipeline.enrich(update.publish):
                    yield entry if self.stories is None else marked(self.stories, entry, datetime.now(UTC))
