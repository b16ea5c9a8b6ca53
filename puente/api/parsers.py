"""The API's JSON parser: any malformed body is a 400 in the error format, never a 500."""

import json
import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding  # type: ignore[attr-defined]

# No request body of this API nests deeper than a list in an object; the margin is generous,
# and deeper bodies would reach code that recurses over the data (repr, error messages).
MAX_DEPTH = 32


def _finite_float(text: str) -> float:
    """Return the number, refusing those a float cannot hold (1e999 would become inf)."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _no_constant(text: str) -> Any:
    """Refuse NaN, Infinity and -Infinity, which JSON does not have."""
    raise ValueError(text)


def _depth(data: object) -> int:
    """Return how deeply lists and objects nest in the parsed data, without recursing."""
    deepest = 0
    pending: list[tuple[object, int]] = [(data, 0)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict):
            children: list[object] = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level + 1)
        pending.extend((child, level + 1) for child in children)
    return deepest


class StrictJSONParser(JSONParser):
    """Parse standard JSON of bounded size and depth; answer 400 for anything else."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        """Return the parsed body, or raise ParseError naming what is wrong with it."""
        encoding = get_encoding(parser_context or {})
        # DRF hands over request.body, which Django has held to DATA_UPLOAD_MAX_MEMORY_SIZE.
        raw: bytes = stream.read()
        try:
            data = json.loads(
                raw.decode(encoding), parse_float=_finite_float, parse_constant=_no_constant
            )
        except RecursionError as error:
            raise ParseError(_("The JSON body is nested too deeply.")) from error
        except UnicodeDecodeError as error:
            raise ParseError(
                _("The body is not valid %(encoding)s text.") % {"encoding": encoding}
            ) from error
        except json.JSONDecodeError as error:
            raise ParseError(
                _("The body is not valid JSON: %(reason)s (line %(line)s, column %(column)s).")
                % {"reason": error.msg, "line": error.lineno, "column": error.colno}
            ) from error
        except ValueError as error:
            # What the scanner lets through from the number and constant hooks, and integers
            # longer than Python converts from text (sys.get_int_max_str_digits).
            raise ParseError(_("The body holds NaN, Infinity or a number out of range.")) from error
        if _depth(data) > MAX_DEPTH:
            raise ParseError(_("The JSON body is nested too deeply."))
        return data
