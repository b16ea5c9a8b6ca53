import pytest
from django.core.exceptions import ValidationError

from puente.core.names import name_clean, name_key, names_confusable
from tests.core.name_cases import COPIES, INVISIBLE, ORIGINAL


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("  Red   de\tGobierno\nAbierto  ", "Red de Gobierno Abierto"),
        ("\uff32\uff45\uff44 Abierta", "Red Abierta"),
        ("Cafe\u0301 Digital", "Caf\u00e9 Digital"),
        ("\u2160 Cumbre", "I Cumbre"),
        ("Alianza\u00a0Digital", "Alianza Digital"),
        ("Alianza \u2764\ufe0f", "Alianza \u2764"),
        ("   ", ""),
    ],
)
def test_name_clean_normalises_trims_and_collapses_spaces(given, stored):
    assert name_clean(given) == stored


@pytest.mark.parametrize("given", INVISIBLE)
def test_name_clean_refuses_invisible_and_control_characters(given):
    with pytest.raises(ValidationError):
        name_clean(given)


@pytest.mark.parametrize(
    "hidden", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202e", "\u2066"]
)
def test_name_clean_refuses_zero_width_and_direction_characters_inside_a_name(hidden):
    with pytest.raises(ValidationError):
        name_clean(f"Red{hidden}Abierta")


@pytest.mark.parametrize("copy", COPIES)
def test_copies_look_like_the_original(copy):
    try:
        cleaned = name_clean(copy)
    except ValidationError:
        return  # refused before any comparison: hidden characters
    assert names_confusable(cleaned, ORIGINAL)


@pytest.mark.parametrize(
    "other",
    [
        "Red de Gobierno Abierta",
        "Red de Gobierno Abierto Chile",
        "Red de Gobierno Digital",
        "R\u00e9d de Gobierno Abierto",
        "\u041c\u0438\u043d\u0438\u0441\u0442\u0435\u0440\u0441\u0442\u0432\u043e",
    ],
)
def test_different_names_do_not_look_alike(other):
    assert not names_confusable(other, ORIGINAL)


def test_look_alikes_across_case_and_digits():
    assert names_confusable("Agencia Digita1", "Agencia Digital")
    assert names_confusable("ALIANZA", "\u0391LIANZA")  # Greek capital alpha
    assert names_confusable("lnnova", "Innova")


def test_name_key_ignores_case_and_width():
    assert name_key("\uff32\uff25\uff24") == name_key("red") == name_key("RED")
    assert name_key("Stra\u00dfe") == name_key("STRASSE")
