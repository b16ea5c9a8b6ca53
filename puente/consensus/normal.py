"""Quantiles of the standard normal distribution, without importing scipy.special up front."""

from __future__ import annotations

__all__ = ["normal_quantile"]

# scipy.special.ndtri at the levels the engine uses by default, to the last bit: importing
# scipy.special takes longer than a whole analysis of 50,000 votes, so it is imported only
# for other levels.
_NORMAL_QUANTILES = {0.9: 1.2815515655446004, 0.95: 1.6448536269514722, 0.975: 1.959963984540054}


def normal_quantile(probability: float) -> float:
    """Return the standard normal quantile of ``probability``, as ``scipy.special.ndtri``."""
    known = _NORMAL_QUANTILES.get(probability)
    if known is not None:
        return known
    from scipy.special import ndtri

    return float(ndtri(probability))
