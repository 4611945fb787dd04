"""Routing enriched entries to further topics by what they carry (rules in a YAML file).

A rule matches when every condition in its `when` holds (a list means any of its values):
`kind`, `source`, `topic` (IPTC id `medtop:11000000`, code or name), `country` (of a place
tag), and `tag` (`type`, `name`, `id` of one tag). One entry can match several rules and
fan out to several topics.

Example:
    >>> router = Router.from_yaml('''
    ... routes:
    ...   - name: politics
    ...     when: {topic: politics}
    ...     to: [news.topics.politics]
    ... ''')
    >>> router.topics
    ['news.topics.politics']
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from schemas.messages import EnrichedEntry, Tag
from streams.errors import ConfigError


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str | int) else value


Values = Annotated[list[str], BeforeValidator(_as_list)]


class TagCondition(BaseModel):
    """Some tag of the entry has all of these."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Values | None = None
    name: Values | None = None
    id: Values | None = None

    def matches(self, tag: Tag) -> bool:
        return (
            (self.type is None or tag.type in self.type)
            and (self.name is None or tag.name.casefold() in {n.casefold() for n in self.name})
            and (self.id is None or tag.id in self.id)
        )


class When(BaseModel):
    """The conditions of a rule; all given ones must hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Values | None = None
    source: Values | None = None
    topic: Values | None = None
    country: Values | None = None
    tag: TagCondition | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> When:
        if all(v is None for v in (self.kind, self.source, self.topic, self.country, self.tag)):
            raise ValueError("a rule needs at least one condition")
        return self

    def matches(self, entry: EnrichedEntry) -> bool:
        if self.kind is not None and entry.kind not in self.kind:
            return False
        if self.source is not None and entry.source not in self.source:
            return False
        if self.topic is not None and not any(_topic_matches(t, self.topic) for t in entry.tags):
            return False
        if self.country is not None and not any(
            t.type == "place" and t.country in self.country for t in entry.tags
        ):
            return False
        return self.tag is None or any(self.tag.matches(t) for t in entry.tags)


def _topic_matches(tag: Tag, wanted: list[str]) -> bool:
    if tag.type != "topic":  # a top-level or a second-level topic: a route may name either
        return False
    code = (tag.id or "").removeprefix("medtop:")
    return any(w in (tag.id, code) or w.casefold() == tag.name.casefold() for w in wanted)


class Route(BaseModel):
    """One rule: a name, its conditions, and the topics matching entries go to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    when: When
    to: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,249}$")]] = Field(min_length=1)


class RouteFile(BaseModel):
    """The whole rules file."""

    model_config = ConfigDict(extra="forbid")

    routes: list[Route]


class Router:
    """Matches enriched entries against validated routes."""

    def __init__(self, routes: list[Route]) -> None:
        names = [r.name for r in routes]
        if len(set(names)) != len(names):
            raise ConfigError("bad_routes", "route names must be unique")
        self.routes = routes

    @classmethod
    def from_yaml(cls, text: str, origin: str = "<routes>") -> Router:
        """Parse and validate rules; a ConfigError says which rule and field is wrong."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError("bad_routes", f"{origin}: not YAML: {exc}") from exc
        try:
            return cls(RouteFile.model_validate(data).routes)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:5]
            )
            raise ConfigError("bad_routes", f"{origin}: {problems}") from exc

    @classmethod
    def from_file(cls, path: Path) -> Router:
        """Rules from a YAML file."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError("bad_routes", f"{path}: {exc.strerror}") from exc
        return cls.from_yaml(text, str(path))

    @property
    def topics(self) -> list[str]:
        """Every topic some rule sends to, in order of first mention."""
        return list(dict.fromkeys(t for r in self.routes for t in r.to))

    def route(self, entry: EnrichedEntry) -> list[tuple[str, str]]:
        """(route name, topic) for each topic the entry goes to; each topic at most once."""
        out: dict[str, str] = {}
        for route in self.routes:
            if route.when.matches(entry):
                for topic in route.to:
                    out.setdefault(topic, route.name)
        return [(name, topic) for topic, name in out.items()]
