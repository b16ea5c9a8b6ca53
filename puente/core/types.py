"""Types shared by every app."""

import enum
from typing import Final


class Unset(enum.Enum):
    """The type of UNSET, the default of an update argument the caller leaves out."""

    UNSET = "unset"

    def __repr__(self) -> str:
        return "UNSET"


# A partial update changes only the arguments given; UNSET tells "not given" from None or "".
UNSET: Final = Unset.UNSET
