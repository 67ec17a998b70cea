r"""Packing nearly orthogonal directions: coherence as small as the geometry allows.

Given :math:`n` unit vectors :math:`u_1, \dots, u_n \in \mathbb{R}^d`, their
*coherence* is :math:`\mu = \max_{i \ne j} |\langle u_i, u_j\rangle|`
(:func:`semconc.coherence`). This module looks for configurations with small
coherence and collects the ones whose optimum is known.

Lower bounds. The frame potential :math:`\mathrm{FP} = \sum_{i,j}
\langle u_i, u_j\rangle^2 = \lVert U^\top U\rVert_F^2` is at least
:math:`n^2/d`, with equality exactly for tight frames
:cite:p:`benedetto2003finite`; averaging over the :math:`n(n-1)` off-diagonal
pairs gives Welch's bound :cite:p:`welch1974lower`

.. math:: \mu^2 \ge \frac{n - d}{d\,(n - 1)},

attained exactly by equiangular tight frames (ETFs). At most
:math:`d(d+1)/2` equiangular lines fit in :math:`\mathbb{R}^d` (Gerzon's bound,
:cite:t:`lemmens1973equiangular`), and beyond that count every configuration
has :math:`\mu \ge 1/\sqrt{d}` (the orthoplex bound of
:cite:t:`conway1996packing`). :func:`coherence_lower_bound` returns the larger
of the two.

Upper bounds, by construction. :func:`pack_directions` minimises a smooth
maximum of the squared overlaps by Riemannian gradient steps on the product
of spheres, with many restarts at once. Configurations with a known optimum:
the regular simplex (:func:`simplex_directions`), equally spaced lines in the
plane (:func:`planar_lines`), the six diagonals of the icosahedron
(:func:`icosahedron_diagonals`), the seven axes and diagonals of the cube
(:func:`cube_lines`), the 28 equiangular lines in :math:`\mathbb{R}^7`
(:func:`equiangular_28_lines`), the Steiner ETFs of
:cite:t:`fickus2012steiner` (:func:`steiner_etf`) and the lines through the
roots of :math:`A_2, D_3, D_4, D_5, E_6, E_7, E_8`
(:func:`root_system_lines`), the largest known sets of lines at overlap at
most :math:`1/2` in dimensions 2 to 8.

The chapter *Packing nearly orthogonal directions* compares them with random
directions and asks whether choosing the directions changes the exponent of
the capacity bound or only its constant.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from scipy.linalg import hadamard, null_space
from tqdm.auto import tqdm

from ._backend import Backend, get_backend, to_numpy
from ._validation import check_bool, check_int, check_matrix, check_real
from .capacity import gerzon_bound, welch_bound
from .overlaps import coherence, unit_rows

__all__ = [
    "PackingResult",
    "pack_directions",
    "packed_capacity",
    "frame_potential",
    "coherence_lower_bound",
    "simplex_directions",
    "planar_lines",
    "icosahedron_diagonals",
    "cube_lines",
    "equiangular_28_lines",
    "steiner_etf",
    "root_system_lines",
]

# The sharpness of the smooth maximum grows geometrically from this value to
# the requested final one; the step size decays by this factor (cosine).
_SHARPNESS_START = 2.0
_LR_DECAY = 2e-3
_ADAM_BETAS = (0.9, 0.999)
# How often (in steps) the best coherence is recorded and ``target`` checked.
_RECORD_EVERY = 10
# Gram products of at most this many multiply-adds (n * n * d) run on one BLAS
# thread: for such small products waking threads costs more than it saves,
# and on a busy machine much more.
_SMALL_PRODUCT = 1 << 22


@dataclass(frozen=True)
class PackingResult:
    """What :func:`pack_directions` returns with ``full_output=True``.

    Attributes
    ----------
    directions : numpy.ndarray or torch.Tensor
        The best configuration found, ``n`` unit rows in ``R^d``, on the
        requested backend.
    coherence : float
        Its coherence, recomputed by :func:`semconc.coherence`.
    restart_coherence : numpy.ndarray
        The best coherence each restart reached, one entry per restart.
    history : numpy.ndarray
        Best coherence so far of each restart (columns), recorded every 10
        steps (rows); no rows when ``n <= d``, where no optimisation is needed.
    steps : int
        Gradient steps taken (fewer than asked when ``target`` was reached).
    """

    directions: Any
    coherence: float
    restart_coherence: np.ndarray
    history: np.ndarray
    steps: int


def _gram(be: Backend, U: Any) -> Any:
    if be.name == "numpy":
        # A contiguous transpose keeps the batched product on BLAS.
        return U @ np.ascontiguousarray(U.swapaxes(-1, -2))
    return U @ U.mT


def _clipped_exp_(be: Backend, A: Any, floor: float) -> None:
    """Replace ``A`` in place by ``exp(max(A, floor))``."""
    if be.name == "numpy":
        np.maximum(A, floor, out=A)
        np.exp(A, out=A)
    else:
        A.clamp_(min=floor).exp_()


def _blas_threads(be: Backend, n: int, d: int) -> contextlib.AbstractContextManager:
    """One BLAS thread for small NumPy products (if threadpoolctl is installed)."""
    if be.name != "numpy" or n * n * d > _SMALL_PRODUCT:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _orthonormal_rows(be: Backend, n: int, d: int, gen: Any) -> Any:
    """``n <= d`` orthonormal rows, spanning a uniformly random subspace."""
    X = be.standard_normal((d, n), gen)
    Q, R = be.xp.linalg.qr(X)
    signs = be.xp.sign(R.diagonal())
    signs = be.xp.where(signs == 0, 1, signs)
    return (Q * signs).T


def pack_directions(
    n: int,
    d: int,
    *,
    seed: Any = None,
    restarts: int = 8,
    steps: int = 1500,
    learning_rate: float = 0.02,
    sharpness: float = 2000.0,
    target: float | None = None,
    backend: str = "numpy",
    device: str = "auto",
    dtype: str | None = None,
    progress: bool = False,
    full_output: bool = False,
) -> Any:
    r"""Find ``n`` unit vectors in ``R^d`` whose largest absolute overlap is small.

    Each restart starts from random directions and takes ``steps`` gradient
    steps on the smooth maximum of the squared overlaps

    .. math:: F_\beta(U) = \frac{1}{\beta}\log\sum_{i<j}
       \exp\!\bigl(\beta\,\langle u_i, u_j\rangle^2\bigr),

    which tends to :math:`\mu^2 = \max_{i<j}\langle u_i, u_j\rangle^2` as
    :math:`\beta \to \infty`. The sharpness is scale free,
    :math:`\beta = \kappa / \mu^2`, with :math:`\kappa` growing geometrically
    from 2 to ``sharpness``; each step projects the gradient onto the tangent
    space of the spheres, takes an Adam step whose size decays from
    ``learning_rate`` (cosine schedule) and renormalises the rows. All restarts
    run at once as one batched array, and the best configuration seen is kept.

    By Jensen's inequality :math:`F_\beta \ge \overline{\langle u_i,
    u_j\rangle^2} + \log\binom{n}{2}/\beta \ge \mu_W^2 + \log\binom{n}{2}/\beta`
    (:math:`\mu_W` the Welch bound) with equality exactly for an equiangular
    tight frame, so where an ETF exists it minimises :math:`F_\beta` for every
    :math:`\beta`.

    Parameters
    ----------
    n : int
        Number of directions, ``n >= 2``. For ``n <= d`` the optimum (0) is an
        orthonormal set, returned without optimisation.
    d : int
        Dimension, ``d >= 1``.
    seed : None, int or numpy.random.Generator, optional
        Seed of the random starting points (a Generator only with NumPy).
    restarts : int, default 8
        Independent starting points, optimised together, ``restarts >= 1``.
    steps : int, default 1500
        Gradient steps per restart, ``steps >= 1``.
    learning_rate : float, default 0.05
        Initial step size, in ``(0, 1]``; it decays to ``0.002`` times itself.
    sharpness : float, default 200
        Final value of :math:`\kappa = \beta\mu^2`, in ``[2, 1e6]``; larger
        values weight the largest overlaps more sharply.
    target : float, optional
        Stop as soon as some restart reaches coherence ``<= target`` (checked
        every 10 steps), in ``[0, 1]``.
    backend : {"numpy", "torch"}, default "numpy"
        Array library; with ``"torch"`` the work runs on ``device``.
    device : {"auto", "cpu", "cuda", "mps"}, default "auto"
        Device for ``backend="torch"``.
    dtype : {"float32", "float64"}, optional
        Defaults to float64 with NumPy and float32 with PyTorch.
    progress : bool, default False
        Show a progress bar with the best coherence so far.
    full_output : bool, default False
        Return a :class:`PackingResult` instead of the directions alone.

    Returns
    -------
    numpy.ndarray or torch.Tensor, shape (n, d), or PackingResult
        Unit rows with small coherence, on the requested backend.

    Notes
    -----
    The optimiser is a heuristic: it certifies nothing, and a restart can
    settle in a local minimum above the optimum (for 16 lines in ``R^6``, an
    ETF at overlap ``1/3``, a sizeable share of restarts stop near 0.372).
    Compare the result with :func:`coherence_lower_bound` and, where one is
    known, with an optimal construction. Each step costs one batched
    ``n x n`` Gram product and a few passes over it, so time grows like
    ``restarts * steps * n^2 * d``. With NumPy, products of at most about
    4 million multiply-adds (``n * n * d``) run on a single BLAS thread (through
    ``threadpoolctl``, when installed): for these many small products waking
    threads costs more than it saves.

    References
    ----------
    :cite:t:`conway1996packing` and :cite:t:`strohmer2003grassmannian` on
    packings of lines and Grassmannian frames. The chapter *Packing nearly
    orthogonal directions* runs it.

    See Also
    --------
    coherence_lower_bound : what no configuration can beat.
    semconc.random_directions : the random baseline.

    Examples
    --------
    >>> U = pack_directions(6, 3, seed=0, restarts=2, steps=300)
    >>> U.shape
    (6, 3)
    >>> round(coherence(U), 6)  # the icosahedron's diagonals: 1/sqrt(5)
    0.447214
    """
    n = check_int("n", n, minimum=2)
    d = check_int("d", d, minimum=1)
    restarts = check_int("restarts", restarts, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    learning_rate = check_real(
        "learning_rate", learning_rate, low=0.0, high=1.0, low_open=True
    )
    sharpness = check_real("sharpness", sharpness, low=_SHARPNESS_START, high=1e6)
    if target is not None:
        target = check_real("target", target, low=0.0, high=1.0)
    progress = check_bool("progress", progress)
    full_output = check_bool("full_output", full_output)
    be = get_backend(backend, device, dtype)
    gen = be.generator(seed)

    if n <= d:
        U = _orthonormal_rows(be, n, d, gen)
        result = PackingResult(
            U, coherence(U), np.zeros(restarts), np.zeros((0, restarts)), 0
        )
        return result if full_output else U

    with _blas_threads(be, n, d):
        best_U, best_mu, history, taken = _minimise_smooth_max(
            be, n, d, restarts, steps, learning_rate, sharpness, target, gen, progress
        )
    winner = int(best_mu.argmin())
    U = best_U[winner]
    if not full_output:
        return U
    return PackingResult(
        U, coherence(U), to_numpy(best_mu).astype(float), history, taken
    )


def _minimise_smooth_max(
    be: Backend,
    n: int,
    d: int,
    restarts: int,
    steps: int,
    learning_rate: float,
    sharpness: float,
    target: float | None,
    gen: Any,
    progress: bool,
) -> tuple[Any, Any, np.ndarray, int]:
    """Batched Riemannian Adam on the smooth maximum; see :func:`pack_directions`."""
    xp = be.xp
    U = be.normalise_rows(be.standard_normal((restarts, n, d), gen))
    diag = be.asarray(np.arange(n)).long() if be.name == "torch" else np.arange(n)
    first, second = xp.zeros_like(U), xp.zeros_like(U)
    best_U = U
    best_mu = xp.full((restarts,), math.inf, dtype=U.dtype)
    if be.name == "torch":
        best_mu = best_mu.to(U.device)
    b1, b2 = _ADAM_BETAS
    records: list[Any] = []
    bar = tqdm(total=steps, disable=not progress, desc=f"packing {n} in R^{d}")
    taken = steps
    for t in range(steps + 1):
        G = _gram(be, U)
        A = G * G
        A[:, diag, diag] = 0.0
        mu2 = xp.amax(A, axis=(-2, -1), keepdims=True)
        mu = xp.sqrt(mu2[:, 0, 0])
        better = mu < best_mu
        best_mu = xp.where(better, mu, best_mu)
        best_U = xp.where(better[:, None, None], U, best_U)
        if t % _RECORD_EVERY == 0 or t == steps:
            records.append(best_mu)
            if progress:
                bar.set_postfix(coherence=f"{float(best_mu.min()):.6f}")
            if target is not None and float(best_mu.min()) <= target:
                taken = t
                break
        if t == steps:
            break
        frac = t / max(steps - 1, 1)
        kappa = _SHARPNESS_START * (sharpness / _SHARPNESS_START) ** frac
        lr = learning_rate * (
            _LR_DECAY + 0.5 * (1.0 - _LR_DECAY) * (1.0 + math.cos(math.pi * frac))
        )
        # Softmax weights of the squared overlaps at sharpness kappa / mu^2,
        # computed in place in A; exponents below -60 (weights under 1e-26 of
        # the largest) are clipped so that no time goes into subnormal numbers.
        A *= kappa / mu2
        A -= kappa
        _clipped_exp_(be, A, -60.0)
        A[:, diag, diag] = 0.0
        A /= A.sum(axis=(-2, -1), keepdims=True)
        # Euclidean gradient of F (up to the factor 2 mu, which Adam ignores),
        # then its part tangent to each sphere.
        A *= G
        g = A @ U
        g = g - (g * U).sum(axis=-1, keepdims=True) * U
        first = b1 * first + (1.0 - b1) * g
        first = first - (first * U).sum(axis=-1, keepdims=True) * U
        second = b2 * second + (1.0 - b2) * g * g
        step = (first / (1.0 - b1 ** (t + 1))) / (
            xp.sqrt(second / (1.0 - b2 ** (t + 1))) + 1e-12
        )
        U = be.normalise_rows(U - (lr / math.sqrt(d)) * step)
        bar.update(1)
    bar.close()
    history = np.stack([to_numpy(r) for r in records]).astype(float)
    return best_U, best_mu, history, taken


def packed_capacity(
    d: int,
    eps: float,
    *,
    tol: float = 1e-3,
    n_limit: int = 2048,
    seed: Any = 0,
    restarts: int = 4,
    steps: int = 1500,
    backend: str = "numpy",
    device: str = "auto",
    progress: bool = False,
) -> int:
    r"""The largest ``n`` that :func:`pack_directions` packs at coherence ``eps``.

    Starting from ``n = d + 1``, ``n`` grows by a factor 1.3 while the
    optimiser reaches coherence at most :math:`\varepsilon(1 + \mathrm{tol})`
    (stopping each run as soon as it does), then the first failure is
    narrowed down by bisection. ``n = d`` always succeeds (an orthonormal
    set), so the answer is at least ``d``.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.
    eps : float
        Overlap bound, in ``(0, 1)``.
    tol : float, default 1e-3
        Relative slack, in ``[0, 0.1]``: the smooth maximum the optimiser
        minimises is biased by about ``1e-4`` relative at optima that are not
        equiangular (for example the root-system lines at ``eps = 1/2``), so a
        strict ``tol = 0`` would miss them.
    n_limit : int, default 2048
        Largest ``n`` tried, ``n_limit > d``; the search returns ``n_limit``
        if it gets there.
    seed : None or int, default 0
        Seed of every optimiser run.
    restarts, steps : int
        Passed to :func:`pack_directions`.
    backend : {"numpy", "torch"}, default "numpy"
        Array library of the optimiser.
    device : {"auto", "cpu", "cuda", "mps"}, default "auto"
        Device for ``backend="torch"``.
    progress : bool, default False
        Show a progress bar over the optimiser runs.

    Returns
    -------
    int
        A lower bound on the largest number of lines in ``R^d`` with all
        overlaps at most :math:`\varepsilon(1 + \mathrm{tol})`.

    Notes
    -----
    A heuristic certificate only in one direction: the configuration found
    proves that ``n`` lines fit; a failure proves nothing, and because the
    optimiser is random the answer need not grow monotonically with ``d``.

    References
    ----------
    The chapter *Packing nearly orthogonal directions*, section on the
    exponent of the capacity bound.

    Examples
    --------
    >>> packed_capacity(3, 0.5, restarts=2, steps=500)  # six lines, as proven best
    6
    """
    d = check_int("d", d, minimum=1)
    eps = check_real("eps", eps, low=0.0, high=1.0, low_open=True, high_open=True)
    tol = check_real("tol", tol, low=0.0, high=0.1)
    n_limit = check_int("n_limit", n_limit, minimum=d + 1)
    restarts = check_int("restarts", restarts, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    progress = check_bool("progress", progress)
    get_backend(backend, device)
    goal = eps * (1.0 + tol)
    bar = tqdm(disable=not progress, desc=f"capacity of R^{d} at eps={eps:g}")

    def packs(n: int) -> bool:
        mu = pack_directions(
            n,
            d,
            seed=seed,
            restarts=restarts,
            steps=steps,
            target=goal,
            backend=backend,
            device=device,
            full_output=True,
        ).coherence
        bar.update(1)
        bar.set_postfix(n=n, coherence=f"{mu:.4f}")
        return mu <= goal

    good, bad = d, None
    n = d + 1
    while bad is None:
        if packs(n):
            good = n
            if n == n_limit:
                break
            n = min(n_limit, max(n + 1, math.ceil(1.3 * n)))
        else:
            bad = n
    while bad is not None and bad - good > 1:
        mid = (good + bad) // 2
        if packs(mid):
            good = mid
        else:
            bad = mid
    bar.close()
    return good


def frame_potential(U: Any) -> float:
    r"""Frame potential :math:`\sum_{i,j}\langle u_i, u_j\rangle^2` of the unit rows.

    Rows are normalised first. Computed as :math:`\lVert U^\top U\rVert_F^2`
    from the ``d x d`` frame operator, so it costs ``O(n d^2)`` and never forms
    the ``n x n`` Gram matrix. For unit vectors it is at least
    :math:`\max(n, n^2/d)`, with equality at ``n^2/d`` exactly for tight
    frames, :math:`U^\top U = (n/d) I` :cite:p:`benedetto2003finite`.

    Parameters
    ----------
    U : numpy.ndarray or torch.Tensor, shape (n, d)
        Directions as rows; no row may be zero.

    Returns
    -------
    float
        The frame potential, in ``[max(n, n^2/d), n^2]``.

    References
    ----------
    :cite:t:`benedetto2003finite`; the proof of Welch's bound in the chapter
    *Packing nearly orthogonal directions*.

    Examples
    --------
    >>> frame_potential(simplex_directions(3))  # tight: 4^2 / 3
    5.333333333333333
    >>> frame_potential(np.eye(3))
    3.0
    """
    U = check_matrix("U", U, min_rows=1)
    U, _ = unit_rows(U)
    S = U.T @ U
    return float((S * S).sum())


def coherence_lower_bound(n: int, d: int) -> float:
    r"""The largest of the classical lower bounds on the coherence of ``n`` lines.

    .. math:: \mu(n, d) \ge \begin{cases}
       0 & n \le d,\\
       \sqrt{\dfrac{n - d}{d(n - 1)}} & d < n \le d(d+1)/2
       \quad\text{(Welch)},\\
       1/\sqrt{d} & n > d(d+1)/2 \quad\text{(orthoplex)}.
       \end{cases}

    Welch's bound is attained only by equiangular tight frames, and at most
    ``d(d+1)/2`` equiangular lines exist in ``R^d`` (Gerzon,
    :func:`gerzon_bound`), so beyond that
    count the bound switches to the orthoplex bound :math:`1/\sqrt d`
    of :cite:t:`conway1996packing`, which exceeds Welch's for ``d >= 2``.

    Parameters
    ----------
    n : int
        Number of lines, ``n >= 2``.
    d : int
        Dimension, ``d >= 1``.

    Returns
    -------
    float
        No ``n`` unit vectors in ``R^d`` have a smaller coherence.

    Notes
    -----
    For ``n`` far beyond ``d(d+1)/2`` sharper bounds exist (Levenshtein's,
    and the bounds behind Alon's theorem in the chapter *The capacity
    bound*); this function stops at the two used in the chapter.

    References
    ----------
    :cite:t:`welch1974lower`, :cite:t:`lemmens1973equiangular`,
    :cite:t:`conway1996packing`; the chapter *Packing nearly orthogonal
    directions* proves both bounds.

    Examples
    --------
    >>> round(coherence_lower_bound(6, 3), 6)  # Welch, attained by the icosahedron
    0.447214
    >>> round(coherence_lower_bound(7, 3), 6)  # orthoplex: 1 / sqrt(3)
    0.57735
    """
    n = check_int("n", n, minimum=2)
    d = check_int("d", d, minimum=1)
    if n > gerzon_bound(d):
        return 1.0 / math.sqrt(d)
    return welch_bound(n, d)


def _helmert(m: int) -> np.ndarray:
    """Orthonormal rows spanning the complement of the all-ones vector of R^m."""
    H = np.zeros((m - 1, m))
    for k in range(1, m):
        H[k - 1, :k] = 1.0
        H[k - 1, k] = -float(k)
        H[k - 1] /= math.sqrt(k * (k + 1))
    return H


def simplex_directions(d: int) -> np.ndarray:
    r"""The ``d + 1`` vertices of the regular simplex in ``R^d``, as unit rows.

    Every pair has overlap exactly :math:`-1/d`, which equals Welch's bound
    for ``n = d + 1``: the simplex is an equiangular tight frame and an optimal
    packing of ``d + 1`` lines. Built by projecting the standard basis of
    ``R^{d+1}`` onto the complement of the all-ones vector.

    Parameters
    ----------
    d : int
        Dimension, ``d >= 1``.

    Returns
    -------
    numpy.ndarray, shape (d + 1, d)
        Unit rows summing to zero.

    References
    ----------
    :cite:t:`welch1974lower`; the chapter *Packing nearly orthogonal directions*.

    Examples
    --------
    >>> S = simplex_directions(3)
    >>> np.round(S @ S.T, 6)[0]
    array([ 1.      , -0.333333, -0.333333, -0.333333])
    """
    d = check_int("d", d, minimum=1)
    return _helmert(d + 1).T * math.sqrt((d + 1) / d)


def planar_lines(n: int) -> np.ndarray:
    r"""``n`` lines through the origin of the plane at angles :math:`k\pi/n`.

    The coherence is :math:`\cos(\pi/n)`, and no ``n`` lines in ``R^2`` do
    better: two of the ``n`` angles in :math:`[0, \pi)` lie within
    :math:`\pi/n` of each other. For ``n >= 4`` this exceeds Welch's bound, a
    case where Welch's bound is not attained.

    Parameters
    ----------
    n : int
        Number of lines, ``n >= 1``.

    Returns
    -------
    numpy.ndarray, shape (n, 2)
        Unit rows :math:`(\cos(k\pi/n), \sin(k\pi/n))`.

    References
    ----------
    :cite:t:`conway1996packing`; the chapter *Packing nearly orthogonal
    directions*, first exercise.

    Examples
    --------
    >>> round(coherence(planar_lines(5)), 6), round(float(np.cos(np.pi / 5)), 6)
    (0.809017, 0.809017)
    """
    n = check_int("n", n, minimum=1)
    angles = np.pi * np.arange(n) / n
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def icosahedron_diagonals() -> np.ndarray:
    r"""The six diagonals of the regular icosahedron: 6 lines in ``R^3``.

    The twelve vertices :math:`(0, \pm 1, \pm\varphi)` and their cyclic
    permutations (:math:`\varphi` the golden ratio) form six antipodal pairs;
    every two diagonals have :math:`|\langle u_i, u_j\rangle| = 1/\sqrt5`.
    This equals Welch's bound for ``n = 6, d = 3`` and Gerzon's count
    ``d(d+1)/2 = 6``: the largest set of equiangular lines in ``R^3``
    :cite:p:`lemmens1973equiangular`.

    Returns
    -------
    numpy.ndarray, shape (6, 3)
        Unit rows.

    References
    ----------
    :cite:t:`lemmens1973equiangular`; the chapter *Packing nearly orthogonal
    directions*.

    Examples
    --------
    >>> round(coherence(icosahedron_diagonals()) ** -2, 9)
    5.0
    """
    phi = (1.0 + math.sqrt(5.0)) / 2.0
    base = np.array([[0.0, 1.0, phi], [0.0, -1.0, phi]])
    rows = [np.roll(base, shift, axis=1) for shift in range(3)]
    return np.concatenate(rows) / math.sqrt(1.0 + phi * phi)


def cube_lines() -> np.ndarray:
    r"""The three axes and four body diagonals of the cube: 7 lines in ``R^3``.

    Axes are orthogonal to each other, diagonals meet at overlap
    :math:`1/3`, and an axis meets a diagonal at :math:`1/\sqrt3`, so the
    coherence is :math:`1/\sqrt3`. Since ``7 > d(d+1)/2 = 6``, the orthoplex
    bound :math:`1/\sqrt3` applies, and this configuration attains it: it is
    an optimal packing of 7 lines in ``R^3`` :cite:p:`conway1996packing`,
    although it is neither equiangular nor at Welch's bound.

    Returns
    -------
    numpy.ndarray, shape (7, 3)
        Unit rows.

    References
    ----------
    :cite:t:`conway1996packing`; the chapter *Packing nearly orthogonal directions*.

    Examples
    --------
    >>> round(coherence(cube_lines()) ** -2, 9)
    3.0
    """
    axes = np.eye(3)
    diagonals = np.array(
        [[1.0, 1.0, 1.0], [1.0, 1.0, -1.0], [1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]]
    ) / math.sqrt(3.0)
    return np.concatenate([axes, diagonals])


def equiangular_28_lines() -> np.ndarray:
    r"""The 28 equiangular lines in ``R^7``, every overlap :math:`\pm 1/3`.

    Take the 28 vectors of ``R^8`` with two entries 3 and six entries -1. Each
    is orthogonal to the all-ones vector, so they live in a 7-dimensional
    subspace; each has squared length 24, and two of them have inner product
    +8 (one 3 shared) or -8 (none shared), hence overlap :math:`\pm 1/3`.
    The result is written in an orthonormal basis of that subspace. It is an
    equiangular tight frame, meets Welch's bound, and reaches Gerzon's count
    ``d(d+1)/2 = 28`` :cite:p:`lemmens1973equiangular`.

    Returns
    -------
    numpy.ndarray, shape (28, 7)
        Unit rows.

    References
    ----------
    :cite:t:`lemmens1973equiangular`; the chapter *Packing nearly orthogonal
    directions*.

    Examples
    --------
    >>> L = equiangular_28_lines()
    >>> overlaps = np.abs(L @ L.T)[np.triu_indices(28, 1)]
    >>> float(overlaps.min()), float(overlaps.max())  # all 378 pairs at 1/3
    (0.333333333333, 0.333333333333)
    """
    W = np.full((28, 8), -1.0)
    for row, (i, j) in enumerate(combinations(range(8), 2)):
        W[row, [i, j]] = 3.0
    return W @ _helmert(8).T / math.sqrt(24.0)


def steiner_etf(v: int) -> np.ndarray:
    r"""The Steiner equiangular tight frame of ``v^2`` lines in ``R^{v(v-1)/2}``.

    The construction of :cite:t:`fickus2012steiner` from the design of all
    pairs of a ``v``-set: coordinates are the ``v(v-1)/2`` pairs; for each
    point ``p`` and each row ``h`` of a Sylvester-Hadamard matrix of order
    ``v`` with its all-ones column removed, place the ``v - 1`` entries of
    ``h`` on the pairs that contain ``p``. Two vectors of the same point meet
    at :math:`-1/(v-1)`, two of different points share exactly one pair and
    meet at :math:`\pm 1/(v-1)`, which is Welch's bound for
    ``n = v^2, d = v(v-1)/2``. ``v = 4`` gives 16 lines in ``R^6`` at
    :math:`1/3`, ``v = 8`` gives 64 lines in ``R^{28}`` at :math:`1/7`.

    Parameters
    ----------
    v : int
        A power of two, ``4 <= v <= 64``.

    Returns
    -------
    numpy.ndarray, shape (v**2, v*(v-1)//2)
        Unit rows.

    References
    ----------
    :cite:t:`fickus2012steiner`; the chapter *Packing nearly orthogonal directions*.

    Examples
    --------
    >>> F = steiner_etf(4)
    >>> F.shape, round(coherence(F), 12), round(welch_bound(16, 6), 12)
    ((16, 6), 0.333333333333, 0.333333333333)
    """
    v = check_int("v", v, minimum=4, maximum=64)
    if v & (v - 1):
        raise ValueError(f"v must be a power of two in [4, 64], got {v}")
    pairs = list(combinations(range(v), 2))
    where = {p: [k for k, pair in enumerate(pairs) if p in pair] for p in range(v)}
    rows = hadamard(v).astype(float)[:, 1:]
    F = np.zeros((v * v, len(pairs)))
    for p in range(v):
        F[p * v : (p + 1) * v][:, where[p]] = rows
    return F / math.sqrt(v - 1)


def _one_per_line(X: np.ndarray) -> np.ndarray:
    """Keep, of each pair of opposite rows, the one whose first nonzero is > 0."""
    first = np.array([row[np.flatnonzero(np.abs(row) > 1e-12)[0]] for row in X])
    return X[first > 0]


def _e8_roots() -> np.ndarray:
    """The 240 roots of E8 (squared length 2), in the even coordinate system."""
    roots = []
    for i, j in combinations(range(8), 2):
        for si in (1.0, -1.0):
            for sj in (1.0, -1.0):
                v = np.zeros(8)
                v[i], v[j] = si, sj
                roots.append(v)
    for k in range(256):
        signs = np.array([-1.0 if (k >> b) & 1 else 1.0 for b in range(8)])
        if (signs < 0).sum() % 2 == 0:
            roots.append(0.5 * signs)
    return np.array(roots)


def root_system_lines(d: int) -> np.ndarray:
    r"""Lines through the roots of :math:`A_2, D_3, D_4, D_5, E_6, E_7, E_8` in ``R^d``.

    Every two of these lines meet at overlap 0 or :math:`\pm 1/2`, so the
    coherence is :math:`1/2`. Their numbers, 3, 6, 12, 20, 36, 63 and 120 for
    ``d = 2, ..., 8``, are the largest known for lines at overlap at most
    :math:`1/2` :cite:p:`conway1999sphere`. The vectors :math:`\pm u_i` of
    such lines are unit vectors at mutual angles of at least 60 degrees, so
    ``2 N`` is at most the kissing number of ``R^d``; since that number is 6,
    12, 24 and 240 for ``d = 2, 3, 4, 8`` (:cite:t:`conway1999sphere`,
    :cite:t:`musin2008kissing` for ``d = 4``), the counts are optimal there.
    For ``d = 5, 6, 7`` the kissing bounds leave room for at most 22, 39 and
    67 lines.

    :math:`D_d` (``d = 3, 4, 5``) is :math:`\{\pm e_i \pm e_j\}`;
    :math:`E_7` and :math:`E_6` are the roots of :math:`E_8` orthogonal to one
    root, respectively to an :math:`A_2`, written in an orthonormal basis of the
    subspace they span.

    Parameters
    ----------
    d : int
        Dimension, ``2 <= d <= 8``.

    Returns
    -------
    numpy.ndarray, shape (N, d)
        Unit rows, one per line.

    References
    ----------
    :cite:t:`conway1999sphere`; the chapter *Packing nearly orthogonal
    directions*, section on the exponent of the capacity bound.

    Examples
    --------
    >>> [len(root_system_lines(d)) for d in range(2, 9)]
    [3, 6, 12, 20, 36, 63, 120]
    >>> round(coherence(root_system_lines(8)), 12)
    0.5
    """
    d = check_int("d", d, minimum=2, maximum=8)
    if d == 2:
        return planar_lines(3)
    if d <= 5:
        X = np.array(
            [
                np.eye(d)[i] + sign * np.eye(d)[j]
                for i, j in combinations(range(d), 2)
                for sign in (1.0, -1.0)
            ]
        )
        return X / math.sqrt(2.0)
    roots = _e8_roots()
    if d == 8:
        return _one_per_line(roots) / math.sqrt(2.0)
    # E7: the roots orthogonal to the root e7 - e8; E6: orthogonal also to
    # e6 - e7, which forms an A2 with it.
    C = np.zeros((8 - d, 8))
    for row, i in enumerate(range(6, d - 2, -1)):
        C[row, i], C[row, i + 1] = 1.0, -1.0
    X = _one_per_line(roots[np.all(np.abs(roots @ C.T) < 1e-12, axis=1)])
    return X @ null_space(C) / math.sqrt(2.0)
