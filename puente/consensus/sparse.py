"""Sparse vote matrices with the products the engine takes, without importing scipy.sparse.

The engine needs few operations on its sparse matrices: build one from compressed rows, take
its transpose, multiply it by a vector, and copy a band of rows out dense. Importing
``scipy.sparse`` for them costs about 180 ms, longer than the analysis of a million votes:
its array-API layer copies numpy's namespace and so imports ``numpy.f2py``, ``numpy.testing``
and ``numpy.ma``. The command line pays that on every run.

So ``SparseRows`` holds the compressed rows itself, and its products call the same compiled
routines scipy's sparse arrays call (``csr_matvec``, ``csc_matvec`` of scipy's
``_sparsetools`` extension), loaded from scipy's install on their own, without running the
``scipy.sparse`` package's initialisation (about 5 ms). The numbers are scipy's to the bit,
and the routines release the GIL while they multiply, as they do under scipy.

``_sparsetools`` is a private module of scipy. Should a scipy release move or change it, the
products go through ``scipy.sparse``'s public arrays instead: the same results, with the
import paid again. ``tests/consensus/test_sparse.py`` checks both ways, and that the
direct way is the one taken with the scipy the lock file pins.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["SparseRows", "direct_products"]

FloatArray = NDArray[np.float64]

# (n_row, n_col, pointer, indices, data, vector, result): result += matrix @ vector.
_Kernel = Callable[..., None]

_SPARSETOOLS = "scipy.sparse._sparsetools"


class SparseRows:
    """A sparse matrix in compressed rows (or, transposed, the same arrays as columns).

    ``data``, ``indices`` and ``pointer`` are those of scipy's ``csr_array``: row ``i``
    holds ``data[pointer[i]:pointer[i + 1]]`` in columns ``indices[...]``, no column twice
    in a row. ``.T`` shares the arrays; the transpose reads them as compressed columns.
    """

    __slots__ = ("_scipy", "by_columns", "data", "indices", "pointer", "shape")

    def __init__(
        self,
        data: FloatArray,
        indices: NDArray[np.integer[Any]],
        pointer: NDArray[np.integer[Any]],
        shape: tuple[int, int],
        *,
        by_columns: bool = False,
    ) -> None:
        index_type = np.result_type(indices.dtype, pointer.dtype)
        self.data = np.ascontiguousarray(data, dtype=np.float64)
        self.indices = np.ascontiguousarray(indices, dtype=index_type)
        self.pointer = np.ascontiguousarray(pointer, dtype=index_type)
        self.shape = (int(shape[0]), int(shape[1]))
        self.by_columns = by_columns
        self._scipy: Any = None
        n_compressed = self.shape[1] if by_columns else self.shape[0]
        if self.pointer.shape[0] != n_compressed + 1 or self.indices.shape != self.data.shape:
            raise ValueError("the pointer, indices and data do not fit the shape")

    @property
    def nnz(self) -> int:
        """Return the number of stored entries."""
        return int(self.data.shape[0])

    @property
    def T(self) -> SparseRows:  # noqa: N802  # as numpy and scipy name it
        """Return the transpose, sharing this matrix's arrays."""
        return SparseRows(
            self.data,
            self.indices,
            self.pointer,
            (self.shape[1], self.shape[0]),
            by_columns=not self.by_columns,
        )

    def __matmul__(self, vector: FloatArray) -> FloatArray:
        """Return the matrix times a vector."""
        vector = np.ascontiguousarray(vector, dtype=np.float64)
        if vector.shape != (self.shape[1],):
            raise ValueError(f"a vector of {self.shape[1]} values is needed")
        kernels = direct_products()
        if kernels is None:
            return self._scipy_product(vector)
        by_rows, by_columns = kernels
        result = np.zeros(self.shape[0])
        kernel = by_columns if self.by_columns else by_rows
        kernel(self.shape[0], self.shape[1], self.pointer, self.indices, self.data, vector, result)
        return result

    def rows_dense(self, start: int, stop: int) -> FloatArray:
        """Return rows ``start`` to ``stop`` (exclusive) as a dense array."""
        if self.by_columns:
            raise ValueError("only a matrix stored by rows gives dense rows")
        stop = min(stop, self.shape[0])
        start = min(start, stop)
        block = np.zeros((stop - start, self.shape[1]))
        first, last = int(self.pointer[start]), int(self.pointer[stop])
        rows = np.repeat(np.arange(stop - start), np.diff(self.pointer[start : stop + 1]))
        block[rows, self.indices[first:last]] = self.data[first:last]
        return block

    def _scipy_product(self, vector: FloatArray) -> FloatArray:
        """Return the product through scipy.sparse's public arrays (the fallback)."""
        if self._scipy is None:
            import scipy.sparse  # only when the direct routines are missing

            arrays = (self.data, self.indices, self.pointer)
            if self.by_columns:
                self._scipy = scipy.sparse.csc_array(arrays, shape=self.shape)
            else:
                self._scipy = scipy.sparse.csr_array(arrays, shape=self.shape)
        result: FloatArray = np.asarray(self._scipy @ vector, dtype=np.float64)
        return result


@cache
def direct_products() -> tuple[_Kernel, _Kernel] | None:
    """Return scipy's compiled row and column products, or None if they cannot be loaded."""
    try:
        module = _load_sparsetools()
        kernels: tuple[_Kernel, _Kernel] = (module.csr_matvec, module.csc_matvec)
    except (ImportError, OSError, AttributeError):
        return None
    return kernels


def _load_sparsetools() -> Any:
    """Load scipy's ``_sparsetools`` extension alone, or the imported one if it is there."""
    loaded = sys.modules.get(_SPARSETOOLS)
    if loaded is not None:
        return loaded
    # Finding the top-level package reads no module of it.
    scipy_spec = importlib.util.find_spec("scipy")
    if scipy_spec is None or not scipy_spec.submodule_search_locations:
        raise ImportError("scipy is not installed")
    folder = Path(next(iter(scipy_spec.submodule_search_locations))) / "sparse"
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"_sparsetools{suffix}"
        if path.is_file():
            break
    else:
        raise ImportError("scipy.sparse._sparsetools was not found")
    loader = importlib.machinery.ExtensionFileLoader(_SPARSETOOLS, str(path))
    spec = importlib.util.spec_from_file_location(_SPARSETOOLS, path, loader=loader)
    if spec is None:
        raise ImportError("scipy.sparse._sparsetools cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module
