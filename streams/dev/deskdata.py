"""Build the desk model from the Current events portal and an aggregator's headlines (a developer tool).

Source (not in the repository; public): the items of Wikipedia's "Portal:Current events",
one short news summary each, filed by Wikipedia's editors under a heading such as
"Armed conflicts and attacks" or "Science and technology". The text is Wikipedia's
(CC BY-SA 4.0); `github:ianrastall/current-events-context` holds it as one YAML file a day
(2002 onwards; its packaging is CC0). Give its git directory (and the headlines', below):

    >>> python -m streams.dev.deskdata --git-dir CLONE/.git \\
    ...     --headlines-git-dir AGGREGATOR/.git  # doctest: +SKIP

The headings become nine labels (`LABEL_OF_HEADING`); headings named after one story
("Syrian civil war") and uncategorised days are left out, as are story-link lines (under
eight words, or without a closing full stop). Each item loses its trailing source names
("(Reuters) (BBC News)"). Each label is a desk. Science and technology also reads as
the business desk (`ALSO_FILED_UNDER`): the portal files the technology industry's news
(Microsoft's fines, Instagram's features) under business, where a technology desk, and
newsstream's filing of the IPTC vocabulary, put it under technology. So a text like the
business desk's items does not count against technology, while one like the science
desk's items (research, space, the climate) counts against business. The business items
that the IPTC concepts file under technology are counted under science (`refiled`), so
that the science desk learns the technology industry's companies and products.

Writes `streams/enrich/data/desk_words.npz`: per desk, the smoothed log-probability of
each word (multinomial Naive Bayes, words as `streams.enrich.desks` reads them), the
IPTC top-level topics of each label and the desks each label also reads as, and `beta` and `power`,
how the desk evidence is weighed beside the concept similarities
(`streams.enrich.desks.combine`). The smoothing,
`beta` and `power` are those under which held-out items get the best log-likelihood of
their own label's topics, on the portal's own labels: nothing is fitted to the
evaluation sets. Held out are whole eras, not scattered years (`FOLDS`): the desks are
learnt on the items up to 2014 and scored on those from 2016 on, and the other way
round. The text newsstream tags comes from other years and other writers than the
portal's, so the names and wording of one era must not vouch for the desks; scored on
neighbouring years, the desks were trusted almost twice as much (beta 13.5 against 7.5).
The final counts are over all years.

A second source teaches the business and technology desks how technology desks file:
the UCI News Aggregator headlines (Gasparetti 2016, CC BY 4.0; 422,000 headlines of
March to August 2014, each story filed by the aggregator under business, science and
technology, entertainment or health; `github:rntatsuya/UCI_News_Aggregator_Data_Set_Retriever`
holds them in `rawData/`). Its business headlines are counted under economy and its
technology ones under science (`HEADLINE_LABELS`), at most `PER_STORY` distinct
headlines of one story, so that a story told by dozens of outlets counts as one of
many; the business headlines that the IPTC concepts file under technology are
counted under science, as the portal's are (`refiled`). They are learnt with their
year (2014), never scored: the fit judges the desks on the portal's own labels alone.
Give its git directory with `--headlines-git-dir`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml

from streams.enrich import DATA_DIR as DATA
from streams.enrich import DeskModel, TopicModel, desk_words

#: Portal headings, lower-cased, by their first words -> label. The portal's wording of
#: headings changed over the years ("Sport", "Sports"; "Disasters", "Disasters and accidents").
LABEL_OF_HEADING = [
    ("sport", "sport"),
    ("science", "science"),
    ("technology", "science"),
    ("business", "economy"),
    ("economy", "economy"),
    ("economics", "economy"),
    ("armed", "conflict"),
    ("disaster", "disaster"),
    ("accident", "disaster"),
    ("law", "crime"),
    ("crime", "crime"),
    ("international relations", "politics"),
    ("politic", "politics"),
    ("election", "politics"),
    ("health", "health"),
    ("environment", "health"),
    ("art", "arts"),
    ("culture", "arts"),
    ("religion", "arts"),
]
#: Label -> the IPTC top-level topics it stands for; every topic is under exactly one label.
#: The portal files human interest, lifestyle and religion with arts and culture, labour
#: with the economy, weather with disasters, and education and social policy with politics.
TOPICS_OF_LABEL = {
    "arts": ["01000000", "08000000", "10000000", "12000000"],
    "crime": ["02000000"],
    "disaster": ["03000000", "17000000"],
    "economy": ["04000000", "09000000"],
    "health": ["06000000", "07000000"],
    "politics": ["05000000", "11000000", "14000000"],
    "science": ["13000000"],
    "sport": ["15000000"],
    "conflict": ["16000000"],
}
#: Label -> the other labels' desks it also reads as, where the portal files some of its stories.
ALSO_FILED_UNDER = {"science": ["economy"]}
#: The aggregator's categories counted, -> label. Its entertainment and health headlines
#: made the portal's held-out labels less likely (log-loss 0.7342 against 0.7235, both
#: before the headlines were `refiled`): they are left out.
HEADLINE_LABELS = {"b": "economy", "t": "science"}
#: At most this many distinct headlines of one aggregator story: held-out log-loss of the
#: portal's labels 0.7245 with one, 0.7235 with three, 0.7241 with five, 0.7271 with ten,
#: 0.7407 with all of them (before refiling; 0.7234 with three, refiled), 0.7244 without
#: the headlines.
PER_STORY = 3
#: Wire prefixes of a headline ("UPDATE 2-", "REFILE-") and the aggregator's cut mark.
_WIRE = re.compile(r"^((UPDATE|WRAPUP) \d+|REFILE|CORRECTED|RPT)[- :]+")
_HEADLINE_MIN_WORDS = 4
_SOURCES = re.compile(r"(\s*\([^()]{2,80}\))+\s*$")
_MIN_WORDS = 8
#: A word must occur in this many items to be kept.
MIN_ITEMS = 2
#: A portal item: (day file, label, text).
Item = tuple[str, str, str]
#: The fit's two folds, (years learnt from, years scored): one era against the other, with
#: the year between them in neither, so that no story the portal follows is on both sides.
FOLDS = (((0, 2014), (2016, 9999)), ((2016, 9999), (0, 2014)))


def label_of(heading: str) -> str | None:
    """The label of a portal heading, or None for a story's own heading."""
    text = heading.lower().strip()
    if not re.fullmatch(r"[a-z ,]+", text):
        return None
    for start, label in LABEL_OF_HEADING:
        if text.startswith(start) or (" " in start and start in text):
            return label
    return None


