r"""Kinetic capacity: how many nearly orthogonal directions fit in ``R^d``.

A set of :math:`N` unit vectors is an :math:`\varepsilon`-*packing* when every
pairwise overlap satisfies :math:`|\langle u_i, u_j\rangle| < \varepsilon`.
This module computes both sides of the capacity bound
:math:`N < e^{c\,d\,\varepsilon^2}` of :cite:t:`svozil2025semantic`.

**Achievable side.** Write :math:`p = P(|t| \ge \varepsilon)` for the exact
overlap tail of two random directions (:func:`semconc.overlap_tail`). For
:math:`N` independent uniform directions the union bound over the
:math:`\binom N2` pairs gives

.. math:: P\bigl(\max_{i<j} |\langle u_i, u_j\rangle| \ge \varepsilon\bigr)
   \le \binom N2\, p,

so the **kinetic capacity** :math:`N_\delta(d, \varepsilon)`, the largest
:math:`N` with :math:`\binom N2 p \le \delta`, is reached by random directions
with probability at least :math:`1 - \delta` (:func:`kinetic_capacity`). With
the sub-Gaussian tail :math:`p \le 2e^{-d\varepsilon^2/2}` this implies the
closed-form envelope :math:`N_\delta \ge \sqrt{\delta}\, e^{d\varepsilon^2/4}`,
that is :math:`c = 1/4` (:func:`log_capacity_envelope`). A maximal packing
(one that cannot be extended) has at least :math:`1/p` directions, which
doubles the constant to :math:`c = 1/2` (:func:`log_greedy_capacity`).

**Largest overlap of random directions.** The overlaps of distinct pairs are
pairwise independent, so the number of pairs above :math:`\varepsilon` is
close to Poisson with mean :math:`\lambda = \binom N2 p`, and
:math:`P(\max < \varepsilon) \approx e^{-\lambda}` with an explicit Chen–Stein
error bound :cite:p:`arratia1989two` (:func:`max_overlap_cdf`).

**Converse side.** Welch's inequality :cite:p:`welch1974lower`, Gerzon's
bound on equiangular lines :cite:p:`lemmens1973equiangular`, and Alon's rank
lemma applied to Hadamard powers of the Gram matrix :cite:p:`alon2003problems`
(:func:`log_capacity_upper_bound`), which gives
:math:`\ln N \le C\, d\,\varepsilon^2 \ln(1/\varepsilon)`: the exponent
:math:`d\varepsilon^2` can move by at most a factor :math:`\ln(1/\varepsilon)`.
The Johnson–Lindenstrauss dimension of :cite:t:`dasgupta2003elementary` is
:func:`jl_min_dim`.

The chapter *The capacity bound* derives every formula used here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import optimize, special
from tqdm.auto import tqdm

from ._validation import (
    check_choice,
    check_int,
    check_real,
    check_real_array,
)
from .overlaps import overlap_log_tail, overlap_tail, unit_rows_in_blocks

__all__ = [
    "welch_bound",
    "kinetic_capacity",
    "log_kinetic_capacity",
    "kinetic_min_dim",
    "log_capacity_envelope",
    "log_greedy_capacity",
    "log_capacity_upper_bound",
    "alon_min_dim",
    "gerzon_bound",
    "jl_min_dim",
    "max_overlap_cdf",
    "max_overlap_poisson_error",
    "max_overlap_quantile",
    "prefix_coherence",
    "polynomial_code_directions",
]

# Integers up to 2**53 are exact in double precision; beyond, kinetic_capacity
# returns a float (see its Notes).
_EXACT_LIMIT = 2**53
_LOG_EXACT_LIMIT = 53 * math.log(2.0)
_LOG_FLOAT_MAX = math.log(np.finfo(float).max)


def welch_bound(n: int, d: int) -> float:
    r"""Welch's lower bound on the coherence of ``n`` unit vectors in ``R^d``.

    .. math:: \mu_{\mathrm{W}}(n, d) = \sqrt{\frac{n - d}{d\,(n - 1)}}
       \quad (n > d), \qquad 0 \quad (n \le d).

    Parameters
    ----------
    n : int
        Number of vectors, ``n >= 2``.
    d : int
        Dimension, ``d >= 1``.

    Returns
    -------
    float
        No set of ``n`` unit vectors in ``R^d`` has a smaller largest
        absolute overlap; for ``n <= d`` the bound is 0 (an orthonormal set).

    See Also
    --------
    log_capacity_upper_bound : the same inequality read as a bound on ``n``,
        strengthened by tensor powers.

    References
    ----------
    :cite:t:`welch1974lower`; the chapter *The capacity bound*.

    Examples
    --------
    >>> welch_bound(4, 3)  # the regular simplex in R^3: overlap 1/3
    0.3333333333333333
    >>> round(welch_bound(6, 3), 6)  # the icosahedron's diagonals: 1/sqrt(5)
    0.447214
    """
    n = check_int("n", n, minimum=2)
    d = check_int("d", d, minimum=1)
    if n <= d:
        return 0.0
    return float(np.sqrt((n - d) / (d * (n - 1))))


def _check_delta(delta: Any) -> float:
    return check_real("delta", delta, low=0.0, high=1.0, low_open=True, high_open=True)


def _log_root(log_m: np.ndarray) -> np.ndarray:
    r"""``log x`` for the root ``x = (1 + sqrt(1 + 4M)) / 2`` of ``x (x - 1) = M``.

    Computed from ``log M`` without overflow: for ``M >= 1`` it is
    ``log M / 2 + log((h + sqrt(h^2 + 4)) / 2)`` with ``h = M^{-1/2}``.
    """
    log_m = np.asarray(log_m, dtype=float)
    out = np.empty_like(log_m)
    small = log_m < 0.0
    m = np.exp(log_m[small])
    out[small] = np.log((1.0 + np.sqrt(1.0 + 4.0 * m)) / 2.0)
    big = ~small
    h = np.exp(-0.5 * log_m[big])
    out[big] = 0.5 * log_m[big] + np.log((h + np.sqrt(h * h + 4.0)) / 2.0)
    return out


def log_kinetic_capacity(d: int, eps: Any, *, delta: float = 0.5) -> np.ndarray:
    r"""Natural logarithm of the real-valued kinetic capacity, for any size.

    The union bound guarantees all overlaps of ``N`` random directions below
    ``eps`` with probability at least ``1 - delta`` as long as
    :math:`N(N-1)/2 \cdot p \le \delta`, :math:`p = P(|t| \ge \varepsilon)`.
    The largest real ``N`` allowed is the root

    .. math:: x^\ast = \tfrac12\Bigl(1 + \sqrt{1 + 8\delta/p}\Bigr),

    and :func:`kinetic_capacity` is :math:`\lfloor x^\ast\rfloor`. This
    function returns :math:`\ln x^\ast`, computed from
    :func:`semconc.overlap_log_tail` so that it stays finite when ``N`` is far
    beyond the floating-point range.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 2``.
    eps : float or array_like
        Overlap bound(s) in ``[0, 1)``.
    delta : float, default 0.5
        Allowed failure probability, in ``(0, 1)``.

    Returns
    -------
    numpy.ndarray
        :math:`\ln x^\ast`, same shape as ``eps`` (0-d for a scalar).

    See Also
    --------
    kinetic_capacity : the integer capacity.
    log_capacity_envelope : the closed-form lower bound ``d eps^2/4 + ln(delta)/2``.

    References
    ----------
    The chapter *The capacity bound*, theorem *Kinetic capacity of random
    directions*.

    Examples
    --------
    >>> round(float(log_kinetic_capacity(1024, 0.2)), 4)
    11.4922
    >>> round(float(log_kinetic_capacity(100_000, 0.2)), 1)  # N near 10^444
    1022.7
    """
    d = check_int("d", d, minimum=2)
    eps = check_real_array("eps", eps, low=0.0, high=1.0, high_open=True)
    delta = _check_delta(delta)
    log_p = overlap_log_tail(eps, d)
    return _log_root(np.log(2.0 * delta) - log_p)


def kinetic_capacity(d: int, eps: float, *, delta: float = 0.5) -> int | float:
    r"""Largest ``N`` random directions that form an ``eps``-packing w.p. ``1 - delta``.

    The guarantee is the union bound with the exact overlap tail
    :math:`p = P(|t| \ge \varepsilon)` (:func:`semconc.overlap_tail`): the
    result is the largest integer ``N`` with

    .. math:: \binom N2\, p \le \delta,

    so that ``N`` independent uniform directions in ``R^d`` have every
    pairwise overlap below ``eps`` with probability at least ``1 - delta``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 2``.
    eps : float
        Overlap bound in ``[0, 1)``.
    delta : float, default 0.5
        Allowed failure probability, in ``(0, 1)``.

    Returns
    -------
    int or float
        An ``int`` when the capacity is at most ``2**53``: then it is exact,
        checked in rational arithmetic against the double-precision value of
        ``p``. Above ``2**53`` a ``float`` ``exp(log_kinetic_capacity(...))``
        (``math.inf`` beyond about ``1.8e308``); use
        :func:`log_kinetic_capacity` there.

    Notes
    -----
    The integer is exact for the tail *as computed*: SciPy's incomplete beta
    function carries a relative error near ``1e-15``, which moves the real
    root by the same relative amount, so only capacities within that
    distance of an integer could round differently. Beyond ``2**53`` the
    trailing digits of an integer answer would be rounding noise, which is why
    a float is returned instead. Always ``kinetic_capacity >= 1``: one
    direction has no pairs.

    See Also
    --------
    log_kinetic_capacity, log_capacity_envelope, max_overlap_cdf

    References
    ----------
    The chapter *The capacity bound*; :cite:t:`vershynin2018high` for the
    union bound and concentration on the sphere.

    Examples
    --------
    >>> kinetic_capacity(256, 0.2)
    28
    >>> kinetic_capacity(1024, 0.2)
    97953
    >>> kinetic_capacity(1024, 0.2, delta=0.01)
    13853
    >>> kinetic_capacity(4096, 0.3) > 2**53  # returned as a float
    True
    """
    log_x = float(log_kinetic_capacity(d, eps, delta=delta))
    if log_x > _LOG_EXACT_LIMIT + 1e-9:
        return math.exp(log_x) if log_x < _LOG_FLOAT_MAX else math.inf
    delta = float(delta)
    n = max(1, int(math.floor(math.exp(log_x))))
    p = float(overlap_tail(eps, d))
    if p < np.finfo(float).tiny:
        # The tail underflows: decide in logarithms (only when delta is tiny).
        log_p = float(overlap_log_tail(eps, d))

        def allowed(k: int) -> bool:
            return k < 2 or math.log(k * (k - 1) / 2) + log_p <= math.log(delta)
    else:
        p_exact, two_delta = Fraction(p), 2 * Fraction(delta)

        def allowed(k: int) -> bool:
            return k * (k - 1) * p_exact <= two_delta

    while n + 1 <= _EXACT_LIMIT and allowed(n + 1):
        n += 1
    while n > 1 and not allowed(n):
        n -= 1
    return n


def _least_fitting(fits: Callable[[int], bool], lo: int, hi: int) -> int:
    """Smallest ``d`` in ``[lo, hi]`` with ``fits(d)``, by bisection.

    ``fits`` must be monotone (false, then true) and ``fits(hi)`` true.
    """
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def kinetic_min_dim(n: int, eps: float, *, delta: float = 0.5) -> int:
    r"""Smallest ``d`` whose kinetic capacity holds ``n`` random directions.

    The smallest dimension ``d >= 2`` with
    ``kinetic_capacity(d, eps, delta=delta) >= n``: in it, ``n`` independent
    uniform directions have every overlap below ``eps`` with probability at
    least ``1 - delta`` by the union bound. Roughly
    :math:`d \approx 4 \ln n / (-\ln(1 - \varepsilon^2))`.

    Parameters
    ----------
    n : int
        Number of directions, ``n >= 1``.
    eps : float
        Overlap bound in ``(0, 1)``.
    delta : float, default 0.5
        Allowed failure probability, in ``(0, 1)``.

    Returns
    -------
    int
        The dimension (2 when ``n`` is so small that any ``d`` works).

    See Also
    --------
    alon_min_dim : the dimension below which no packing of ``n`` exists.
    jl_min_dim : the Johnson–Lindenstrauss dimension.

    References
    ----------
    The chapter *The capacity bound*.

    Examples
    --------
    >>> kinetic_min_dim(10**6, 0.1)
    5061
    >>> kinetic_capacity(5061, 0.1) >= 10**6 > kinetic_capacity(5060, 0.1)
    True
    """
    n = check_int("n", n, minimum=1)
    eps = check_real("eps", eps, low=0.0, high=1.0, low_open=True, high_open=True)
    delta = _check_delta(delta)

    def fits(d: int) -> bool:
        return kinetic_capacity(d, eps, delta=delta) >= n

    lo, hi = 2, 2
    while not fits(hi):
        lo, hi = hi + 1, 2 * hi
    return _least_fitting(fits, lo, hi)


def log_capacity_envelope(d: int, eps: Any, *, delta: float = 0.5) -> np.ndarray:
    r"""Closed-form lower bound ``d eps^2/4 + ln(delta)/2`` on the log kinetic capacity.

    With the sub-Gaussian tail :math:`p \le 2 e^{-d\varepsilon^2/2}`
    (:func:`semconc.overlap_tail_bound`), any
    :math:`N \le \sqrt{\delta}\, e^{d\varepsilon^2/4}` satisfies
    :math:`\binom N2 p < \tfrac{N^2}{2} \cdot 2e^{-d\varepsilon^2/2} \le \delta`,
    so

    .. math:: N_\delta(d, \varepsilon) \ge
       \bigl\lfloor \sqrt{\delta}\; e^{d\varepsilon^2/4} \bigr\rfloor,

    the paper's bound with :math:`c = 1/4`. With ``delta`` close to 1 this is
    the existence statement "``exp(d eps^2/4)`` directions fit".

    Parameters
    ----------
    d : int
        Dimension, ``d >= 2``.
    eps : float or array_like
        Overlap bound(s) in ``[0, 1]``.
    delta : float, default 0.5
        Allowed failure probability, in ``(0, 1)``.

    Returns
    -------
    numpy.ndarray
        :math:`d\varepsilon^2/4 + \tfrac12 \ln\delta`, same shape as ``eps``.

    References
    ----------
    The chapter *The capacity bound*; :cite:t:`ball1997elementary` for the
    cap bound behind the tail.

    Examples
    --------
    >>> round(float(log_capacity_envelope(1024, 0.2)), 4)
    9.8934
    >>> bool(log_capacity_envelope(1024, 0.2) <= log_kinetic_capacity(1024, 0.2))
    True
    """
    d = check_int("d", d, minimum=2)
    eps = check_real_array("eps", eps, low=0.0, high=1.0)
    delta = _check_delta(delta)
    return 0.25 * d * eps * eps + 0.5 * math.log(delta)


def log_greedy_capacity(d: int, eps: Any) -> np.ndarray:
    r"""Log of ``1 / P(|t| >= eps)``, a size every maximal ``eps``-packing reaches.

    If no direction can be added to a packing :math:`u_1, \dots, u_N` without
    creating an overlap of at least :math:`\varepsilon`, the double caps
    :math:`\{x : |\langle x, u_i\rangle| \ge \varepsilon\}` cover the sphere;
    each has measure :math:`p = P(|t| \ge \varepsilon)`, so :math:`Np \ge 1`.
    Adding directions greedily therefore reaches

    .. math:: N \ge 1 / p \ge \tfrac12 e^{d\varepsilon^2/2},

    the paper's bound with :math:`c = 1/2`: the square root the union bound
    loses is recovered by choosing the directions instead of drawing them.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 2``.
    eps : float or array_like
        Overlap bound(s) in ``[0, 1)``.

    Returns
    -------
    numpy.ndarray
        :math:`-\ln P(|t| \ge \varepsilon)`, same shape as ``eps``.

    References
    ----------
    The chapter *The capacity bound*, theorem *Maximal packings*.

    Examples
    --------
    >>> round(float(log_greedy_capacity(1024, 0.2)), 3)
    22.984
    """
    d = check_int("d", d, minimum=2)
    eps = check_real_array("eps", eps, low=0.0, high=1.0, high_open=True)
    return -overlap_log_tail(eps, d)


def _log_sym_dim(d: int, k: np.ndarray) -> np.ndarray:
    """log C(d + k - 1, k), the dimension of the symmetric k-th tensor power of R^d."""
    return special.gammaln(d + k) - special.gammaln(k + 1.0) - special.gammaln(d)


def _log_upper_one(d: int, eps: float) -> tuple[float, int]:
    """Best (log bound, power k) of the Hadamard-power rank argument."""
    if eps == 0.0:
        return math.log(d), 1
    log_e2 = 2.0 * math.log(eps)

    def log_a(k: float) -> float:  # log of D_k eps^(2k), concave in k
        return float(_log_sym_dim(d, np.float64(k))) + k * log_e2

    # Powers with D_k eps^(2k) >= 1 give nothing. By concavity they form an
    # interval [1, first); find its end by doubling and bisection.
    first = 1
    if log_a(1) >= 0.0:
        lo, hi = 1, 2
        while log_a(hi) >= 0.0:
            lo, hi = hi, 2 * hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if log_a(mid) >= 0.0 else (lo, mid)
        first = hi
    best, best_k = math.inf, 0
    start, stop = first, first + 63
    while True:
        k = np.arange(start, stop + 1, dtype=float)
        log_dim = _log_sym_dim(d, k)
        log_a = log_dim + k * log_e2
        valid = log_a < 0.0
        if np.any(valid):
            kv, ld, la = k[valid], log_dim[valid], log_a[valid]
            log_h = ld + np.log1p(-np.exp(kv * log_e2)) - np.log1p(-np.exp(la))
            i = int(np.argmin(log_h))
            if log_h[i] < best:
                best, best_k = float(log_h[i]), int(kv[i])
        # Every bound at a larger power is at least its dimension, which grows.
        if log_dim[-1] >= best:
            return best, best_k
        start, stop = stop + 1, stop + 2 * (stop - start + 1)


def log_capacity_upper_bound(d: int, eps: Any, *, return_power: bool = False) -> Any:
    r"""Log of an upper bound on any ``eps``-packing in ``R^d`` (Alon's rank argument).

    Let :math:`u_1, \dots, u_N \in \mathbb{R}^d` be unit vectors with
    :math:`|\langle u_i, u_j\rangle| \le \varepsilon`. For each
    :math:`k \ge 1` the tensor powers :math:`u_i^{\otimes k}` are unit vectors
    in the symmetric power of dimension :math:`D_k = \binom{d+k-1}{k}` with
    overlaps at most :math:`\varepsilon^k`, and the rank lemma
    :math:`\operatorname{rank} B \ge N / (1 + (N-1)\max_{i \ne j} b_{ij}^2)`
    for a symmetric :math:`B` with unit diagonal :cite:p:`alon2003problems`
    gives, whenever :math:`D_k \varepsilon^{2k} < 1`,

    .. math:: N \le \frac{D_k\,(1 - \varepsilon^{2k})}{1 - D_k\,\varepsilon^{2k}}.

    The result is the logarithm of the smallest of these bounds over all
    :math:`k`. For :math:`k = 1` it is Welch's bound
    (:func:`welch_bound`), which is also the relative bound of
    :cite:t:`lemmens1973equiangular`; large :math:`k` gives Alon's
    :math:`d \ge c \ln N / (\varepsilon^2 \ln(1/\varepsilon))`.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.
    eps : float or array_like
        Overlap bound(s) in ``[0, 1)``.
    return_power : bool, default False
        Also return the power ``k`` that gives the bound.

    Returns
    -------
    numpy.ndarray, or (numpy.ndarray, numpy.ndarray)
        Natural log of the largest ``N`` the argument allows (same shape as
        ``eps``), and with ``return_power`` the optimal ``k``.

    Notes
    -----
    The bound is rigorous but not sharp: between it and the achievable
    :func:`log_greedy_capacity` lies a gap of a factor about
    :math:`\ln(1/\varepsilon)` in the exponent, which no known argument closes
    for all ``eps``.

    References
    ----------
    :cite:t:`alon2003problems` (rank lemma and tensor-power argument);
    the chapter *The capacity bound*.

    Examples
    --------
    >>> round(float(np.exp(log_capacity_upper_bound(3, 0.1))), 6)  # Welch, k = 1
    3.061856
    >>> bound, k = log_capacity_upper_bound(1024, 0.2, return_power=True)
    >>> round(float(bound), 2), int(k)
    (369.9, 115)
    """
    d = check_int("d", d, minimum=1)
    eps = check_real_array("eps", eps, low=0.0, high=1.0, high_open=True)
    flat = [_log_upper_one(d, float(e)) for e in eps.ravel()]
    bound = np.array([b for b, _ in flat], dtype=float).reshape(eps.shape)
    if not return_power:
        return bound
    power = np.array([k for _, k in flat], dtype=int).reshape(eps.shape)
    return bound, power


def alon_min_dim(n: int, eps: float) -> int:
    r"""Smallest dimension in which ``n`` directions with overlaps ``<= eps`` may exist.

    The smallest ``d`` for which :func:`log_capacity_upper_bound` does not
    exclude ``n`` unit vectors with all :math:`|\langle u_i, u_j\rangle| \le
    \varepsilon`. Every ``eps``-packing of ``n`` directions needs at least this
    many dimensions; it grows like Alon's

    .. math:: d \ge c\, \frac{\ln n}{\varepsilon^2 \ln(1/\varepsilon)}.

    Parameters
    ----------
    n : int
        Number of directions, ``n >= 1``.
    eps : float
        Overlap bound in ``[0, 1)``.

    Returns
    -------
    int
        A dimension in ``[1, n]`` (``n`` orthonormal vectors always fit in
        ``R^n``).

    References
    ----------
    :cite:t:`alon2003problems`; the chapter *The capacity bound*.

    Examples
    --------
    >>> alon_min_dim(10, 0.0)  # orthogonal directions: d >= n
    10
    >>> alon_min_dim(10**6, 0.1)
    144
    """
    n = check_int("n", n, minimum=1)
    eps = check_real("eps", eps, low=0.0, high=1.0, high_open=True)
    log_n = math.log(n)

    def fits(d: int) -> bool:
        return _log_upper_one(d, eps)[0] >= log_n - 1e-12

    # A dimension where a maximal packing already holds n directions (or n
    # itself, where n orthonormal directions fit) bounds the answer above.
    hi = 2
    while hi < n and float(-overlap_log_tail(eps, hi)) < log_n:
        hi *= 2
    return _least_fitting(fits, 1, min(hi, n))


def gerzon_bound(d: int) -> int:
    r"""Gerzon's bound ``d (d + 1) / 2`` on the number of equiangular lines in ``R^d``.

    If unit vectors :math:`u_1, \dots, u_N` satisfy
    :math:`|\langle u_i, u_j\rangle| = \alpha < 1` for all :math:`i \ne j`,
    the matrices :math:`u_i u_i^\top` are linearly independent in the
    :math:`d(d+1)/2`-dimensional space of symmetric matrices (their Gram
    matrix :math:`(1 - \alpha^2) I + \alpha^2 J` is positive definite), so
    :math:`N \le d(d+1)/2`.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.

    Returns
    -------
    int
        ``d * (d + 1) // 2``; attained for ``d = 2, 3, 7, 23``.

    References
    ----------
    :cite:t:`lemmens1973equiangular`; the chapter *The capacity bound*.

    Examples
    --------
    >>> gerzon_bound(3)  # the six diagonals of the icosahedron
    6
    >>> gerzon_bound(7)
    28
    """
    d = check_int("d", d, minimum=1)
    return d * (d + 1) // 2


def jl_min_dim(n: int, eps: float) -> int:
    r"""Dasgupta–Gupta dimension of a ``(1 +- eps)`` Johnson–Lindenstrauss embedding.

    .. math:: k \ge \frac{4 \ln n}{\varepsilon^2/2 - \varepsilon^3/3}

    suffices for a random projection of any ``n`` points to preserve all
    squared distances within a factor :math:`1 \pm \varepsilon` (with
    positive probability).

    Parameters
    ----------
    n : int
        Number of points, ``n >= 1``.
    eps : float
        Distortion, in ``(0, 1)``.

    Returns
    -------
    int
        The smallest integer ``k`` satisfying the inequality (scikit-learn's
        ``johnson_lindenstrauss_min_dim`` truncates the same number, so the
        two differ by at most one).

    References
    ----------
    :cite:t:`dasgupta2003elementary`, :cite:t:`johnson1984extensions`; the
    chapter *The capacity bound*.

    Examples
    --------
    >>> jl_min_dim(10**6, 0.1)
    11842
    >>> jl_min_dim(1, 0.5)
    0
    """
    n = check_int("n", n, minimum=1)
    eps = check_real("eps", eps, low=0.0, high=1.0, low_open=True, high_open=True)
    return int(math.ceil(4.0 * math.log(n) / (eps**2 / 2.0 - eps**3 / 3.0)))


def _log_pair_count(n: int) -> float:
    """log C(n, 2), finite for any Python integer n >= 2."""
    return math.log(n) + math.log(n - 1) - math.log(2.0)


def _log_lambda(eps: np.ndarray, n: int, d: int) -> np.ndarray:
    """log of the expected number of pairs with |t| >= eps among n directions."""
    return _log_pair_count(n) + overlap_log_tail(eps, d)


_MAX_OVERLAP_METHODS = ("poisson", "union", "bonferroni")


def max_overlap_cdf(eps: Any, n: int, d: int, *, method: str = "poisson") -> np.ndarray:
    r"""Law of the largest overlap :math:`M = \max_{i<j}|\langle u_i, u_j\rangle|`.

    For ``n`` independent uniform directions in ``R^d`` let
    :math:`p = P(|t| \ge \varepsilon)` and :math:`\lambda = \binom n2 p`, the
    expected number of pairs at or above ``eps``. Overlaps of distinct pairs
    are pairwise independent (two pairs that share a direction are
    independent given it, and their law does not depend on it), which gives

    * ``"union"``: :math:`P(M < \varepsilon) \ge 1 - \lambda` (exact bound);
    * ``"bonferroni"``: :math:`P(M < \varepsilon) \le 1 - \lambda +
      \binom{m}{2} p^2`, :math:`m = \binom n2` (exact bound);
    * ``"poisson"``: :math:`P(M < \varepsilon) \approx e^{-\lambda}`, off by
      at most :func:`max_overlap_poisson_error` (Chen–Stein).

    Parameters
    ----------
    eps : float or array_like
        Thresholds in ``[0, 1)``.
    n : int
        Number of directions, ``n >= 2``.
    d : int
        Dimension, ``d >= 2``.
    method : {"poisson", "union", "bonferroni"}, default "poisson"
        Which of the three to return.

    Returns
    -------
    numpy.ndarray
        :math:`P(M < \varepsilon)` (or its bound), clipped to ``[0, 1]``.

    References
    ----------
    :cite:t:`arratia1989two` for the Chen–Stein bound;
    :cite:t:`cai2013distributions` for the limit law of :math:`M`; the chapter
    *The capacity bound*.

    Examples
    --------
    >>> round(float(max_overlap_cdf(0.18, 10_000, 1024)), 4)
    0.7224
    >>> lo = max_overlap_cdf(0.18, 10_000, 1024, method="union")
    >>> hi = max_overlap_cdf(0.18, 10_000, 1024, method="bonferroni")
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.6748, 0.7277)
    """
    eps = check_real_array("eps", eps, low=0.0, high=1.0, high_open=True)
    n = check_int("n", n, minimum=2)
    d = check_int("d", d, minimum=2)
    method = check_choice("method", method, _MAX_OVERLAP_METHODS)
    lam = np.exp(_log_lambda(eps, n, d))
    if method == "poisson":
        return np.exp(-lam)
    if method == "union":
        return np.clip(1.0 - lam, 0.0, 1.0)
    p = np.exp(overlap_log_tail(eps, d))
    # C(m, 2) p^2 = lam^2 / 2 - lam p / 2
    return np.clip(1.0 - lam + 0.5 * lam * (lam - p), 0.0, 1.0)


def max_overlap_poisson_error(eps: Any, n: int, d: int) -> np.ndarray:
    r"""Chen–Stein bound on :math:`|P(M < \varepsilon) - e^{-\lambda}|`.

    With the dependency neighbourhood of a pair taken as the pairs sharing a
    direction (events outside it are independent of it), Theorem 1 of
    :cite:t:`arratia1989two` gives :math:`b_3 = 0`,
    :math:`b_1 = m(2n-3)p^2` and, by pairwise independence,
    :math:`b_2 = m(2n-4)p^2`, hence

    .. math:: \bigl|P(M < \varepsilon) - e^{-\lambda}\bigr|
       \le (b_1 + b_2)\frac{1 - e^{-\lambda}}{\lambda}
       = (4n - 7)\, p\, (1 - e^{-\lambda}).

    Near the median of :math:`M`, :math:`p \approx 1.4/n^2`, so the Poisson
    law is off by at most about :math:`2.8/n`.

    Parameters
    ----------
    eps : float or array_like
        Thresholds in ``[0, 1)``.
    n : int
        Number of directions, ``n >= 2``.
    d : int
        Dimension, ``d >= 2``.

    Returns
    -------
    numpy.ndarray
        The bound, same shape as ``eps``.

    References
    ----------
    :cite:t:`arratia1989two`; the chapter *The capacity bound*.

    Examples
    --------
    >>> eps = max_overlap_quantile(0.5, 10_000, 1024)
    >>> float(max_overlap_poisson_error(eps, 10_000, 1024)) < 6e-4
    True
    """
    eps = check_real_array("eps", eps, low=0.0, high=1.0, high_open=True)
    n = check_int("n", n, minimum=2)
    d = check_int("d", d, minimum=2)
    log_p = overlap_log_tail(eps, d)
    lam = np.exp(_log_pair_count(n) + log_p)
    return np.exp(math.log(4 * n - 7) + log_p) * -np.expm1(-lam)


def _tail_inverse(log_p: float, d: int) -> float:
    """The eps in [0, 1) with log P(|t| >= eps) = log_p (log_p <= 0)."""
    if log_p >= 0.0:
        return 0.0
    if log_p > -700.0:
        x = float(special.betaincinv((d - 1) / 2.0, 0.5, math.exp(log_p)))
        return math.sqrt(max(0.0, 1.0 - x))
    # The quadrature behind overlap_log_tail touches t = 1, where the
    # integrand's logarithm is -inf (harmlessly): silence that warning.
    with np.errstate(divide="ignore"):
        return float(
            optimize.brentq(
                lambda e: float(overlap_log_tail(e, d)) - log_p,
                0.0,
                1.0 - 1e-15,
                xtol=1e-15,
            )
        )


def max_overlap_quantile(q: Any, n: int, d: int) -> np.ndarray:
    r"""Quantiles of the largest overlap of ``n`` random directions (Poisson law).

    Solves :math:`e^{-\lambda(\varepsilon)} = q` with
    :math:`\lambda(\varepsilon) = \binom n2 P(|t| \ge \varepsilon)`, that is
    :math:`P(|t| \ge \varepsilon) = -\ln q / \binom n2`, by inverting the
    exact tail (:func:`scipy.special.betaincinv`, or root finding on
    :func:`semconc.overlap_log_tail` far out).

    Parameters
    ----------
    q : float or array_like
        Probabilities in ``(0, 1)``.
    n : int
        Number of directions, ``n >= 2``.
    d : int
        Dimension, ``d >= 2``.

    Returns
    -------
    numpy.ndarray
        The ``eps`` with :math:`P(M < \varepsilon) \approx q`, same shape as
        ``q``; exact up to :func:`max_overlap_poisson_error`.

    References
    ----------
    The chapter *The capacity bound*.

    Examples
    --------
    >>> round(float(max_overlap_quantile(0.5, 10_000, 1024)), 4)  # the median
    0.1761
    """
    q = check_real_array("q", q, low=0.0, high=1.0, low_open=True, high_open=True)
    n = check_int("n", n, minimum=2)
    d = check_int("d", d, minimum=2)
    log_m = _log_pair_count(n)
    out = [_tail_inverse(math.log(-math.log(v)) - log_m, d) for v in q.ravel()]
    return np.array(out, dtype=float).reshape(q.shape)


def prefix_coherence(
    U: Any, *, block: int | None = None, progress: bool = False
) -> np.ndarray:
    r"""Coherence of every prefix ``U[:k]``: the running largest overlap.

    ``out[k - 1]`` is :math:`\max_{i<j<k} |\langle u_i, u_j\rangle|` (rows
    normalised), so one pass over ``n`` random directions yields the largest
    overlap among the first ``k`` of them for every ``k <= n``. Rows are
    compared ``block`` at a time with the rows before them; memory is
    ``O(block * n)`` and the work is that of :func:`semconc.coherence`.

    Parameters
    ----------
    U : numpy.ndarray or torch.Tensor, shape (n, d)
        Directions as rows, ``n >= 1``; no row may be zero. Tensors are
        processed on their own device and dtype.
    block : int, optional
        Rows per block, ``block >= 1``; by default each block of the Gram
        matrix has about 16 million entries.
    progress : bool, default False
        Show a progress bar over the blocks.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Non-decreasing; ``out[0] = 0`` and ``out[-1]`` equals
        ``semconc.coherence(U)``.

    References
    ----------
    The chapter *The capacity bound*.

    Examples
    --------
    >>> prefix_coherence([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]).round(4)
    array([0.    , 0.    , 0.7071])
    """
    U, be, block = unit_rows_in_blocks(U, block, min_rows=1)
    n = U.shape[0]
    row_max = np.zeros(n)
    starts = range(0, n, block)
    for start in tqdm(starts, disable=not progress, desc="prefix coherence"):
        stop = min(start + block, n)
        G = U[start:stop] @ U[:stop].T
        if be.name == "numpy":
            G = np.abs(G)
            square = np.tril(G[:, start:], k=-1)
            best = square.max(axis=1)
            if start > 0:
                best = np.maximum(best, G[:, :start].max(axis=1))
            row_max[start:stop] = best
        else:
            G = G.abs()
            G[:, start:] = G[:, start:].tril(diagonal=-1)
            row_max[start:stop] = G.max(dim=1).values.double().cpu().numpy()
    return np.minimum(np.maximum.accumulate(row_max), 1.0)


def polynomial_code_directions(q: int, degree: int) -> np.ndarray:
    r"""``q**(degree + 1)`` directions in ``R^(q*q)`` from polynomials over ``F_q``.

    For every polynomial :math:`P` of degree at most ``degree`` over the
    field of ``q`` elements (``q`` prime), the direction :math:`v_P` has
    entry :math:`q^{-1/2}` at coordinate :math:`(x, P(x))` for each
    :math:`x \in \mathbb{F}_q` and 0 elsewhere. Two distinct polynomials of
    degree at most ``degree`` agree in at most ``degree`` points, so

    .. math:: 0 \le \langle v_P, v_Q\rangle \le \frac{\mathrm{degree}}{q},

    an explicit packing of :math:`N = q^{\mathrm{degree}+1}` directions in
    dimension :math:`d = q^2` (a Reed–Solomon code written as unit vectors).
    For small :math:`\varepsilon\sqrt d` it is far larger than the kinetic
    capacity of random directions, which shows that the capacity exponent
    is not universal.

    Parameters
    ----------
    q : int
        A prime, ``2 <= q <= 101``.
    degree : int
        Largest polynomial degree, ``0 <= degree < q``; the result has
        ``q**(degree + 1)`` rows, at most ``2**22``.

    Returns
    -------
    numpy.ndarray, shape (q**(degree + 1), q*q)
        Unit rows with coherence ``degree / q``.

    References
    ----------
    The chapter *The capacity bound*.

    Examples
    --------
    >>> V = polynomial_code_directions(5, 1)
    >>> V.shape
    (25, 25)
    >>> from semconc import coherence
    >>> round(coherence(V), 6)
    0.2
    """
    q = check_int("q", q, minimum=2, maximum=101)
    if any(q % f == 0 for f in range(2, int(math.isqrt(q)) + 1)):
        raise ValueError(f"q must be a prime in [2, 101], got {q}")
    degree = check_int("degree", degree, minimum=0, maximum=q - 1)
    if q ** (degree + 1) > 2**22:
        raise ValueError(
            f"q**(degree + 1) must be at most 2**22 rows, got {q}**{degree + 1}"
        )
    coeffs = np.array(
        np.unravel_index(np.arange(q ** (degree + 1)), (q,) * (degree + 1))
    )
    x = np.arange(q)
    powers = np.array([x**j % q for j in range(degree + 1)])  # (degree + 1, q)
    values = (coeffs.T @ powers) % q  # (N, q): P(x) for each polynomial
    V = np.zeros((values.shape[0], q * q))
    rows = np.repeat(np.arange(values.shape[0]), q)
    V[rows, (x * q + values).ravel()] = 1.0 / math.sqrt(q)
    return V
