"""The gazetteer: countries, cities and, where the text says a place is meant, provinces."""

from __future__ import annotations

from streams.enrich.gazetteer import default_gazetteer

GAZ = default_gazetteer()


def test_a_province_is_known_where_a_place_is_meant() -> None:
    place = GAZ.lookup("Bavaria", place_context=True)
    assert place is not None
    assert (place.kind, place.country, place.id) == ("province", "DE", "geonames:2951839")
    assert place.lat is not None and 47 < place.lat < 51  # the centre of its cities
    # Not otherwise: a province's name may be a surname ("Guerrero").
    assert GAZ.lookup("Bavaria") is None
    assert GAZ.lookup("Guerrero") is None


def test_a_province_outranks_a_smaller_city_abroad_but_not_a_city_at_home() -> None:
    ontario = GAZ.lookup("Ontario", place_context=True)
    assert ontario is not None and (ontario.kind, ontario.country) == ("province", "CA")
    assert GAZ.lookup("Ontario") is not None  # the Californian city, where no place is said to be meant
    city = GAZ.lookup("Buenos Aires", place_context=True)
    assert city is not None and city.kind == "city"
    # A large city known by another name ("Arbil" for Erbil) is not its province either.
    assert GAZ.lookup("Arbil", place_context=True) is None
    other = GAZ.lookup_other("Arbil")
    assert other is not None and other.name == "Erbil"


def test_divisions_named_in_common_words_are_left_out() -> None:
    # Burkina Faso's "Centre", Nigeria's "Plateau", Botswana's "Central".
    for name in ("Centre", "Plateau", "Central"):
        place = GAZ.lookup(name, place_context=True)
        assert place is None or place.kind != "province"


def test_former_country_names_keep_their_name_with_todays_code() -> None:
    for old, code in (("Zaire", "CD"), ("Swaziland", "SZ")):
        place = GAZ.lookup(old, place_context=True)
        assert place is not None and (place.name, place.kind, place.country) == (old, "country", code)
