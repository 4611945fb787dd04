"""Building the desk model from the Current events portal's daily files and an aggregator's headlines."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from streams.dev.deskdata import (
    ALSO_FILED_UNDER,
    LABEL_OF_HEADING,
    PER_STORY,
    TOPICS_OF_LABEL,
    count,
    folds,
    label_of,
    log_probabilities,
    read_headlines,
    read_items,
    refiled,
)
from streams.enrich import TopicModel

DAY = """Date: '2019-05-14'
Source_URI: Portal:Current events/2019 May 14
Intelligence_Payload:
  Sports:
  - Harbour City Rovers
  - The Rovers win the regional cup final after a late goal from their captain. (Daily Paper) (Radio Two)
  Law and crime:
  - A court in the capital jails a former mayor for six years for taking bribes.
  Flooding in the valley:
  - Three villages are cut off after the river bursts its banks for the second time this month.
  Science and technology:
  - Engineers test a small rover
"""


def test_portal_headings_are_labels_and_story_headings_are_not() -> None:
    assert label_of("Sport") == label_of("Sports") == "sport"
    assert label_of("Armed conflicts and attacks") == "conflict"
    assert label_of("International Relations") == "politics"
    assert label_of("Health and environment") == "health"
    assert label_of("Disasters") == "disaster"
    assert label_of("Syrian civil war") is None
    assert label_of("2011 Libyan civil war") is None
    assert set(TOPICS_OF_LABEL) == {label for _, label in LABEL_OF_HEADING}


def test_every_topic_is_under_one_label_and_technology_also_reads_as_business() -> None:
    tops = [top for tops in TOPICS_OF_LABEL.values() for top in tops]
    assert len(tops) == len(set(tops)) == 17
    assert "13000000" in TOPICS_OF_LABEL["science"] and "04000000" in TOPICS_OF_LABEL["economy"]
    assert ALSO_FILED_UNDER == {"science": ["economy"]}


def _committed(work: Path) -> Path:
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], check=True)
    return work / ".git"


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    work = tmp_path / "portal"
    (work / "2019" / "05").mkdir(parents=True)
    (work / "2019" / "05" / "2019-05-14.yaml").write_text(DAY, encoding="utf-8")
    (work / "README.md").write_text("not a day\n", encoding="utf-8")
    return _committed(work)


def _row(n: int, title: str, category: str, story: str) -> str:
    return f"{n}\t{title}\thttp://news.example.org/{n}\tPaper\t{category}\t{story}\tnews.example.org\t1400000000000"


def test_aggregator_headlines_count_business_and_technology_at_most_a_few_per_story(tmp_path: Path) -> None:
    work = tmp_path / "aggregator"
    (work / "rawData").mkdir(parents=True)
    tech = [_row(i, f"Kelby Systems unveils tablet model number {i}", "t", "story-1") for i in range(6)]
    rest = [
        _row(10, "UPDATE 2-Westmoor Bank raises its dividend again", "b", "story-2"),
        _row(11, "Westmoor Bank raises its dividend again", "b", "story-2"),  # the same, without the prefix
        _row(12, "Singer Ana Ruiz weds in a quiet ceremony", "e", "story-3"),  # entertainment: not counted
        _row(13, "Short one", "t", "story-4"),  # too short to say anything
        "a broken row",
    ]
    (work / "rawData" / "xaa.csv").write_text("\n".join(tech) + "\n", encoding="utf-8")
    (work / "rawData" / "xab.csv").write_text("\n".join(rest) + "\n", encoding="utf-8")
    (work / "README.md").write_text(_row(20, "Not a data file at all here", "b", "story-5"), encoding="utf-8")
    items = read_headlines(_committed(work))
    assert [label for _, label, _ in items] == ["science"] * PER_STORY + ["economy"]
    assert items[-1] == ("2014/aggregator", "economy", "Westmoor Bank raises its dividend again")


def test_headlines_are_learnt_in_their_era_and_never_scored() -> None:
    portal = [(f"{year}/01/{year}-01-01.yaml", "sport", f"item of {year}") for year in (2012, 2018)]
    headlines = [("2014/aggregator", "science", "Kelby Systems unveils a tablet")]
    (learnt_early, scored_late), (learnt_late, scored_early) = folds(portal, headlines)
    assert headlines[0] in learnt_early and headlines[0] not in learnt_late
    assert headlines[0] not in scored_late + scored_early


def test_items_lose_their_sources_and_story_links_are_left_out(portal: Path) -> None:
    items = read_items(portal)
    assert [(desk, text) for _, desk, text in items] == [
        ("sport", "The Rovers win the regional cup final after a late goal from their captain."),
        (
            "crime",
            "A court in the capital jails a former mayor for six years for taking bribes.",
        ),
    ]
    assert items[0][0] == "2019/05/2019-05-14.yaml"


def test_word_probabilities_are_smoothed_per_desk(portal: Path) -> None:
    desks = sorted(TOPICS_OF_LABEL)
    vocabulary, counts = count(read_items(portal) * 2, desks)
    assert "goal" in vocabulary and "the" not in vocabulary
    logp = log_probabilities(counts, 0.1)
    assert np.exp(logp).sum(axis=1) == pytest.approx(np.ones(len(desks)))
    goal = vocabulary.index("goal")
    assert desks[int(np.argmax(logp[:, goal]))] == "sport"


def test_the_fit_holds_out_one_era_against_the_other_and_skips_the_year_between() -> None:
    items = [(f"{year}/01/{year}-01-01.yaml", "sport", f"item of {year}") for year in range(2008, 2023)]
    splits = folds(items)
    assert len(splits) == 2
    for learnt, scored in splits:
        learnt_years = {int(name[:4]) for name, _, _ in learnt}
        scored_years = {int(name[:4]) for name, _, _ in scored}
        # No story the portal follows from one year into the next is on both sides.
        assert min(abs(a - b) for a in learnt_years for b in scored_years) >= 2
        assert 2015 not in learnt_years | scored_years
    # Each era is scored once, by desks learnt on the other.
    assert [len(scored) for _, scored in splits] == [7, 7]
    assert splits[0][0] == splits[1][1] and splits[0][1] == splits[1][0]


def test_business_items_the_concepts_file_under_technology_move_to_the_science_desk() -> None:
    day = "2019/05/2019-05-14.yaml"
    items = [
        (day, "economy", "A software maker releases a smartphone operating system with new apps."),
        (day, "economy", "The central bank raises interest rates to curb inflation."),
        # Only the desks science also reads as give items up: a sport item stays sport.
        (day, "sport", "The new smartphone app shows every goal of the cup final."),
        (day, "science", "Astronomers find water vapour on a distant planet."),
    ]
    moved = refiled(items, TopicModel(with_desks=False))
    assert [label for _, label, _ in moved] == ["science", "economy", "sport", "science"]
    assert [(name, text) for name, _, text in moved] == [(name, text) for name, _, text in items]
