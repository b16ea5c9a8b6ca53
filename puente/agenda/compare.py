"""What changed between two versions of an agenda: items added, removed, moved, reworded."""

from dataclasses import dataclass, field

from .models import AgendaItem


@dataclass
class ItemChange:
    """One row of the comparison: an item as it was and as it is, and what changed."""

    old: AgendaItem | None
    new: AgendaItem | None
    changes: list[str] = field(default_factory=list)


ADDED = "added"
REMOVED = "removed"
MOVED = "moved"
TEXT_CHANGED = "text_changed"
THEME_CHANGED = "theme_changed"
STATEMENTS_CHANGED = "statements_changed"


def _statement_ids(item: AgendaItem) -> list[int]:
    # From the prefetched statements, without a query per item.
    return sorted(statement.pk for statement in item.statements.all())


def versions_compare(old: list[AgendaItem], new: list[AgendaItem]) -> list[ItemChange]:
    """Pair the items of two versions by lineage; return one row per item, in the new order.

    Items only in the old version come last, in their old order.
    """
    old_by_lineage = {item.lineage: item for item in old}
    rows: list[ItemChange] = []
    for item in new:
        before = old_by_lineage.pop(item.lineage, None)
        if before is None:
            rows.append(ItemChange(old=None, new=item, changes=[ADDED]))
            continue
        changes = []
        if before.position != item.position:
            changes.append(MOVED)
        if before.text != item.text or before.original_language != item.original_language:
            changes.append(TEXT_CHANGED)
        if before.theme != item.theme:
            changes.append(THEME_CHANGED)
        if _statement_ids(before) != _statement_ids(item):
            changes.append(STATEMENTS_CHANGED)
        rows.append(ItemChange(old=before, new=item, changes=changes))
    rows.extend(
        ItemChange(old=item, new=None, changes=[REMOVED]) for item in old_by_lineage.values()
    )
    return rows
