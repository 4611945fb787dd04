"""Boilerplate patterns: whole lines, appeal boxes and glued appeals."""

from __future__ import annotations

import tomllib

import pytest

from streams.split.boilerplate import DATA_FILE
from streams.split.boilerplate import DEFAULT_PATTERNS as P


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "Share on Facebook",
        "Most popular",
        "Comments",
        "By our political editor",
        "By Jane Smith and Ali Khan, Reuters",
        "Sign up to our daily newsletter",
        "Reuse this content",
        "From CNN's Maria Lopez",
        "From CNN’s Daniel Cho and Amy Reyes",
        "Link Copied!",
        "See more",
        "Photograph: Adam Davy/PA",
        "Reporting by Jane Smith; editing by Ali Khan",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert P.is_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "By Thursday, the toll had risen to 50.",
        "The advertisement was withdrawn after complaints.",
        "He shared the video on Facebook.",
        "From Monday, the trains will run less often.",
        "From Paris's mayor Anne Hidalgo came a warning that the games would go ahead regardless.",
    ],
)
def test_prose_is_kept(line: str) -> None:
    assert not P.is_line(line)


def test_appeal_box_with_publisher_voice() -> None:
    lines = [
        "Support our journalism",
        "We know how much our readers value the facts our reporters dig out.",
        "Your donation keeps our reporting open.",
        "The minister said the plan would cut waiting times.",
    ]
    assert P.mark(lines) == [True, True, True, False]


def test_publisher_voice_alone_is_not_boilerplate() -> None:
    assert P.mark(["Our reporters were told by police that we could not enter the building."]) == [False]


def test_glued_appeal_is_stripped() -> None:
    line = "Your support makes the difference.Socialist leader Marta Carvalho claimed victory."
    assert P.strip_glued(line) == "Socialist leader Marta Carvalho claimed victory."


def test_news_about_donations_is_kept() -> None:
    line = "The charity said your donation of $5 would buy a blanket. Officials confirmed 30 deaths."
    assert P.mark([line]) == [False]


def test_every_pattern_names_a_trigger() -> None:
    """Lines without a literal trigger skip the regexes: each pattern must spell one out."""
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    for key, trigger_key in (("contains", "contains_triggers"), ("appeal", "appeal_triggers")):
        for pattern in data[key]:
            assert any(t in pattern.lower() for t in data[trigger_key]), (key, pattern)


def test_contains_line_still_found_in_a_long_paragraph() -> None:
    line = "Background. " * 60 + "The BBC is not responsible for the content of external sites."
    assert P.is_line(line)
    assert not P.is_line("He said the council is not responsible for roads.")


@pytest.mark.parametrize(
    "line",
    [
        "Read our privacy notice to find out how we use your data",
        "By clicking Sign up, you agree to receive marketing emails from us",
        "You can unsubscribe at any time.",
        "Get the latest headlines delivered straight to your inbox",
        "Get our free daily briefing email",
        "Our live coverage of the storm has ended.",
        "This blog is now closed.",
        "We're pausing our live coverage for now but will be back tomorrow.",
        "Thanks for following along today.",
        "That's all from us for today.",
        "You can follow all our coverage of the election here",
        "Manage cookie preferences",
    ],
)
def test_consent_signups_and_end_of_coverage(line: str) -> None:
    assert P.is_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "The company changed its privacy policy on Monday, regulators said.",
        "Regulators fined the firm over cookies it placed without consent, the court heard.",
        "The live coverage rights were sold to a streaming service for £5bn.",
        "Fans were thanked for following the team across Europe this season.",
    ],
)
def test_news_about_privacy_or_coverage_stays(line: str) -> None:
    assert not P.is_line(line)


def test_a_related_block_goes_with_its_headlines() -> None:
    lines = [
        "The storm moved east overnight, forecasters said.",
        "Related stories",
        "Flood defences tested in the north",
        "How to prepare for a power cut",
        "Rail services resumed on Tuesday after the line was cleared of debris.",
    ]
    assert P.mark(lines) == [False, True, True, True, False]


def test_a_trailing_link_list_goes_but_short_endings_stay() -> None:
    story = ["United won 2-1 at home on Saturday, with both goals in the second half."]
    links = ["Premier League fixtures and results", "Manchester Athletic", "Riverside Rovers", "Club news"]
    assert P.mark(story + links) == [False, True, True, True, True]
    two = ["Riverside Rovers", "Club news"]
    assert P.mark(story + two) == [False, False, False]  # two short lines are not yet a list
