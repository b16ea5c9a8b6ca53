"""Names people read: normalised, free of hidden characters, compared as they look."""

import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import (  # type: ignore[import-untyped]  # no stubs
    confusables_data,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Control, format (zero-width, bidi embeddings, overrides and isolates), private-use,
# surrogate and unassigned code points, and line or paragraph separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
# Letters and symbols that Unicode calls graphic but that render as blank space.
BLANK_GRAPHICS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
# Variation selectors only pick a glyph style (emoji presentation): dropped, never shown.
VARIATION_SELECTORS = frozenset(
    [chr(code) for code in range(0xFE00, 0xFE10)] + [chr(code) for code in range(0xE0100, 0xE01F0)]
)


def _is_hidden(character: str) -> bool:
    return unicodedata.category(character) in HIDDEN_CATEGORIES or character in BLANK_GRAPHICS


def _is_visible(character: str) -> bool:
    return unicodedata.category(character)[0] in "LNPS" and character not in BLANK_GRAPHICS


def name_clean(value: str) -> str:
    """Return the name in NFKC, trimmed, single-spaced; refuse hidden or invisible characters."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(character for character in text if character not in VARIATION_SELECTORS)
    # str.split() also takes tabs, new lines and Unicode spaces for word breaks.
    text = " ".join(text.split())
    if any(_is_hidden(character) for character in text):
        raise ValidationError(
            _("Remove the invisible, control or text-direction characters."),
            code="hidden_characters",
        )
    if text and not any(_is_visible(character) for character in text):
        raise ValidationError(
            _("Use at least one visible letter, digit or sign."), code="invisible"
        )
    return text


def name_key(name: str) -> str:
    """Return the form two names are compared in when case does not count."""
    return unicodedata.normalize("NFKC", name).casefold()


def _preference(character: str) -> tuple[int, int]:
    # The representative of look-alikes is, by preference, a lower-case ASCII letter, another
    # ASCII character, then the lowest code point: Cyrillic and Greek a become 'a'.
    if character.isascii() and character.isalpha() and character.islower():
        return (0, ord(character))
    if character.isascii():
        return (1, ord(character))
    return (2, ord(character))


@cache
def _look_alikes() -> dict[str, str]:
    """Return, for each character with look-alikes, the one character that stands for all."""
    parent: dict[str, str] = {}

    def root(character: str) -> str:
        parent.setdefault(character, character)
        while parent[character] != character:
            parent[character] = parent[parent[character]]
            character = parent[character]
        return character

    for character, homoglyphs in confusables_data.items():
        if len(character) != 1:
            continue
        for homoglyph in homoglyphs:
            # The data wraps right-to-left glyphs in LEFT-TO-RIGHT MARKs for display.
            glyph = homoglyph["c"].strip("\u200e")
            if len(glyph) == 1:
                parent[root(character)] = root(glyph)
    groups: dict[str, list[str]] = {}
    for character in list(parent):
        groups.setdefault(root(character), []).append(character)
    representative: dict[str, str] = {}
    for members in groups.values():
        chosen = min(members, key=_preference)
        for member in members:
            representative[member] = chosen
    return representative


def _skeleton(text: str) -> str:
    look_alikes = _look_alikes()
    return "".join(look_alikes.get(character, character) for character in text)


def name_skeletons(name: str) -> frozenset[str]:
    """Return how the name looks with look-alike characters merged, case ignored."""
    text = unicodedata.normalize("NFKC", name)
    # Folding case before merging catches upper-case look-alikes (Cyrillic A in 'AGENCIA');
    # merging before folding catches 'I' written for 'l' (both are one look-alike group).
    return frozenset({_skeleton(text.casefold()), _skeleton(_skeleton(text).casefold())})


def names_confusable(name: str, other: str) -> bool:
    """Return whether the two names may be mistaken for each other."""
    return bool(name_skeletons(name) & name_skeletons(other))


def constraint_error_on_field(error: ValidationError, *, code: str, field: str) -> ValidationError:
    """Return the constraint errors with those of the given code moved onto the field."""
    # Django reports a constraint on an expression such as Lower("name") for no field.
    errors: dict[str, list[ValidationError]] = {}
    for name, messages in error.update_error_dict({}).items():
        for message in messages:
            errors.setdefault(field if message.code == code else name, []).append(message)
    return ValidationError(errors)
