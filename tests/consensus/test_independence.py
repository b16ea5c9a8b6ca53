import subprocess
import sys


def test_importing_the_engine_loads_no_django_module():
    code = (
        "import sys, puente.consensus, puente.consensus.analysis; "
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(','.join(loaded))"
    )
    result = subprocess.run(  # noqa: S603  # fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == ""


def test_the_engine_needs_neither_pandas_nor_scikit_learn():
    code = (
        "import sys, puente.consensus, puente.consensus.analysis; "
        "print(','.join(sorted(m for m in ('pandas', 'sklearn', 'reddwarf') if m in sys.modules)))"
    )
    result = subprocess.run(  # noqa: S603  # fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == ""
