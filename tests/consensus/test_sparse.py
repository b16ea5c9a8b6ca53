"""The engine's sparse matrices against scipy.sparse: the same products, both ways."""

import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp

from puente.consensus import sparse
from puente.consensus.sparse import SparseRows


def _pair(seed: int, shape: tuple[int, int], density: float) -> tuple[SparseRows, sp.csr_array]:
    rng = np.random.default_rng(seed)
    dense = rng.standard_normal(shape) * (rng.random(shape) < density)
    reference = sp.csr_array(dense)
    ours = SparseRows(reference.data, reference.indices, reference.indptr, shape)
    return ours, reference


@pytest.fixture(params=["direct", "through scipy.sparse"])
def way(request, monkeypatch):
    if request.param == "through scipy.sparse":
        monkeypatch.setattr(sparse, "direct_products", lambda: None)
    return request.param


@pytest.mark.parametrize(("shape", "density"), [((40, 7), 0.3), ((3, 50), 0.5), ((25, 25), 0.0)])
def test_products_and_transposed_products_match_scipy(way, shape, density):
    ours, reference = _pair(3, shape, density)
    rng = np.random.default_rng(4)
    right, left = rng.standard_normal(shape[1]), rng.standard_normal(shape[0])

    np.testing.assert_array_equal(ours @ right, reference @ right)
    np.testing.assert_array_equal(ours.T @ left, reference.T @ left)
    assert ours.T.shape == (shape[1], shape[0])
    assert ours.T.T @ right == pytest.approx(reference @ right)


def test_empty_rows_give_zeros(way):
    pointer = np.array([0, 0, 2, 2, 3], dtype=np.int32)
    ours = SparseRows(
        np.array([1.0, 2.0, 3.0]), np.array([0, 2, 1], dtype=np.int32), pointer, (4, 3)
    )

    np.testing.assert_array_equal(ours @ np.array([1.0, 10.0, 100.0]), [0.0, 201.0, 0.0, 30.0])
    np.testing.assert_array_equal(ours.T @ np.array([1.0, 1.0, 1.0, 1.0]), [1.0, 3.0, 2.0])


def test_dense_rows_are_the_rows_of_the_matrix():
    ours, reference = _pair(5, (30, 9), 0.4)
    dense = reference.toarray()

    np.testing.assert_array_equal(ours.rows_dense(0, 30), dense)
    np.testing.assert_array_equal(ours.rows_dense(7, 19), dense[7:19])
    np.testing.assert_array_equal(ours.rows_dense(25, 40), dense[25:])
    assert ours.rows_dense(30, 40).shape == (0, 9)


def test_mixed_index_types_and_integer_data_are_brought_to_one():
    ours = SparseRows(
        np.array([1, 1]), np.array([1, 0], dtype=np.int32), np.array([0, 1, 2]), (2, 2)
    )

    assert ours.indices.dtype == ours.pointer.dtype
    np.testing.assert_array_equal(ours @ np.array([2.0, 3.0]), [3.0, 2.0])


def test_a_pointer_that_does_not_fit_the_shape_is_refused():
    with pytest.raises(ValueError, match="shape"):
        SparseRows(np.ones(2), np.array([0, 1]), np.array([0, 1, 2]), (3, 2))
    with pytest.raises(ValueError, match="vector"):
        SparseRows(np.ones(2), np.array([0, 1]), np.array([0, 1, 2]), (2, 2)) @ np.ones(3)


def test_the_direct_routines_load_with_the_pinned_scipy_without_importing_scipy():
    # In a fresh interpreter: this test process has imported scipy.sparse already.
    code = (
        "import sys\n"
        "from puente.consensus.sparse import direct_products\n"
        "assert direct_products() is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith('scipy')))\n"
    )
    completed = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )

    # The extension registers itself under its name; no scipy package is initialised.
    assert completed.stdout.strip() == "['scipy.sparse._sparsetools']"
