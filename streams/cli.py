"""The `newsstream` command line: worker, process, produce, tail, broker, demo.

Example:
    $ newsstream process article.txt          # one EnrichedEntry JSON per line
    $ newsstream broker                       # a local Apache Kafka on 127.0.0.1:9092
    $ newsstream worker                       # the Faust worker (agents, /metrics)
    $ newsstream produce samples/*.txt        # publish RawArticles
    $ newsstream tail news.entries.enriched   # print what the pipeline publishes
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from streams.errors import NewsstreamError
from streams.settings import Settings, get_settings


def _cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    from schemas.messages import RawArticle
    from streams.codec import encode
    from streams.inputs import read_inputs
    from streams.pipeline import OfflineRun, Pipeline, story_rule
    from streams.stories import StoryIndex

    pipeline = Pipeline.from_settings(settings)
    failed = 0
    raws: list[RawArticle] = []
    for path in args.paths:
        try:
            raws.extend(read_inputs([path], source=args.source, url=args.url, content_type=args.content_type))
        except NewsstreamError as exc:
            failed += 1
            print(f"newsstream process: {path}: {exc.reason}: {exc.detail}", file=sys.stderr)
    out = sys.stdout.buffer
    results = (
        (item for raw in raws for item in pipeline.whole(raw))
        if args.no_split
        else OfflineRun(pipeline, StoryIndex(rule=story_rule(settings)) if settings.stories else None).run(
            raws
        )
    )
    for item in results:
        if isinstance(item, NewsstreamError):
            failed += 1
            print(f"newsstream process: {item.reason}: {item.detail}", file=sys.stderr)
        else:
            out.write(encode(item) + b"\n")
    out.flush()
    return 1 if failed else 0


def _cmd_produce(args: argparse.Namespace, settings: Settings) -> int:
    from streams.clients.publish import produce_articles
    from streams.inputs import read_inputs

    raws = read_inputs(args.paths, source=args.source, url=args.url, content_type=args.content_type)
    count = asyncio.run(produce_articles(settings, raws, topic=args.topic))
    print(f"published {count} article(s) to {args.topic or settings.topic_raw} at {settings.broker_url}")
    return 0


def _cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from streams.ingest.command import run_ingest

    return run_ingest(
        settings,
        args.feeds,
        interval=args.interval,
        state=args.state,
        robots=not args.ignore_robots,
        timeout=args.timeout,
    )


def _cmd_tail(args: argparse.Namespace, settings: Settings) -> int:
    from streams.dev.tail import tail

    return asyncio.run(
        tail(
            settings,
            args.topic,
            from_beginning=args.from_beginning,
            limit=args.max,
            idle_timeout=args.timeout,
        )
    )


def _cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.dev.broker import DevBroker, DevCluster, run_cluster, run_foreground

    if args.nodes > 1:
        base = (
            Path(args.data_dir) if args.data_dir else settings.cache_dir / "broker" / f"cluster-{args.nodes}"
        )
        ports = [args.port + i for i in range(args.nodes)] if args.port else None
        return run_cluster(DevCluster(args.nodes, base, ports=ports, cache_dir=settings.cache_dir))

    port = args.port or int(settings.bootstrap_servers.split(",")[0].rsplit(":", 1)[1])
    broker = DevBroker(
        engine=args.engine or settings.broker_engine,
        port=port,
        data_dir=Path(args.data_dir) if args.data_dir else None,
        cache_dir=settings.cache_dir,
    )
    return run_foreground(broker)


def _cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.runtime.worker import run_worker

    return run_worker(settings)


def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from streams.dev.demo import run_demo

    return run_demo(settings, exit_after=args.exit_after, timeout=args.timeout)


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="txt, html, json (one RawArticle) or jsonl files; - for stdin",
    )
    p.add_argument(
        "--content-type",
        choices=["text/plain", "text/html"],
        help="override the type taken from the file name",
    )
    p.add_argument("--source", help="the RawArticle source (default: local)")
    p.add_argument("--url", help="the RawArticle url (also fixes the article id)")


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    ap = argparse.ArgumentParser(
        prog="newsstream", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("worker", help="run a Faust worker (agents, tables, /metrics /health /ready)")
    p.set_defaults(func=_cmd_worker)

    p = sub.add_parser(
        "process",
        help="offline: print one EnrichedEntry JSON per line",
        description="Files given together are read as the stream would see them in order: "
        "boilerplate lines they share are learnt, and a file repeating an earlier "
        "article id prints only its new or changed entries.",
    )
    _add_input_options(p)
    p.add_argument(
        "--no-split",
        action="store_true",
        help="the whole input is one entry (no boilerplate removal), to evaluate tagging",
    )
    p.set_defaults(func=_cmd_process)

    p = sub.add_parser("produce", help="publish files as RawArticles")
    _add_input_options(p)
    p.add_argument("--topic", help="topic to publish to (default NEWSSTREAM_TOPIC_RAW)")
    p.set_defaults(func=_cmd_produce)

    p = sub.add_parser("ingest", help="read RSS/Atom feeds and publish their articles")
    p.add_argument("feeds", nargs="+", metavar="FEED", help="feed URL or file")
    p.add_argument(
        "--interval",
        type=float,
        default=None,
        metavar="S",
        help="poll every S seconds until Ctrl-C (default: one pass)",
    )
    p.add_argument(
        "--state",
        type=Path,
        default=None,
        help="file of what was published (default $NEWSSTREAM_CACHE_DIR/ingest-state.json)",
    )
    p.add_argument("--timeout", type=float, default=10.0, help="HTTP timeout in seconds (default 10)")
    p.add_argument("--ignore-robots", action="store_true", help="do not read robots.txt")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("tail", help="print messages of a topic, one per line")
    p.add_argument("topic")
    p.add_argument("--from-beginning", action="store_true", help="start at the oldest message")
    p.add_argument("--max", type=int, default=None, help="stop after this many messages")
    p.add_argument(
        "--timeout", type=float, default=None, help="stop after this many seconds without a message"
    )
    p.set_defaults(func=_cmd_tail)

    p = sub.add_parser("broker", help="run a local broker in the foreground")
    p.add_argument(
        "--engine", choices=["auto", "kafka", "tansu"], help="default NEWSSTREAM_BROKER_ENGINE (auto)"
    )
    p.add_argument("--port", type=int, help="default: the port of NEWSSTREAM_BROKER_URL (9092)")
    p.add_argument("--data-dir", help="default: $NEWSSTREAM_CACHE_DIR/broker/<engine>-<port>")
    p.add_argument(
        "--nodes",
        type=int,
        default=1,
        help="Apache Kafka nodes in one KRaft cluster (ports PORT, PORT+1, …; default 1)",
    )
    p.set_defaults(func=_cmd_broker)

    p = sub.add_parser("demo", help="broker, worker, sample articles and live output in one go")
    p.add_argument(
        "--exit-after",
        type=int,
        default=None,
        metavar="N",
        help="exit 0 after N enriched entries (fail after --timeout)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=180.0,
        help="seconds to wait for --exit-after N entries (default 180)",
    )
    p.set_defaults(func=_cmd_demo)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsstream` console script."""
    args = parser().parse_args(argv)
    try:
        return int(args.func(args, get_settings()))
    except NewsstreamError as exc:
        print(f"newsstream {args.command}: {exc.reason}: {exc.detail}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
