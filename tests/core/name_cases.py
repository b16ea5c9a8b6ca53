"""Copies of a name that a reader cannot tell apart from it, shared by the names tests."""

import pytest

# A verified organisation's name, and a partnership's title, with a, e and o in lower case.
ORIGINAL = "Red de Gobierno Abierto"

COPIES = [
    pytest.param("red de gobierno abierto", id="lower-case"),
    pytest.param("RED DE GOBIERNO ABIERTO", id="upper-case"),
    pytest.param("Red de Gobi\u200berno Abierto", id="zero-width-space"),
    pytest.param("Red de Gobierno Abi\u0435rto", id="cyrillic-e"),
    pytest.param("Red de G\u043ebierno Abierto", id="cyrillic-o"),
    pytest.param("Red de Gobierno \u0410bierto", id="cyrillic-capital-a"),
    pytest.param(
        "R\u0435d d\u0435 G\u043ebi\u0435rn\u043e \u0410bi\u0435rt\u043e", id="all-cyrillic"
    ),
    pytest.param("\u202eRed de Gobierno Abierto", id="bidi-override"),
    pytest.param("\u2067Red de Gobierno Abierto\u2069", id="bidi-isolate"),
    pytest.param("\uff32\uff45\uff44 de Gobierno Abierto", id="nfkc-full-width"),
    pytest.param("  Red  de\tGobierno Abierto ", id="extra-spaces"),
]

# Names with nothing a reader can see, or with a control character.
INVISIBLE = [
    pytest.param("\u200b\u200b\u200b", id="zero-width-only"),
    pytest.param("\u3164", id="hangul-filler"),
    pytest.param("\u2800\u2800", id="braille-blank"),
    pytest.param("\u202e\u202c", id="bidi-only"),
    pytest.param("Red\x00Abierta", id="null-character"),
    pytest.param("Red\u0007Abierta", id="bell-character"),
]
