"""The demo's joint agenda: drafted and published from the demo dialogue's results."""

from typing import Any


def agenda_demo_load(*, report: Any) -> None:
    """Publish version 1 of the demo dialogue's agenda when it has results; keep what exists."""
