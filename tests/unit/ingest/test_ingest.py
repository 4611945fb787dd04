"""Feed ingestion against a local HTTP server: full content, fetched pages, failures, state."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

import pytest

from schemas import RawArticle
from streams.ingest import Fetcher, Ingestor, SeenState
from streams.ingest.fetch import USER_AGENT
from tests.httpfixture import Site

pytestmark = pytest.mark.asyncio


class Sink:
    def __init__(self) -> None:
        self.raws: list[RawArticle] = []

    async def publish(self, raws: Sequence[RawArticle]) -> int:
        self.raws.extend(raws)
        return len(raws)


def _ingestor(sink: Sink, state: SeenState, **fetch: float) -> Ingestor:
    options = {"timeout": 1.0, "retries": 1, "backoff": 0.05, "per_host_interval": 0.0, **fetch}
    return Ingestor(Fetcher(**options), sink.publish, state)  # type: ignore[arg-type]


async def test_rss_items_full_content_fetched_pages_and_404(site: Site, tmp_path: Path) -> None:
    sink = Sink()
    report = await _ingestor(sink, SeenState(tmp_path / "state.json")).run_once([site.feed("rss.xml")])
    assert report.published == 2
    assert report.errors == [(f"{site.base}/articles/gone", "http_404")]
    by_url = {raw.url: raw for raw in sink.raws}
    ferry = by_url[f"{site.base}/articles/ferry-strike"]
    assert ferry.source == "Harbour Gazette" and ferry.content_type == "text/html"
    assert "Portsmouth" in ferry.content and ferry.published_at is not None
    assert ferry.article_id and ferry.article_id.startswith("a-")
    fetched = [path for _, path, _ in site.requests if path.startswith("/articles/")]
    assert "/articles/ferry-strike" not in fetched  # the feed carried the whole article
    assert "/articles/flood-live" in fetched
    assert all(agent == USER_AGENT for _, _, agent in site.requests)


async def test_items_already_published_are_skipped_until_the_page_grows(
    site: Site,
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "state.json"
    await _ingestor(Sink(), SeenState(state_file)).run_once([site.feed("rss.xml")])
    again = Sink()
    report = await _ingestor(again, SeenState(state_file)).run_once([site.feed("rss.xml")])
    assert (report.published, report.unchanged) == (0, 2) and again.raws == []
    status, page = site.routes["/articles/flood-live"]
    site.routes["/articles/flood-live"] = (
        status,
        page.replace(b"</article>", b"<p>New post.</p></article>", 1),
    )
    grown = Sink()
    report = await _ingestor(grown, SeenState(state_file)).run_once([site.feed("rss.xml")])
    assert report.published == 1 and grown.raws[0].url == f"{site.base}/articles/flood-live"


async def test_atom_timeout_robots_and_malformed_feeds_are_reported_and_skipped(
    site: Site,
    tmp_path: Path,
) -> None:
    sink = Sink()
    feeds = [site.feed("malformed.xml"), site.feed("missing.xml"), site.feed("atom.xml")]
    report = await _ingestor(sink, SeenState(None)).run_once(feeds)
    errors = dict(report.errors)
    assert errors[site.feed("malformed.xml")] == "malformed_feed"
    assert errors[site.feed("missing.xml")] == "http_404"
    assert errors[f"{site.base}/slow/page"] == "timeout"
    assert errors[f"{site.base}/private/page"] == "robots_disallowed"
    assert [raw.title for raw in sink.raws] == ["Council approves bridge"]
    assert not any(path == "/private/page" for _, path, _ in site.requests)


async def test_requests_to_one_host_are_spaced(site: Site) -> None:
    sink = Sink()
    await _ingestor(sink, SeenState(None), per_host_interval=0.3).run_once([site.feed("rss.xml")])
    times = [t for t, _, _ in site.requests]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) >= 3 and min(gaps) >= 0.29  # a lower bound: the code sleeps at least this long


async def test_local_feed_file(site: Site, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(
        (Path(__file__).parents[2] / "data" / "feeds" / "rss.xml")
        .read_bytes()
        .replace(b"HOST", site.base.removeprefix("http://").encode())
    )
    sink = Sink()
    report = await _ingestor(sink, SeenState(None)).run_once([str(feed)])
    assert report.published == 2


async def test_a_poll_of_an_unchanged_feed_costs_one_small_response_per_page(
    site: Site, tmp_path: Path
) -> None:
    state_file = tmp_path / "state.json"
    first = await _ingestor(Sink(), SeenState(state_file)).run_once([site.feed("rss.xml")])
    assert first.published == 2 and first.downloaded >= 2
    site.statuses.clear()
    again = await _ingestor(Sink(), SeenState(state_file)).run_once([site.feed("rss.xml")])
    assert (again.published, again.unchanged, again.downloaded) == (0, 2, 1)  # the feed only
    pages = [(path, status) for path, status in site.statuses if path.startswith("/articles/")]
    # The page the feed does not carry answers 304 (the missing one 404 again).
    assert sorted(pages) == [("/articles/flood-live", 304), ("/articles/gone", 404)]


async def test_items_whose_feed_date_did_not_move_are_not_requested(site: Site, tmp_path: Path) -> None:
    site.validators = False  # a server without validators: the feed's own dates still spare requests
    state_file = tmp_path / "state.json"
    await _ingestor(Sink(), SeenState(state_file)).run_once([site.feed("atom.xml")])
    site.requests.clear()
    report = await _ingestor(Sink(), SeenState(state_file)).run_once([site.feed("atom.xml")])
    asked = [path for _, path, _ in site.requests]
    assert "/articles/bridge" not in asked and report.unchanged >= 1


async def test_state_files_of_earlier_versions_still_load(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"https://n.test/a": "0123"}')
    state = SeenState(path)
    assert state.seen["https://n.test/a"] == {"digest": "0123"} and state.validators("https://n.test/a") == (
        None,
        None,
    )
