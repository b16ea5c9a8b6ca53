"""What `make install` leaves in the environment."""

import importlib.util
import sys
from pathlib import Path

import scipy


def test_installed_packages_carry_compiled_bytecode() -> None:
    # A process that may not write .pyc files would compile every module it imports at each
    # start (0.6 s for numpy and scipy), so the install compiles them all ahead of time.
    package = Path(scipy.__file__).parent
    sources = sorted(package.rglob("*.py"))
    missing = [
        source
        for source in sources
        if not Path(importlib.util.cache_from_source(str(source))).is_file()
    ]
    assert sources
    assert not missing, (
        f"{len(missing)} of {len(sources)} scipy modules have no bytecode for "
        f"{sys.implementation.cache_tag}, e.g. {missing[:3]}"
    )
