from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from puente.core.content_language import (
    Text,
    active_language,
    content_choose,
    languages_to_add,
    reader_preferences,
    translation_language_check,
)

ORIGINAL = Text("The original, in English.")
SAVED_AT = datetime(2026, 12, 1, tzinfo=UTC)


def _choose(reader: str, *, original_language: str = "en", languages: tuple[str, ...] = ()):
    return content_choose(
        reader_language=reader,
        original=ORIGINAL,
        original_language=original_language,
        translations={code: Text(f"In {code}.", updated_at=SAVED_AT) for code in languages},
    )


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("en", ["en"]),
        ("es", ["es"]),
        ("pt-br", ["pt-br", "pt"]),
        ("pt", ["pt", "pt-br"]),
        ("fr", ["fr"]),
    ],
)
def test_a_reader_takes_their_language_then_its_variants(reader, expected):
    assert reader_preferences(reader) == expected


def test_a_reader_sees_the_translation_into_their_language_marked_as_translated():
    shown = _choose("es", languages=("es", "fr"))

    assert (shown.text, shown.language, shown.is_translation) == ("In es.", "es", True)
    assert not shown.is_other_language
    assert shown.marker == "Translated from English"
    assert shown.updated_at == SAVED_AT


def test_a_brazilian_reader_sees_the_brazilian_translation_before_the_portuguese_one():
    assert _choose("pt-br", languages=("pt", "pt-br")).language == "pt-br"


def test_a_brazilian_reader_without_a_brazilian_translation_sees_the_portuguese_one():
    shown = _choose("pt-br", languages=("pt", "es"))

    assert shown.language == "pt"
    assert not shown.is_other_language


def test_a_portuguese_reader_falls_back_to_the_brazilian_translation_last():
    assert _choose("pt", languages=("pt-br",)).language == "pt-br"
    assert _choose("pt", languages=("pt", "pt-br")).language == "pt"


def test_a_reader_with_no_translation_sees_the_original_marked_with_its_language():
    shown = _choose("fr", languages=("es",))

    assert (shown.text, shown.language, shown.is_translation) == (ORIGINAL.text, "en", False)
    assert shown.is_other_language
    assert shown.marker == "Original in English"
    assert shown.updated_at is None


def test_a_reader_of_the_original_language_sees_it_unmarked():
    shown = _choose("en", languages=("es",))

    assert shown.text == ORIGINAL.text
    assert shown.marker == ""


def test_a_variant_of_the_original_language_is_read_as_the_reader_s_own():
    shown = _choose("pt-br", original_language="pt", languages=("es",))

    assert shown.language == "pt"
    assert shown.marker == ""


def test_the_marker_is_in_the_reader_s_language():
    with translation.override("es"):
        assert _choose("es", original_language="fr").marker == "Original en francés"


def test_the_cache_key_changes_with_the_language_and_the_saved_translation():
    keys = {
        _choose("es").cache_key,
        _choose("es", languages=("es",)).cache_key,
        content_choose(
            reader_language="es",
            original=ORIGINAL,
            original_language="en",
            translations={"es": Text("Otra.", updated_at=datetime(2026, 12, 2, tzinfo=UTC))},
        ).cache_key,
    }
    assert len(keys) == 3


@pytest.mark.parametrize(("language", "code"), [("en", "original_language"), ("xx", "invalid")])
def test_a_translation_in_the_original_s_or_an_unknown_language_is_refused(language, code):
    with pytest.raises(ValidationError) as error:
        translation_language_check(language, original_language="en")

    assert error.value.error_dict["language"][0].code == code


def test_a_new_translation_may_take_only_the_languages_not_yet_used():
    codes = [code for code, _name in languages_to_add(original_language="en", existing=["es"])]

    assert codes == ["pt", "pt-br", "fr"]


@pytest.mark.parametrize(
    ("active", "expected"), [("pt-br", "pt-br"), ("es-mx", "es"), ("de", "en")]
)
def test_the_active_language_is_one_of_the_site_s(active, expected):
    with translation.override(active):
        assert active_language() == expected
