"""How text becomes searchable: lower case, without accents or punctuation, as words."""

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_FOLDED = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i"}
)
_NOT_WORD = re.compile(r"[\W_]+")


def text_normalise(text: str) -> str:
    """Return the text lower-cased, accents stripped and punctuation turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(_NOT_WORD.sub(" ", bare.translate(_FOLDED)).split())


def query_words(query: str, *, max_words: int) -> list[str]:
    """Return the distinct normalised words of a query, at most max_words of them."""
    return list(dict.fromkeys(text_normalise(query).split()))[:max_words]