def _git(git_dir: Path, *args: str) -> str:
    git = ["git", f"--git-dir={git_dir}", *args]
    return subprocess.run(git, capture_output=True, check=True, text=True).stdout  # noqa: S603 - git from PATH


def _files(git_dir: Path, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) of every file at HEAD whose path matches the regular expression `path`."""
    names = _git(git_dir, "ls-tree", "-r", "--name-only", "HEAD").split()
    for name in sorted(n for n in names if re.fullmatch(path, n)):
        yield name, _git(git_dir, "show", f"HEAD:{name}")


def read_items(git_dir: Path) -> list[tuple[str, str, str]]:
    """(file, label, text) of every usable portal item."""
    out = []
    for name, text in _files(git_dir, r"\d{4}/\d{2}/\d{4}-\d{2}-\d{2}\.yaml"):
        try:
            day = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        payload = day.get("Intelligence_Payload") if isinstance(day, dict) else None
        for heading, items in (payload or {}).items():
            label = label_of(str(heading))
            if label is None or not isinstance(items, list):
                continue
            for item in items:
                if isinstance(item, str):
                    clean = _SOURCES.sub("", item).strip()
                    if len(clean.split()) >= _MIN_WORDS and clean.endswith((".", '"', "\u201d")):
                        out.append((name, label, clean))
    return out


def headline_items(rows: Iterable[str]) -> list[Item]:
    """(year, label, headline) of the aggregator's rows of a counted category (`HEADLINE_LABELS`).

    A row is tab-separated: id, title, URL, publisher, category, story, host, timestamp
    (milliseconds). Headlines are kept once, at most `PER_STORY` of a story.

    >>> rows = ["1\\tUPDATE 2-Chip maker Kelby posts record sales\\tu\\tp\\tt\\ts1\\th\\t1394470370698",
    ...         "2\\tChip maker Kelby posts record sales\\tu\\tp\\tt\\ts1\\th\\t1394470371000",
    ...         "3\\tStar weds in secret ceremony on island\\tu\\tp\\te\\ts2\\th\\t1394470371000"]
    >>> headline_items(rows)
    [('2014/aggregator', 'science', 'Chip maker Kelby posts record sales')]
    """
    seen: set[str] = set()
    per_story: Counter[str] = Counter()
    out = []
    for row in rows:
        fields = row.rstrip("\n").split("\t")
        if len(fields) < 8 or fields[4] not in HEADLINE_LABELS or not fields[7].isdigit():
            continue
        title = _WIRE.sub("", fields[1]).replace("...", " ").strip()
        key = title.lower()
        if len(title.split()) < _HEADLINE_MIN_WORDS or key in seen or per_story[fields[5]] >= PER_STORY:
            continue
        seen.add(key)
        per_story[fields[5]] += 1
        year = datetime.fromtimestamp(int(fields[7]) / 1000, tz=UTC).year
        out.append((f"{year}/aggregator", HEADLINE_LABELS[fields[4]], title))
    return out


def read_headlines(git_dir: Path) -> list[Item]:
    """`headline_items` of every file of the aggregator's clone."""
    files = _files(git_dir, r"rawData/.+\.csv")
    return headline_items(line for _, text in files for line in text.splitlines())


