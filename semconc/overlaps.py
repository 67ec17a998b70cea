r"""Overlaps of random directions: the exact law of :math:`t = \langle u, v\rangle`.

For independent unit vectors :math:`u, v` drawn uniformly from the sphere
:math:`S^{d-1} \subset \mathbb{R}^d`, the overlap :math:`t = \langle u, v\rangle`
has the density

.. math::

   f_d(t) = \frac{\Gamma(d/2)}{\sqrt{\pi}\,\Gamma((d-1)/2)}\,(1 - t^2)^{(d-3)/2},
   \qquad -1 < t < 1,

so that :math:`t^2 \sim \mathrm{Beta}(1/2, (d-1)/2)`, :math:`\mathbb{E}\,t = 0`,
:math:`\mathbb{E}\,t^2 = 1/d`, and the two-sided tail is the regularised
incomplete beta function

.. math::

   P(|t| \ge \varepsilon) = I_{1-\varepsilon^2}\!\left(\tfrac{d-1}{2}, \tfrac12\right)
   \le 2\,e^{-d\varepsilon^2/2}.

As :math:`d \to \infty`, :math:`\sqrt{d}\,t` tends to a standard normal. The
chapter *Overlaps of random directions* derives all of this; the capacity
bound of the next chapter is built on :func:`overlap_tail`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import integrate, special

from ._backend import Backend, backend_of, get_backend
from ._validation import check_int, check_matrix, check_real_array

__all__ = [
    "random_directions",
    "overlap_pdf",
    "overlap_cdf",
    "overlap_tail",
    "overlap_log_tail",
    "overlap_tail_bound",
    "overlap_gaussian_tail",
    "coherence",
]


def random_directions(
    n: int,
    d: int,
    *,
    seed: Any = None,
    backend: str = "numpy",
    device: str = "auto",
    dtype: str | None = None,
) -> Any:
    """Draw ``n`` independent directions uniformly from the unit sphere of ``R^d``.

    Each row is a standard normal vector divided by its length, which is
    uniform on the sphere because the normal law is rotation invariant.

    Parameters
    ----------
    n : int
        Number of directions, ``n >= 1``.
    d : int
        Ambient dimension, ``d >= 1``.
    seed : None, int or numpy.random.Generator, optional
        Seed of the random generator; the same seed gives the same rows.
    backend : {"numpy", "torch"}, default "numpy"
        Array library of the result.
    device : {"auto", "cpu", "cuda", "mps"}, default "auto"
        Device for ``backend="torch"``; ``"auto"`` takes CUDA when present.
    dtype : {"float32", "float64"}, optional
        Defaults to float64 for NumPy and float32 for PyTorch.

    Returns
    -------
    numpy.ndarray or torch.Tensor, shape (n, d)
        Unit rows.

    See Also
    --------
    overlap_pdf : the law of the overlap of two such rows.

    Examples
    --------
    >>> U = random_directions(3, 5, seed=0)
    >>> U.shape
    (3, 5)
    >>> np.allclose(np.linalg.norm(U, axis=1), 1.0)
    True
    """
    n = check_int("n", n, minimum=1)
    d = check_int("d", d, minimum=1)
    be = get_backend(backend, device, dtype)
    gen = be.generator(seed)
    return be.normalise_rows(be.standard_normal((n, d), gen))


def _check_d(d: Any) -> int:
    return check_int("d", d, minimum=2)


def _log_norm_const(d: int) -> float:
    """Logarithm of the normalising constant of :func:`overlap_pdf`."""
    return float(
        special.gammaln(d / 2) - 0.5 * np.log(np.pi) - special.gammaln((d - 1) / 2)
    )


def _tail(t: np.ndarray, d: int) -> np.ndarray:
    """``P(|<u, v>| >= |t|)`` in ``R^d``, checked input: ``I_{1-t^2}((d-1)/2, 1/2)``."""
    return special.betainc((d - 1) / 2, 0.5, 1.0 - t * t)


def overlap_pdf(t: Any, d: int) -> np.ndarray:
    r"""Density of the overlap of two independent uniform unit vectors in ``R^d``.

    .. math:: f_d(t) = \frac{\Gamma(d/2)}{\sqrt{\pi}\,\Gamma((d-1)/2)}(1-t^2)^{(d-3)/2}

    Parameters
    ----------
    t : float or array_like
        Overlap values in ``[-1, 1]``.
    d : int
        Dimension, ``d >= 2``. For ``d = 2`` the density is infinite at
        ``t = +-1``; for ``d = 3`` it is uniform, ``1/2``.

    Returns
    -------
    numpy.ndarray
        The density at each ``t`` (a 0-d array for scalar input).

    References
    ----------
    The chapter *Overlaps of random directions*; :cite:t:`ball1997elementary`.

    Examples
    --------
    >>> round(float(overlap_pdf(0.3, 3)), 12)
    0.5
    >>> round(float(overlap_pdf(0.0, 100)), 4)  # close to sqrt(100 / (2 pi))
    3.9594
    """
    d = _check_d(d)
    t = check_real_array("t", t, low=-1.0, high=1.0)
    if d == 3:
        log_body = np.zeros_like(t)
    else:
        with np.errstate(divide="ignore"):
            log_body = 0.5 * (d - 3) * np.log1p(-t * t)
    return np.exp(_log_norm_const(d) + log_body)


def overlap_tail(eps: Any, d: int) -> np.ndarray:
    r"""Exact two-sided tail :math:`P(|\langle u, v\rangle| \ge \varepsilon)`, ``R^d``.

    Because :math:`t^2 \sim \mathrm{Beta}(1/2, (d-1)/2)`,

    .. math:: P(|t| \ge \varepsilon) = I_{1-\varepsilon^2}\!\left(\tfrac{d-1}{2},
       \tfrac12\right).

    Parameters
    ----------
    eps : float or array_like
        Thresholds in ``[0, 1]``.
    d : int
        Dimension, ``d >= 2``.

    Returns
    -------
    numpy.ndarray
        Probabilities in ``[0, 1]``. Values below about ``1e-308`` underflow to
        zero; use :func:`overlap_log_tail` for those.

    See Also
    --------
    overlap_tail_bound : the sub-Gaussian upper bound ``2 exp(-d eps^2 / 2)``.
    overlap_gaussian_tail : the large-``d`` normal approximation.

    Examples
    --------
    >>> round(float(overlap_tail(0.5, 3)), 12)  # uniform on [-1, 1] when d = 3
    0.5
    >>> bool(overlap_tail(0.2, 256) <= overlap_tail_bound(0.2, 256))
    True
    """
    d = _check_d(d)
    eps = check_real_array("eps", eps, low=0.0, high=1.0)
    return _tail(eps, d)


def _log_tail_quadrature(eps: float, d: int) -> float:
    """log P(|t| >= eps) by quadrature of the density, scaled to avoid underflow."""
    m = 0.5 * (d - 3)
    log_start = m * np.log1p(-eps * eps)

    def scaled(s: float) -> float:
        if s >= 1.0:  # the density vanishes at the end point
            return 0.0
        return float(np.exp(m * (np.log1p(-s * s) - np.log1p(-eps * eps))))

    width = min(1.0 - eps, 40.0 / max(m * eps, 1e-300))
    value, _ = integrate.quad(scaled, eps, eps + width, limit=200)
    return float(np.log(2.0) + _log_norm_const(d) + log_start + np.log(value))


def overlap_log_tail(eps: Any, d: int) -> np.ndarray:
    """Natural logarithm of :func:`overlap_tail`, accurate where the tail underflows.

    Parameters
    ----------
    eps : float or array_like
        Thresholds in ``[0, 1)``.
    d : int
        Dimension, ``d >= 2``.

    Returns
    -------
    numpy.ndarray
        ``log P(|t| >= eps)``; for tails above ``1e-300`` this is
        ``log(overlap_tail(eps, d))``, below it the density is integrated
        numerically after factoring out its value at ``eps``.

    Examples
    --------
    >>> float(overlap_log_tail(0.5, 100_000)) < -12_000
    True
    """
    d = _check_d(d)
    eps = check_real_array("eps", eps, low=0.0, high=1.0, high_open=True)
    tail = _tail(eps, d)
    with np.errstate(divide="ignore"):
        out = np.log(tail)
    small = tail < 1e-300
    if np.any(small):
        out = np.array(out, dtype=float)
        out[small] = [_log_tail_quadrature(float(e), d) for e in eps[small]]
    return out


def overlap_cdf(t: Any, d: int) -> np.ndarray:
    """Distribution function ``P(<u, v> <= t)`` of the overlap in ``R^d``.

    Parameters
    ----------
    t : float or array_like
        Values in ``[-1, 1]``.
    d : int
        Dimension, ``d >= 2``.

    Returns
    -------
    numpy.ndarray
        Probabilities; the law is symmetric, so ``overlap_cdf(0, d) = 0.5``.

    Examples
    --------
    >>> float(overlap_cdf(0.0, 10))
    0.5
    >>> round(float(overlap_cdf(0.5, 3)), 12)
    0.75
    """
    d = _check_d(d)
    t = check_real_array("t", t, low=-1.0, high=1.0)
    half_tail = 0.5 * _tail(t, d)
    return np.where(t >= 0, 1.0 - half_tail, half_tail)


def overlap_tail_bound(eps: Any, d: int) -> np.ndarray:
    r"""Sub-Gaussian bound :math:`\min(1, 2e^{-d\varepsilon^2/2})` on the overlap tail.

    Each spherical cap :math:`\{u : \langle u, v\rangle \ge \varepsilon\}` has
    normalised measure at most :math:`e^{-d\varepsilon^2/2}`
    :cite:p:`ball1997elementary`; the two caps give the factor 2.

    Parameters
    ----------
    eps : float or array_like
        Thresholds in ``[0, 1]``.
    d : int
        Dimension, ``d >= 2``.

    Returns
    -------
    numpy.ndarray
        An upper bound on :func:`overlap_tail`.

    Examples
    --------
    >>> round(float(overlap_tail_bound(0.1, 1000)), 6)
    0.013476
    """
    d = _check_d(d)
    eps = check_real_array("eps", eps, low=0.0, high=1.0)
    return np.minimum(1.0, 2.0 * np.exp(-0.5 * d * eps * eps))


def overlap_gaussian_tail(eps: Any, d: int) -> np.ndarray:
    r"""Large-``d`` approximation :math:`P(|Z| \ge \varepsilon\sqrt{d})`, ``Z`` normal.

    Parameters
    ----------
    eps : float or array_like
        Thresholds in ``[0, 1]``.
    d : int
        Dimension, ``d >= 2``.

    Returns
    -------
    numpy.ndarray
        ``erfc(eps * sqrt(d / 2))``.

    Examples
    --------
    >>> round(float(overlap_gaussian_tail(0.1, 100)), 4)  # P(|Z| >= 1)
    0.3173
    """
    d = _check_d(d)
    eps = check_real_array("eps", eps, low=0.0, high=1.0)
    return special.erfc(eps * np.sqrt(d / 2.0))


def unit_rows(U: Any, name: str = "U") -> tuple[Any, Backend]:
    """Scale each row of a checked 2-D array or tensor to unit length.

    Shared by every function that reads directions as rows (coherence, its
    prefixes, the frame potential, the effective dimension, the worst active
    set). Integer input becomes float64; tensors stay on their device. A zero
    row raises a :class:`ValueError` naming the parameter ``name``.

    Returns
    -------
    tuple
        The normalised rows, and the :class:`Backend` they live on.
    """
    be = backend_of(U)
    if be.name == "numpy":
        U = np.asarray(U, dtype=be.native_dtype if U.dtype.kind == "f" else float)
        norms = np.sqrt(np.einsum("ij,ij->i", U, U))
    else:
        if not U.is_floating_point():
            U = U.double()
        norms = U.norm(dim=1)
    if bool((norms == 0).any()):
        raise ValueError(f"{name} must have no zero rows, got a row of norm 0")
    return U / norms[:, None], be


def unit_rows_in_blocks(
    U: Any, block: int | None, *, min_rows: int
) -> tuple[Any, Backend, int]:
    """Check ``U`` and ``block`` for a blocked pass over the Gram matrix.

    Shared by :func:`coherence` and :func:`semconc.prefix_coherence`.
    The default ``block`` keeps each block of the Gram matrix at about 16
    million entries.

    Returns
    -------
    tuple
        The rows of ``U`` scaled to unit length (:func:`unit_rows`), the
        :class:`Backend` they live on, and the rows per block.
    """
    U = check_matrix("U", U, min_rows=min_rows)
    n = U.shape[0]
    if block is None:
        block = max(1, min(n, (1 << 24) // n))
    block = check_int("block", block, minimum=1)
    U, be = unit_rows(U)
    return U, be, block


def coherence(U: Any, *, block: int | None = None) -> float:
    r"""Largest absolute overlap :math:`\max_{i \ne j} |\langle u_i, u_j\rangle|`.

    Rows are normalised first. The Gram matrix is never formed: rows are
    taken ``block`` at a time and compared only with themselves and the rows
    after them (the upper triangle), so memory is ``O(block * n)`` and the
    arithmetic about half of one ``n x n`` matrix product.

    Parameters
    ----------
    U : numpy.ndarray or torch.Tensor, shape (n, d)
        Directions as rows, ``n >= 2``; no row may be zero. Tensors are
        processed on their own device and dtype.
    block : int, optional
        Rows per block, ``block >= 1``; the default keeps each block of the
        Gram matrix at about 16 million entries.

    Returns
    -------
    float
        The coherence, in ``[0, 1]``.

    See Also
    --------
    semconc.welch_bound : the smallest coherence any ``n`` unit vectors in
        ``R^d`` can have.

    Examples
    --------
    >>> coherence(np.eye(3))
    0.0
    >>> round(coherence([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]]), 6)
    0.707107
    """
    U, be, block = unit_rows_in_blocks(U, block, min_rows=2)
    n = U.shape[0]
    best = 0.0
    for start in range(0, n, block):
        stop = min(start + block, n)
        G = U[start:stop] @ U[start:].T
        # Column j of G is row start + j. Its leading square is symmetric, so
        # zeroing the diagonal (the self-overlaps) leaves only pairs i != j,
        # every pair of rows >= start among them; max |G| is read as
        # max(G.max(), -G.min()), which needs no copy of G.
        width = stop - start
        if be.name == "numpy":
            np.fill_diagonal(G[:, :width], 0.0)
            best = max(best, float(G.max()), -float(G.min()))
        else:
            G[:, :width].fill_diagonal_(0.0)
            low, high = G.aminmax()
            best = max(best, float(high), -float(low))
        del G  # free this block before the next one is allocated
    return min(best, 1.0)
