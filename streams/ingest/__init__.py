"""Feed ingestion: RSS 2.0 and Atom feeds in, RawArticles out (`newsstream ingest`)."""

from streams.ingest.feeds import Feed, FeedItem, parse_feed
from streams.ingest.fetch import Fetcher
from streams.ingest.run import Ingestor, IngestReport
from streams.ingest.state import SeenState

__all__ = ["Feed", "FeedItem", "Fetcher", "IngestReport", "Ingestor", "SeenState", "parse_feed"]