def refiled(items: list[Item], topics: TopicModel) -> list[Item]:
    """`items` with those the portal files elsewhere but newsstream under their label moved to it.

    For each label and the desks it also reads as (`ALSO_FILED_UNDER`), an item of such a
    desk whose concepts alone (`topics`, without desks) give the label's topics more
    probability than the desk's own label's topics is moved to the label: the portal's
    business items about a software maker's new app become science items, so that the
    science desk learns the technology industry's words (its companies and products)
    and the business desk keeps the rest of business. The concepts are newsstream's
    filing (`streams.dev.topicdata.FILED_UNDER_SCIENCE`), so the desks learn it too.
    """
    tops = topics.index.tops
    rows = {label: [tops.index(t) for t in TOPICS_OF_LABEL[label]] for label in TOPICS_OF_LABEL}
    moves = {desk: label for label, desks in ALSO_FILED_UNDER.items() for desk in desks}
    out = []
    for name, label, text in items:
        to = moves.get(label)
        if to is not None:
            probs = topics.concept_probabilities(topics.evidence(text))
            if probs[rows[to]].sum() > probs[rows[label]].sum():
                label = to
        out.append((name, label, text))
    return out


def count(items: list[tuple[str, str, str]], desks: list[str]) -> tuple[list[str], np.ndarray]:
    """The vocabulary (words in at least `MIN_ITEMS` items) and the desk x word counts."""
    per_desk = {desk: Counter[str]() for desk in desks}
    seen: Counter[str] = Counter()
    for _, label, text in items:
        words = desk_words(text)
        per_desk[label].update(words)
        seen.update(set(words))
    vocabulary = sorted(w for w, n in seen.items() if n >= MIN_ITEMS)
    index = {w: i for i, w in enumerate(vocabulary)}
    counts = np.zeros((len(desks), len(vocabulary)))
    for d, desk in enumerate(desks):
        for word, n in per_desk[desk].items():
            if word in index:
                counts[d, index[word]] += n
    return vocabulary, counts


def log_probabilities(counts: np.ndarray, alpha: float) -> np.ndarray:
    """Per desk, the log-probability of each word with add-`alpha` smoothing."""
    smoothed = counts + alpha
    logp: np.ndarray = np.log(smoothed / smoothed.sum(axis=1, keepdims=True))
    return logp


def in_years(name: str, years: tuple[int, int]) -> bool:
    """Whether the day file `name` ("2015/03/2015-03-01.yaml") is of a year in `years` (both ends in).

    >>> in_years("2015/03/2015-03-01.yaml", (2016, 9999)), in_years("2016/01/2016-01-01.yaml", (2016, 9999))
    (False, True)
    """
    return years[0] <= int(name[:4]) <= years[1]


def folds(items: list[Item], learnt_only: Sequence[Item] = ()) -> list[tuple[list[Item], list[Item]]]:
    """(items learnt from, items scored) of each of the fit's `FOLDS`; `learnt_only` are never scored.

    >>> portal = [("2010/01/2010-01-01.yaml", "sport", "a"), ("2020/01/2020-01-01.yaml", "sport", "b")]
    >>> headlines = [("2014/aggregator", "science", "c")]
    >>> [(len(learnt), len(scored)) for learnt, scored in folds(portal, headlines)]
    [(2, 1), (1, 1)]
    """
    return [
        (
            [i for i in (*items, *learnt_only) if in_years(i[0], learnt)],
            [i for i in items if in_years(i[0], scored)],
        )
        for learnt, scored in FOLDS
    ]


BETAS = np.arange(0.5, 24.01, 0.5)
POWERS = np.arange(0.1, 1.01, 0.05)
ALPHAS = (0.1, 0.25, 0.5, 1.0)


