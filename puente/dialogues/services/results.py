"""Results of a dialogue: the engine's snapshot, recomputed in the background after votes."""


def results_schedule(*, dialogue_id: int) -> None:
    """Ask for the dialogue's results to be recomputed soon (debounced).

    The background recompute is being built on the results branch; until it lands this asks
    for nothing, and the results pages do not exist yet.
    """
