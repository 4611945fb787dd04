"""An article body cut into same-class containers: the parts an extraction left out are put back."""

from __future__ import annotations

from lxml import html

from streams.split.bodyparts import body_parts, rejoin


def _para(word: str, n: int = 1) -> str:
    return f"The {word} paragraph of the story goes on with its own long sentence here, number {n}."


def _page(second: str, footer: str = "") -> str:
    first = "".join(f"<p>{_para('opening', i)}</p>" for i in range(4))
    return (
        "<html><head><title>Harbour plan</title></head><body><main><article><h1>Harbour plan</h1>"
        f"<div class='row'><div class='body__part'>{first}</div></div>"
        "<div class='row'><div class='ad-slot'><p>Advertisement</p></div></div>"
        f"<div class='row'><div class='body__part'>{second}</div></div>"
        f"</article></main>{footer}</body></html>"
    )


def _rejoined(page: str, extracted: list[str]) -> list[str]:
    return rejoin(extracted, body_parts(html.fromstring(page)))


OPENING = [_para("opening", i) for i in range(4)]
CLOSING = "".join(f"<p>{_para('closing', i)}</p>" for i in range(5))


def test_the_part_after_an_ad_is_put_back_after_the_part_before_it() -> None:
    lines = _rejoined(_page(CLOSING), ["Harbour plan", *OPENING, "Share this story"])
    assert lines == ["Harbour plan", *OPENING, *(_para("closing", i) for i in range(5)), "Share this story"]


def test_nothing_is_added_when_the_extraction_holds_every_part() -> None:
    closing = [_para("closing", i) for i in range(5)]
    assert _rejoined(_page(CLOSING), [*OPENING, *closing]) == [*OPENING, *closing]


def test_nothing_is_added_when_the_extractor_chose_another_container() -> None:
    assert _rejoined(_page(CLOSING), ["A different text altogether, long enough to be a body."]) == [
        "A different text altogether, long enough to be a body."
    ]


def test_a_short_part_or_a_part_of_links_is_not_a_body_half() -> None:
    legal = "<p>Registered office: 1 Quay Street, Porthaven. All rights reserved by the publisher.</p>"
    assert _rejoined(_page(legal), OPENING) == OPENING
    links = "".join(f"<p><a href='/s{i}'>{_para('teaser', i)}</a></p>" for i in range(6))
    assert _rejoined(_page(links), OPENING) == OPENING


def test_a_same_class_container_far_away_is_another_group() -> None:
    far = "<div><div><div><div><div class='body__part'>" + CLOSING + "</div></div></div></div></div>"
    page = _page("<p>Short.</p>", footer=far)
    assert _rejoined(page, OPENING) == OPENING