def fit(
    items: list[Item], desks: list[str], topics: TopicModel, learnt_only: Sequence[Item] = ()
) -> tuple[float, float, float]:
    """The smoothing `alpha`, desk weight `beta` and `power` that best predict held-out labels.

    Best: the lowest log-loss of the held-out items' labels (`combine`'s label
    probabilities) over both `FOLDS`, so that the combined probabilities are calibrated.
    `learnt_only` (the aggregator's headlines) are learnt in their years' folds, never scored.
    """
    losses = np.zeros((len(ALPHAS), len(BETAS), len(POWERS)))
    scored = 0
    for train, test in folds(items, learnt_only):
        vocabulary, counts = count(train, desks)
        alone = np.array([topics.concept_probabilities(topics.evidence(text)) for _, _, text in test])
        for i, alpha in enumerate(ALPHAS):
            model = _model(vocabulary, log_probabilities(counts, alpha), desks, 1.0, 1.0)
            losses[i] += _grid_losses(model, test, alone, topics)
        scored += len(test)
    best = tuple(int(i) for i in np.unravel_index(int(np.argmin(losses)), losses.shape))
    print(f"held-out log-loss {losses[best] / scored:.4f} over {scored} items")
    return ALPHAS[best[0]], round(float(BETAS[best[1]]), 2), round(float(POWERS[best[2]]), 2)


def _grid_losses(
    model: DeskModel, test: list[tuple[str, str, str]], alone: np.ndarray, topics: TopicModel
) -> np.ndarray:
    """The summed log-loss of `test`'s labels for each (beta, power) of the grid.

    `alone` holds each test item's top-level probabilities from the concepts alone.
    """
    labels = sorted(TOPICS_OF_LABEL)
    truth = np.array([labels.index(label) for _, label, _ in test])
    columns = model.columns(topics.index.tops)
    # Per item, each label's concept probability, and the mean of the best desk it reads as.
    mass = np.stack([np.bincount(columns.label, weights=row, minlength=len(labels)) for row in alone])
    mass = np.log(np.maximum(mass, 1e-30))
    evidence = [model.evidence(text) for _, _, text in test]
    means = np.array([loglik / max(words, 1) for loglik, words in evidence])
    known = np.array([words > 0 for _, words in evidence])
    reads = np.where(columns.desks[None], means[:, None, :], -np.inf).max(axis=2)
    relative = reads - reads.max(axis=1, keepdims=True)
    out = np.zeros((len(BETAS), len(POWERS)))
    for b, beta in enumerate(BETAS):
        for w, power in enumerate(POWERS):
            logits = np.where(known[:, None], power * (mass + beta * relative), mass)
            probs = np.exp(logits - logits.max(axis=1, keepdims=True))
            share = probs[np.arange(len(truth)), truth] / probs.sum(axis=1)
            out[b, w] = -float(np.log(np.maximum(share, 1e-12)).sum())
    return out


def _model(vocabulary: list[str], logp: np.ndarray, desks: list[str], beta: float, power: float) -> DeskModel:
    return DeskModel(vocabulary, logp, desks, TOPICS_OF_LABEL, beta, power, ALSO_FILED_UNDER)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git-dir", type=Path, required=True, help="git directory of current-events-context")
    ap.add_argument(
        "--headlines-git-dir",
        type=Path,
        required=True,
        help="git directory of UCI_News_Aggregator_Data_Set_Retriever (the aggregator's headlines)",
    )
    args = ap.parse_args()
    topics = TopicModel(with_desks=False)
    items = refiled(read_items(args.git_dir), topics)
    headlines = refiled(read_headlines(args.headlines_git_dir), topics)
    desks = sorted(TOPICS_OF_LABEL)
    for name, some in (("portal items", items), ("headlines", headlines)):
        print(f"{len(some)} {name}: {json.dumps(Counter(d for _, d, _ in some), sort_keys=True)}")
    alpha, beta, power = fit(items, desks, topics, headlines)
    vocabulary, counts = count([*items, *headlines], desks)
    np.savez_compressed(
        DATA / "desk_words.npz",
        words=np.array(vocabulary),
        logp=log_probabilities(counts, alpha).astype(np.float16),
        desks=np.array(desks),
        topics=np.array(json.dumps(TOPICS_OF_LABEL, sort_keys=True)),
        also_filed=np.array(json.dumps(ALSO_FILED_UNDER, sort_keys=True)),
        beta=np.array(beta),
        power=np.array(power),
    )
    print(f"{len(vocabulary)} words, {len(desks)} desks, alpha {alpha}, beta {beta}, power {power}")


if __name__ == "__main__":
    main()
