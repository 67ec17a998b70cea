r"""Epistemic accessibility: interference when ``k`` directions are active at once.

When unit directions :math:`u_1, \dots, u_k` are active with amplitudes
:math:`a_j` and direction :math:`u_i` is read out by projection, the readout
:math:`\langle u_i, x\rangle` of :math:`x = \sum_j a_j u_j` is

.. math:: \langle u_i, x\rangle = a_i + e_i, \qquad
   e_i = \sum_{j \ne i} a_j \langle u_i, u_j\rangle,

and the *readout error* :math:`e_i` is the leak of the other ``k - 1``.

**Theorem** (chapter *Interference under concurrency*). Let the directions be
independent with second-moment matrix :math:`M = \mathbb{E}\,u u^\top`
(:math:`\operatorname{tr} M = 1`) and the amplitudes independent of them and
of each other, with :math:`\mathbb{E}\,a = m_1`, :math:`\mathbb{E}\,a^2 = m_2`.
If :math:`m_1 = 0` or :math:`\mathbb{E}\,u = 0`, then :math:`\mathbb{E}\,e_i = 0`
and

.. math:: \sigma_{\mathrm{int}}^2 = \operatorname{Var} e_i
   = (k - 1)\, m_2 \operatorname{tr}(M^2)
   = \frac{(k - 1)\, m_2}{d_{\mathrm{eff}}}, \qquad
   d_{\mathrm{eff}} = \frac{(\operatorname{tr} M)^2}{\operatorname{tr}(M^2)},

the participation ratio of :math:`M`. Uniform directions have
:math:`d_{\mathrm{eff}} = d`; random signs and standard normal amplitudes
have :math:`m_2 = 1`, amplitudes uniform on :math:`[0, 1]` have
:math:`m_2 = 1/3`.

**Theorem** (chapter *Can structure beat the random baseline?*). For any
fixed arrangement of :math:`N` unit directions in :math:`\mathbb{R}^d`, a
uniformly random active set of size ``k`` and independent amplitudes of
variance :math:`v = m_2 - m_1^2`, the readout error of an active direction
has variance at least

.. math:: (k - 1)\, v\, \frac{N - d}{d\,(N - 1)}

(zero for :math:`N \le d`), with equality for zero-mean amplitudes exactly
when the arrangement is a tight frame, :math:`U^\top U = (N/d) I`
:cite:p:`welch1974lower,benedetto2003finite`. For zero-mean amplitudes the
exact value is :math:`(k - 1)\, m_2 (N - d_{\mathrm{eff}}) /
(d_{\mathrm{eff}} (N - 1))` with :math:`d_{\mathrm{eff}}` the participation
ratio of the arrangement.

:func:`simulate_interference` measures the readout error by Monte Carlo,
for a fixed pool of directions or for fresh uniform directions in every
trial, as batched matrix products in bounded memory.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from tqdm.auto import tqdm

from ._backend import Backend, backend_of, get_backend, to_numpy
from ._validation import (
    check_bool,
    check_choice,
    check_int,
    check_matrix,
    check_real,
    check_real_array,
    check_seed,
)
from .overlaps import unit_rows

__all__ = [
    "effective_dimension",
    "interference_std",
    "InterferenceResult",
    "simulate_interference",
    "interference_errors",
    "average_interference_variance",
    "interference_lower_bound",
    "worst_case_interference",
    "tight_frame",
    "anisotropic_directions",
    "clustered_directions",
    "ExponentFit",
    "fit_scaling_exponent",
]

AMPLITUDES = ("sign", "uniform", "gaussian")
# Mean and second moment of each amplitude law.
_AMPLITUDE_MOMENTS = {
    "sign": (0.0, 1.0),
    "uniform": (0.5, 1.0 / 3.0),
    "gaussian": (0.0, 1.0),
}
METHODS = ("auto", "exact", "vectors")
READOUTS = ("active", "all")
# Default size (in array elements) of the largest temporary of one chunk.
_BUDGET = 1 << 22
# Default size of one block of the readout of every pool direction.
_READOUT_BUDGET = 1 << 20


def effective_dimension(X: Any, *, center: bool = False) -> float:
    r"""Participation ratio of the second-moment matrix of the rows of ``X``.

    .. math:: d_{\mathrm{eff}} = \frac{(\operatorname{tr} M)^2}{\operatorname{tr}(M^2)}
       = \frac{(\sum_i \lambda_i)^2}{\sum_i \lambda_i^2},
       \qquad M = \frac1n \sum_r \hat x_r \hat x_r^{\top},

    where :math:`\hat x_r` is row ``r`` scaled to unit length (so that
    :math:`\operatorname{tr} M = 1`, as for directions). It lies in
    ``[1, d]``: 1 when all rows are parallel, ``d`` when they are isotropic.

    Parameters
    ----------
    X : array_like or torch.Tensor, shape (n, d)
        Directions or embeddings as rows; no row may be zero.
    center : bool, default False
        Subtract the mean row before normalising. Without centring, a shared
        mean direction (common in trained embeddings) counts as one heavy
        eigenvalue and lowers ``d_eff``; the interference law uses the raw
        (uncentred) second moment, which is the default.

    Returns
    -------
    float
        The effective dimension.

    Notes
    -----
    Computed from the ``d x d`` matrix :math:`\hat X^\top \hat X / n`, so the
    cost is ``O(n d^2)`` and memory ``O(d^2)``.

    Examples
    --------
    >>> effective_dimension(np.eye(4))
    4.0
    >>> effective_dimension([[1.0, 0.0], [2.0, 0.0]])
    1.0
    """
    X = check_matrix("X", X)
    X = np.asarray(to_numpy(X), dtype=float)
    if center:
        X = X - X.mean(axis=0)
    name = "X (after centring)" if center else "X"
    return _participation_ratio(unit_rows(X, name)[0])


def _participation_ratio(Y: np.ndarray) -> float:
    """``(tr S)^2 / tr S^2`` for the second moment ``S`` of the rows of ``Y``.

    Read from the smaller of ``Y^T Y`` and ``Y Y^T`` (the same non-zero
    spectrum, and the ratio ignores the scale); ``nan`` when ``Y`` is zero.
    """
    G = Y @ Y.T if Y.shape[0] < Y.shape[1] else Y.T @ Y
    total = float(np.sum(G * G))
    return float(np.trace(G) ** 2 / total) if total > 0.0 else math.nan


def interference_std(k: int, d_eff: float) -> float:
    r"""Predicted readout-noise level :math:`\sqrt{(k - 1)/d_{\mathrm{eff}}}`.

    Parameters
    ----------
    k : int
        Number of simultaneously active directions, ``k >= 1``.
    d_eff : float
        Effective dimension, ``d_eff >= 1``.

    Returns
    -------
    float
        The standard deviation of the interference term for unit-variance
        amplitudes.

    Examples
    --------
    >>> interference_std(17, 64)
    0.5
    >>> interference_std(1, 10)
    0.0
    """
    k = check_int("k", k, minimum=1)
    d_eff = check_real("d_eff", d_eff, low=1.0)
    return float(np.sqrt((k - 1) / d_eff))


def _amplitude_moments(amplitudes: str) -> tuple[float, float]:
    """Mean and second moment of the amplitude law."""
    return _AMPLITUDE_MOMENTS[check_choice("amplitudes", amplitudes, AMPLITUDES)]


@dataclass(frozen=True)
class InterferenceResult:
    r"""What :func:`simulate_interference` measured, with its theory.

    The readout error of an active direction ``i`` is
    :math:`e_i = \langle u_i, x\rangle - a_i` (see the module docstring).

    Attributes
    ----------
    sigma, sigma_se : float
        Estimated standard deviation of the readout error of an active
        direction, and its standard error (delta method).
    variance, variance_se : float
        Unbiased estimate of :math:`\operatorname{Var} e_i` and its standard
        error.
    mean, mean_se : float
        Estimated mean readout error (0 in theory unless the amplitudes have
        a non-zero mean and the pool does not) and its standard error.
    theory_sigma, theory_variance : float
        The exact value for the sampling scheme: :math:`(k - 1)\,m_2 / d` for
        fresh uniform directions, the average over all active sets
        (:func:`average_interference_variance`) for a pool; ``nan`` with
        ``theory=False``.
    k, d : int
        Active directions per trial and ambient dimension.
    d_eff : float
        Participation ratio of the directions (``d`` for fresh uniform
        directions; ``nan`` for a pool with ``theory=False``).
    n : int or None
        Pool size, ``None`` for fresh directions.
    trials, readouts : int
        Trials, and readout errors observed (``k`` per trial for a pool, one
        per trial for fresh directions).
    amplitudes : str
        Amplitude law; ``amplitude_second_moment`` is its :math:`m_2`.
    method : str
        ``"pool"``, ``"exact"`` or ``"vectors"``.
    backend, device, dtype : str
        Where the arithmetic ran.
    leak_sigma, leak_sigma_se, leak_theory_sigma : float
        With ``readout="all"``: standard deviation of the readout of an
        *inactive* pool direction (the false signal it receives), its standard
        error and its exact value; ``nan`` otherwise.
    top_k_recovery, top_k_recovery_se : float
        With ``readout="all"``: fraction of trials in which the ``k`` largest
        absolute readouts are exactly the active directions (a threshold
        readout recovers the active set), and its binomial standard error;
        ``nan`` otherwise.
    """

    sigma: float
    sigma_se: float
    variance: float
    variance_se: float
    mean: float
    mean_se: float
    theory_sigma: float
    theory_variance: float
    k: int
    d: int
    d_eff: float
    n: int | None
    trials: int
    readouts: int
    amplitudes: str
    amplitude_second_moment: float
    method: str
    backend: str
    device: str
    dtype: str
    leak_sigma: float = math.nan
    leak_sigma_se: float = math.nan
    leak_theory_sigma: float = math.nan
    top_k_recovery: float = math.nan
    top_k_recovery_se: float = math.nan

    @property
    def z_score(self) -> float:
        """``(variance - theory_variance) / variance_se``: the deviation from theory
        in standard errors (``nan`` without theory or without spread)."""
        if not self.variance_se > 0:
            return math.nan
        return (self.variance - self.theory_variance) / self.variance_se

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dictionary (one row of a sweep table)."""
        return dataclasses.asdict(self)


class _Moments:
    """Streaming mean, variance and covariance of per-trial pairs ``(z, w)``.

    Sums are taken in float64 about a shift (the first batch's means), which
    keeps the variances accurate when the mean is large against the spread.
    """

    def __init__(self) -> None:
        self.n = 0
        self.shift: tuple[float, float] | None = None
        self.s = np.zeros(5)  # sums of z, w, z^2, w^2, z w (shifted)

    def add(self, z: np.ndarray, w: np.ndarray) -> None:
        if z.size == 0:
            return
        if self.shift is None:
            self.shift = (float(z.mean()), float(w.mean()))
        z = z - self.shift[0]
        w = w - self.shift[1]
        self.s += [z.sum(), w.sum(), (z * z).sum(), (w * w).sum(), (z * w).sum()]
        self.n += z.size

    def finish(self) -> tuple[float, float, float, float]:
        """Return ``(variance, variance_se, mean, mean_se)`` of the readout error.

        ``z`` estimates :math:`\\mathbb{E} e^2` and ``w`` estimates
        :math:`\\mathbb{E} e`; the variance estimate
        :math:`\\bar z - \\bar w^2 + s_w^2/n` is unbiased, and its standard
        error follows from the delta method.
        """
        n = self.n
        sz, sw, szz, sww, szw = self.s
        mz, mw = sz / n, sw / n
        vz = max(szz / n - mz * mz, 0.0) * n / (n - 1)
        vw = max(sww / n - mw * mw, 0.0) * n / (n - 1)
        czw = (szw / n - mz * mw) * n / (n - 1)
        zbar, wbar = mz + self.shift[0], mw + self.shift[1]
        variance = zbar - wbar * wbar + vw / n
        var_se2 = (vz - 4 * wbar * czw + 4 * wbar * wbar * vw) / n
        return (
            float(variance),
            math.sqrt(max(float(var_se2), 0.0)),
            float(wbar),
            math.sqrt(float(vw) / n),
        )


def _sigma_and_se(variance: float, variance_se: float) -> tuple[float, float]:
    sigma = math.sqrt(max(variance, 0.0))
    if sigma > 0:
        return sigma, variance_se / (2 * sigma)
    return sigma, math.sqrt(variance_se)


def _draw_amplitudes(
    gen: np.random.Generator, law: str, shape: tuple[int, ...], dtype: Any
) -> np.ndarray:
    if law == "sign":
        return (2 * gen.integers(0, 2, size=shape, dtype=np.int8) - 1).astype(dtype)
    if law == "uniform":
        return gen.random(shape, dtype=dtype)
    return gen.standard_normal(shape, dtype=dtype)


def _draw_subsets(gen: np.random.Generator, n: int, k: int, rows: int) -> np.ndarray:
    """``rows`` independent uniformly random ``k``-subsets of ``range(n)``.

    When duplicates are rare (``k (k - 1) <= 4 n``) integers are drawn with
    replacement and the rows holding a repeat are redrawn (rejection, so each
    accepted row is a uniform subset); otherwise the ``k`` smallest of ``n``
    uniform keys per row are taken. Both run as whole-array operations.
    """
    if k == 1:
        return gen.integers(0, n, size=(rows, 1))
    if k * (k - 1) <= 4 * n:
        idx = gen.integers(0, n, size=(rows, k))
        bad = np.arange(rows)
        while bad.size:
            s = np.sort(idx[bad], axis=1)
            bad = bad[(s[:, 1:] == s[:, :-1]).any(axis=1)]
            if bad.size:
                idx[bad] = gen.integers(0, n, size=(bad.size, k))
        return idx
    keys = gen.random((rows, n))
    return np.argpartition(keys, k - 1, axis=1)[:, :k]


def _chunk_size(chunk: int | None, trials: int, per_trial: int) -> int:
    if chunk is None:
        chunk = max(1, _BUDGET // max(per_trial, 1))
    return max(1, min(chunk, trials))


def _resolve_dtype(dtype: str | None, backend: str, X: Any) -> str | None:
    """The pool's own float type when ``dtype`` is None (avoids copying it)."""
    if dtype is not None or X is None:
        return dtype
    name = str(X.dtype).removeprefix("torch.")
    if name in ("float32", "float64"):
        return name
    return None


@dataclass
class _Pool:
    """A pool of directions on a backend, with the sums the theory needs."""

    U: Any  # (n, d) on the backend, as given (rows not normalised)
    inv_norms: Any  # (n,) backend array, or None when the rows are unit
    n: int
    d: int
    frame_potential: float  # sum_ij <u_i, u_j>^2 of the normalised rows
    sum_norm2: float  # |sum_i u_i|^2 of the normalised rows
    sum_c2: float  # sum_i (<u_i, s> - 1)^2, s = sum_j u_j (normalised rows)
    s: Any  # (d,) sum of normalised rows, on the backend


def _prepare_pool(be: Backend, U: Any, *, theory: bool, need_c2: bool) -> _Pool:
    """Move the pool to the backend and take its sums in one or two passes.

    Row blocks are promoted to float64 (float32 on ``mps``) for the sums, so
    the theory is accurate even for a float32 pool; memory stays
    ``O(block * d + d^2)``.
    """
    U = be.asarray(U)
    n, d = int(U.shape[0]), int(U.shape[1])
    xp = be.xp
    wide = "float32" if be.device == "mps" else "float64"
    wide_dtype = getattr(xp, wide)
    block = max(1, _BUDGET // (4 * d))
    norms2 = []
    S = xp.zeros((d, d), dtype=wide_dtype) if be.name == "numpy" else None
    if be.name != "numpy":
        S = xp.zeros((d, d), dtype=wide_dtype, device=be.device)
    s = None
    for start in range(0, n, block):
        B = U[start : start + block]
        B = B.astype(wide_dtype) if be.name == "numpy" else B.to(wide_dtype)
        nb = (B * B).sum(axis=1) if be.name == "numpy" else (B * B).sum(dim=1)
        if bool((nb == 0).any()):
            first = int(to_numpy(nb == 0).nonzero()[0][0]) + start
            raise ValueError(
                f"directions_or_d must have no zero rows, got a zero row at index "
                f"{first}"
            )
        norms2.append(to_numpy(nb))
        Bh = B / xp.sqrt(nb)[:, None]
        if theory:
            S += Bh.T @ Bh
        bs = Bh.sum(axis=0) if be.name == "numpy" else Bh.sum(dim=0)
        s = bs if s is None else s + bs
    norms2 = np.concatenate(norms2)
    tol = 1e-10 if be.dtype == "float64" else 1e-5
    inv = None
    if np.max(np.abs(norms2 - 1.0)) > tol:
        inv = be.asarray(1.0 / np.sqrt(norms2))
    fp = float((S * S).sum()) if theory else math.nan
    s_np = to_numpy(s).astype(float)
    c2 = math.nan
    if theory and need_c2:
        c2 = 0.0
        for start in range(0, n, block):
            B = U[start : start + block]
            B = B.astype(wide_dtype) if be.name == "numpy" else B.to(wide_dtype)
            proj = to_numpy(B @ s).astype(float)
            proj /= np.sqrt(norms2[start : start + block])
            c2 += float(((proj - 1.0) ** 2).sum())
    s_be = be.asarray(s_np)
    return _Pool(U, inv, n, d, fp, float(s_np @ s_np), c2, s_be)


def _pool_theory(
    pool: _Pool, k: int, m1: float, m2: float, *, inactive: bool = False
) -> float:
    r"""Exact variance of the readout error over uniform active sets of a pool.

    With :math:`G` the Gram matrix of the normalised rows,
    :math:`\bar q = \operatorname{mean}_{i \ne j} G_{ij}^2`,
    :math:`\bar g = \operatorname{mean}_{i \ne j} G_{ij}` and
    :math:`\bar p = \operatorname{mean}_{i, j, l \text{ distinct}} G_{ij} G_{il}`,
    an active direction sees ``m = k - 1`` others and an inactive one ``m = k``:
    :math:`\operatorname{Var} = m\,m_2\,\bar q + m(m-1)\,m_1^2\,\bar p
    - (m\,m_1\,\bar g)^2`.
    """
    n = pool.n
    m = k if inactive else k - 1
    if m == 0:
        return 0.0
    fp = pool.frame_potential
    q = (fp - n) / (n * (n - 1))
    var = m * m2 * q
    if m1 != 0.0:
        g = (pool.sum_norm2 - n) / (n * (n - 1))
        if m >= 2:
            p = (pool.sum_c2 - (fp - n)) / (n * (n - 1) * (n - 2))
            var += m * (m - 1) * m1 * m1 * p
        var -= (m * m1 * g) ** 2
    return max(var, 0.0)


def _as_backend(be: Backend, x: np.ndarray) -> Any:
    if be.name == "numpy":
        return x
    return be.xp.from_numpy(np.ascontiguousarray(x)).to(be.device)


def _pool_blocks(
    be: Backend,
    pool: _Pool,
    k: int,
    trials: int,
    law: str,
    gen: np.random.Generator,
    chunk: int,
    readout: str,
) -> Iterator[tuple[int, np.ndarray, dict[str, np.ndarray] | None]]:
    """Yield ``(rows, e, extra)`` per chunk of the pool model, ``e`` of shape
    ``(rows, k)``: the readout errors of the active directions."""
    np_dtype = np.dtype(be.dtype)
    n = pool.n
    U = pool.U
    nb = max(1, min(n, _READOUT_BUDGET // chunk))
    done = 0
    while done < trials:
        c = min(chunk, trials - done)
        idx = _draw_subsets(gen, n, k, c)
        a_np = _draw_amplitudes(gen, law, (c, k), np_dtype)
        idx_b = _as_backend(be, idx)
        a = _as_backend(be, a_np)
        V = U[idx_b]  # (c, k, d)
        if pool.inv_norms is not None:
            V = V * pool.inv_norms[idx_b][:, :, None]
        if be.name == "numpy":
            x = np.einsum("ck,ckd->cd", a, V)  # (c, d)
            r = np.einsum("ckd,cd->ck", V, x)  # (c, k): readouts of the active
            sq = np.einsum("ckd,ckd->ck", V, V)
        else:
            x = (a[:, None, :] @ V)[:, 0, :]
            r = (V @ x[:, :, None])[:, :, 0]
            sq = (V * V).sum(dim=2)
        e = r - a * sq
        e64 = to_numpy(e).astype(np.float64)
        extra = None
        if readout == "all":
            extra = _readout_all(be, pool, x, r, idx, c, nb)
        yield c, e64, extra
        done += c
        del V, x, r, e, idx_b, a


def _readout_all(
    be: Backend, pool: _Pool, x: Any, r: Any, idx: np.ndarray, c: int, nb: int
) -> dict[str, np.ndarray]:
    """Read out every pool direction: leak on the inactive ones, top-k recovery.

    The readout ``R = x U^T`` is formed in column blocks of ``nb`` directions.
    In each block the active entries are zeroed, and the row sums of squares
    and the row maxima of the absolute values are kept, so memory is
    ``O(c * nb)``.
    """
    xp = be.xp
    n, k = pool.n, idx.shape[1]
    U = pool.U
    sumsq = np.zeros(c)
    maxabs = np.zeros(c)
    rows = np.repeat(np.arange(c), k)
    cols = idx.ravel()
    for start in range(0, n, nb):
        stop = min(start + nb, n)
        R = x @ U[start:stop].T
        if pool.inv_norms is not None:
            R *= pool.inv_norms[start:stop][None, :]
        inside = (cols >= start) & (cols < stop)
        if be.name == "numpy":
            R[rows[inside], cols[inside] - start] = 0
            sumsq += np.einsum("ij,ij->i", R, R)
            np.maximum(maxabs, R.max(axis=1), out=maxabs)
            np.maximum(maxabs, -R.min(axis=1), out=maxabs)
        else:
            R.abs_()
            ri = _as_backend(be, rows[inside])
            ci = _as_backend(be, cols[inside] - start)
            R[ri, ci] = 0
            sumsq += to_numpy(xp.linalg.vector_norm(R, dim=1) ** 2).astype(float)
            np.maximum(maxabs, to_numpy(R.amax(dim=1)).astype(float), out=maxabs)
    r64 = to_numpy(r).astype(np.float64)
    total = to_numpy(x @ pool.s).astype(np.float64)  # sum of all readouts
    m = n - k
    leak_w = (total - r64.sum(axis=1)) / m
    leak_z = sumsq / m
    recovered = np.abs(r64).min(axis=1) > maxabs
    return {"z": leak_z, "w": leak_w, "recovered": recovered}


def _fresh_blocks(
    be: Backend,
    d: int,
    k: int,
    trials: int,
    law: str,
    gen: np.random.Generator,
    chunk: int,
    method: str,
) -> Iterator[tuple[int, np.ndarray, None]]:
    """Yield ``(rows, e, None)`` per chunk of the fresh-direction model, ``e`` of
    shape ``(rows,)``: one readout error per trial."""
    np_dtype = np.dtype(be.dtype)
    done = 0
    while done < trials:
        c = min(chunk, trials - done)
        if k == 1:
            e64 = np.zeros(c)
        elif method == "exact":
            # Overlaps with the read-out direction: t = z / sqrt(z^2 + W),
            # z ~ N(0, 1), W ~ chi^2_{d-1}, independent (chapter 1's law).
            z = gen.standard_normal((c, k - 1))
            w = 2.0 * gen.standard_gamma((d - 1) / 2.0, size=(c, k - 1))
            t = (z / np.sqrt(z * z + w)).astype(np_dtype)
            if law == "sign":
                # a t has the law of t when a = +-1 is independent of t.
                e = (
                    _as_backend(be, t).sum(axis=1)
                    if be.name == "numpy"
                    else (_as_backend(be, t).sum(dim=1))
                )
            else:
                a = _draw_amplitudes(gen, law, (c, k - 1), np_dtype)
                prod = _as_backend(be, t) * _as_backend(be, a)
                e = prod.sum(axis=1) if be.name == "numpy" else prod.sum(dim=1)
            e64 = to_numpy(e).astype(np.float64)
        else:
            G = _as_backend(be, gen.standard_normal((c, k, d), dtype=np_dtype))
            a = _as_backend(be, _draw_amplitudes(gen, law, (c, k - 1), np_dtype))
            if be.name == "numpy":
                G /= np.sqrt(np.einsum("ckd,ckd->ck", G, G))[:, :, None]
            else:
                G = G / G.norm(dim=2, keepdim=True)
            t = (G[:, 1:, :] @ G[:, 0, :, None])[:, :, 0]  # (c, k - 1)
            e = (a * t).sum(axis=1) if be.name == "numpy" else (a * t).sum(dim=1)
            e64 = to_numpy(e).astype(np.float64)
        yield c, e64, None
        done += c


def _setup(
    directions_or_d: Any,
    k: Any,
    trials: Any,
    amplitudes: Any,
    seed: Any,
    backend: Any,
    device: Any,
    dtype: Any,
    chunk: Any,
    method: Any,
    readout: Any,
) -> tuple[Backend, Any, int, int, str, np.random.Generator, int, str]:
    """Validate every argument before any work; return what the runs need."""
    k = check_int("k", k, minimum=1)
    trials = check_int("trials", trials, minimum=2)
    law = check_choice("amplitudes", amplitudes, AMPLITUDES)
    seed = check_seed("seed", seed)
    method = check_choice("method", method, METHODS)
    readout = check_choice("readout", readout, READOUTS)
    if chunk is not None:
        chunk = check_int("chunk", chunk, minimum=1)
    if dtype is not None:
        check_choice("dtype", dtype, ("float32", "float64"))
    integral = isinstance(directions_or_d, (int, np.integer)) and not isinstance(
        directions_or_d, bool
    )
    if integral:
        d = check_int("directions_or_d", directions_or_d, minimum=2)
        if readout == "all":
            raise ValueError(
                "readout must be 'active' for fresh directions (directions_or_d "
                f"an integer), got {readout!r}; pass a pool of directions to read "
                "out all of them"
            )
        if method == "auto":
            method = "exact"
        be = get_backend(backend, device, dtype)
        per_trial = k if method == "exact" else k * d
        pool: Any = d
    else:
        if isinstance(directions_or_d, bool) or np.isscalar(directions_or_d):
            raise TypeError(
                "directions_or_d must be an integer dimension d >= 2 or a 2-D "
                f"array of directions, got {directions_or_d!r}"
            )
        X = check_matrix("directions_or_d", directions_or_d, min_rows=2)
        n, d = int(X.shape[0]), int(X.shape[1])
        if method == "exact":
            raise ValueError(
                "method must be 'auto' or 'vectors' for a pool of directions, got "
                "'exact' (the exact overlap law holds for fresh uniform directions "
                "only)"
            )
        high = n - 1 if readout == "all" else n
        k = check_int("k", k, minimum=1, maximum=high)
        method = "pool"
        be = get_backend(backend, device, _resolve_dtype(dtype, backend, X))
        per_trial = k * d
        if k * (k - 1) > 4 * n:
            per_trial = max(per_trial, n)
        pool = X
    gen = np.random.default_rng(seed)
    c = _chunk_size(chunk, trials, per_trial)
    return be, pool, k, trials, law, gen, c, method


def simulate_interference(
    directions_or_d: Any,
    k: int,
    trials: int,
    *,
    amplitudes: str = "sign",
    seed: Any = None,
    backend: str = "numpy",
    device: str = "auto",
    dtype: str | None = None,
    chunk: int | None = None,
    method: str = "auto",
    readout: str = "active",
    theory: bool = True,
    progress: bool = False,
) -> InterferenceResult:
    r"""Monte Carlo estimate of the readout error when ``k`` directions are active.

    Each trial activates ``k`` directions with independent amplitudes
    :math:`a_j`, forms :math:`x = \sum_j a_j u_j` and reads out by
    projection; the readout error of an active direction is

    .. math:: e_i = \langle u_i, x\rangle - a_i
       = \sum_{j \ne i} a_j \langle u_i, u_j\rangle,

    whose variance the theory puts at :math:`(k - 1)\, m_2 / d_{\mathrm{eff}}`
    (:math:`m_2 = \mathbb{E}\,a^2`).

    Two models:

    * **fresh uniform directions** (``directions_or_d`` an integer ``d``):
      every trial draws new directions, uniform on the sphere, and reads out
      one of them. ``method="exact"`` (the default) uses that the ``k - 1``
      overlaps with the read-out direction are independent draws from the
      law of the chapter *Overlaps of random directions*,
      :math:`t = z / \sqrt{z^2 + W}` with :math:`z \sim N(0, 1)`,
      :math:`W \sim \chi^2_{d-1}`, so a readout costs ``O(k)`` and no vector
      is built; ``method="vectors"`` builds the ``k`` vectors (``O(k d)``).
      Both give the same law of :math:`e`.
    * **fixed pool** (``directions_or_d`` an ``(n, d)`` array): rows are the
      directions (scaled to unit length); each trial draws a uniformly random
      set of ``k`` distinct rows and reads out all ``k`` of them. With
      ``readout="all"`` every one of the ``n`` directions is read out as well
      (one ``(chunk, d) x (d, n)`` matrix product per chunk), which adds the
      leak on inactive directions and whether thresholding the readouts
      recovers the active set.

    Parameters
    ----------
    directions_or_d : int or array_like or torch.Tensor
        Either the dimension ``d >= 2`` (fresh uniform directions) or a pool
        of shape ``(n, d)``, ``n >= 2``, with no zero row.
    k : int
        Active directions per trial, ``1 <= k`` (``<= n`` for a pool,
        ``<= n - 1`` with ``readout="all"``).
    trials : int
        Number of trials, ``trials >= 2``.
    amplitudes : {"sign", "uniform", "gaussian"}, default "sign"
        Law of the amplitudes: independent random signs :math:`\pm 1`
        (:math:`m_2 = 1`), uniform on :math:`[0, 1]` (:math:`m_2 = 1/3`,
        mean 1/2), or standard normal (:math:`m_2 = 1`).
    seed : None, int or numpy.random.Generator, optional
        Seed. All random numbers are drawn by NumPy's generator, on every
        backend, so the same seed and chunk give the same draws everywhere.
    backend : {"numpy", "torch"}, default "numpy"
        Where the arithmetic runs (the matrix products; the random draws are
        made by NumPy and moved to the device).
    device : {"auto", "cpu", "cuda", "mps"}, default "auto"
        Device for ``backend="torch"``.
    dtype : {"float32", "float64"}, optional
        Arithmetic type; by default the pool's own float type, else float64
        for NumPy and float32 for PyTorch. Statistics are accumulated in
        float64 either way.
    chunk : int, optional
        Trials per chunk, ``chunk >= 1``. The largest temporaries hold
        ``chunk * k * d`` (fresh ``"vectors"`` and pool), ``chunk * k``
        (``"exact"``), ``chunk * n`` (pool with ``k (k-1) > 4 n``) and
        ``chunk * max(1, 2**20 // chunk)`` (``readout="all"``) elements; the
        default keeps them near ``2**22`` elements. Memory never grows with
        ``trials``.
    method : {"auto", "exact", "vectors"}, default "auto"
        Fresh directions only: ``"auto"`` means ``"exact"``.
    readout : {"active", "all"}, default "active"
        Pool only: read out the active directions, or every direction.
    theory : bool, default True
        Compute the exact theory value (one ``O(n d^2)`` pass over a pool).
    progress : bool, default False
        Show a progress bar over trials.

    Returns
    -------
    InterferenceResult
        ``sigma``, ``sigma_se``, ``variance``, ``variance_se``, the theory
        and the settings; see :class:`InterferenceResult`.

    Notes
    -----
    Each trial contributes the mean of :math:`e_i^2` and of :math:`e_i` over
    the directions it reads, so standard errors account for the correlation
    of readouts within a trial. Draws depend on ``chunk`` (the order in which
    the generator is consumed), not on the backend: NumPy and PyTorch on the
    CPU agree to rounding.

    References
    ----------
    :cite:t:`svozil2025semantic` states :math:`\sigma_{\mathrm{int}} \sim
    \sqrt{k / d_{\mathrm{eff}}}`; the chapter *Interference under
    concurrency* derives the exact law and runs this simulation.

    Examples
    --------
    >>> res = simulate_interference(64, 17, 20_000, seed=0)
    >>> round(res.theory_sigma, 3)  # sqrt(16 / 64)
    0.5
    >>> abs(res.sigma - res.theory_sigma) < 4 * res.sigma_se
    True
    >>> from semconc import random_directions
    >>> pool = random_directions(500, 32, seed=1)
    >>> res = simulate_interference(pool, 5, 4_000, amplitudes="uniform", seed=2)
    >>> res.readouts, round(res.sigma, 3), round(res.theory_sigma, 3)
    (20000, 0.204, 0.204)
    """
    theory = check_bool("theory", theory)
    progress = check_bool("progress", progress)
    be, pool, k, trials, law, gen, c, method = _setup(
        directions_or_d,
        k,
        trials,
        amplitudes,
        seed,
        backend,
        device,
        dtype,
        chunk,
        method,
        readout,
    )
    m1, m2 = _AMPLITUDE_MOMENTS[law]
    acc = _Moments()
    leak = _Moments()
    recovered = 0
    if method == "pool":
        P = _prepare_pool(be, pool, theory=theory, need_c2=m1 != 0.0 and k >= 2)
        n, d = P.n, P.d
        blocks = _pool_blocks(be, P, k, trials, law, gen, c, readout)
        readouts = trials * k
    else:
        n, d = None, pool
        blocks = _fresh_blocks(be, d, k, trials, law, gen, c, method)
        readouts = trials
    with tqdm(total=trials, disable=not progress, unit="trial") as bar:
        for rows, e, extra in blocks:
            if e.ndim == 1:
                acc.add(e * e, e)
            else:
                acc.add((e * e).mean(axis=1), e.mean(axis=1))
            if extra is not None:
                leak.add(extra["z"], extra["w"])
                recovered += int(extra["recovered"].sum())
            bar.update(rows)
    variance, variance_se, mean, mean_se = acc.finish()
    sigma, sigma_se = _sigma_and_se(variance, variance_se)
    if method == "pool":
        d_eff = P.n**2 / P.frame_potential if theory else math.nan
        tv = _pool_theory(P, k, m1, m2) if theory else math.nan
    else:
        d_eff = float(d)
        tv = (k - 1) * m2 / d
    kwargs: dict[str, Any] = {}
    if readout == "all":
        lv, lv_se, _, _ = leak.finish()
        ls, ls_se = _sigma_and_se(lv, lv_se)
        p = recovered / trials
        kwargs = {
            "leak_sigma": ls,
            "leak_sigma_se": ls_se,
            "leak_theory_sigma": (
                math.sqrt(_pool_theory(P, k, m1, m2, inactive=True))
                if theory
                else math.nan
            ),
            "top_k_recovery": p,
            "top_k_recovery_se": math.sqrt(p * (1 - p) / trials),
        }
    return InterferenceResult(
        sigma=sigma,
        sigma_se=sigma_se,
        variance=variance,
        variance_se=variance_se,
        mean=mean,
        mean_se=mean_se,
        theory_sigma=math.sqrt(tv) if theory else math.nan,
        theory_variance=tv,
        k=k,
        d=int(d),
        d_eff=float(d_eff),
        n=n,
        trials=trials,
        readouts=readouts,
        amplitudes=law,
        amplitude_second_moment=m2,
        method=method,
        backend=be.name,
        device=be.device,
        dtype=be.dtype,
        **kwargs,
    )


def interference_errors(
    directions_or_d: Any,
    k: int,
    trials: int,
    *,
    amplitudes: str = "sign",
    seed: Any = None,
    backend: str = "numpy",
    device: str = "auto",
    dtype: str | None = None,
    chunk: int | None = None,
    method: str = "auto",
) -> np.ndarray:
    r"""The individual readout errors :math:`e_i` that :func:`simulate_interference`
    summarises.

    Same models, arguments and random draws as :func:`simulate_interference`
    (with ``readout="active"``), but the errors are returned, which costs
    memory proportional to ``trials``. Use it for histograms and tests of the
    whole law.

    Parameters
    ----------
    directions_or_d, k, trials, amplitudes, seed, backend, device, dtype, chunk, method
        As in :func:`simulate_interference`.

    Returns
    -------
    numpy.ndarray, float64
        Shape ``(trials,)`` for fresh directions (one readout per trial) or
        ``(trials, k)`` for a pool (every active direction of a trial).

    Examples
    --------
    >>> e = interference_errors(16, 5, 100_000, seed=0)
    >>> e.shape, round(float(e.var()) * 16 / 4, 2)  # (k - 1) / d = 4 / 16
    ((100000,), 1.0)
    >>> e = interference_errors(np.eye(3), 2, 10, seed=0)  # orthonormal: no leak
    >>> float(np.abs(e).max())
    0.0
    """
    be, pool, k, trials, law, gen, c, method = _setup(
        directions_or_d,
        k,
        trials,
        amplitudes,
        seed,
        backend,
        device,
        dtype,
        chunk,
        method,
        "active",
    )
    if method == "pool":
        P = _prepare_pool(be, pool, theory=False, need_c2=False)
        blocks = _pool_blocks(be, P, k, trials, law, gen, c, "active")
    else:
        blocks = _fresh_blocks(be, pool, k, trials, law, gen, c, method)
    return np.concatenate([e for _, e, _ in blocks], axis=0)


def average_interference_variance(
    directions: Any, k: int, *, amplitudes: str = "sign"
) -> float:
    r"""Exact variance of the readout error, averaged over all active sets of a pool.

    For a fixed pool of ``n`` unit directions (rows, normalised first) with
    Gram matrix :math:`G`, a uniformly random active set of ``k`` rows and
    independent amplitudes with mean :math:`m_1` and second moment
    :math:`m_2`, the readout error of an active direction has

    .. math:: \operatorname{Var} e = (k - 1)\, m_2\, \bar q
       + (k - 1)(k - 2)\, m_1^2\, \bar p - \bigl((k - 1)\, m_1 \bar g\bigr)^2,

    with :math:`\bar q`, :math:`\bar g` the means of :math:`G_{ij}^2` and
    :math:`G_{ij}` over pairs :math:`i \ne j` and :math:`\bar p` the mean of
    :math:`G_{ij} G_{il}` over distinct triples. Since
    :math:`\sum_{i,j} G_{ij}^2 = n^2 / d_{\mathrm{eff}}`, for zero-mean
    amplitudes this is :math:`(k - 1)\, m_2\, (n - d_{\mathrm{eff}}) /
    (d_{\mathrm{eff}}\,(n - 1))`.

    Parameters
    ----------
    directions : array_like or torch.Tensor, shape (n, d)
        The pool, ``n >= 2``, no zero row.
    k : int
        Active directions, ``1 <= k <= n``.
    amplitudes : {"sign", "uniform", "gaussian"}, default "sign"
        Amplitude law, as in :func:`simulate_interference`.

    Returns
    -------
    float
        The variance (the square of ``theory_sigma`` of
        :func:`simulate_interference` for this pool).

    See Also
    --------
    interference_lower_bound : no pool of ``n`` directions in ``R^d`` does
        better.

    References
    ----------
    The chapter *Can structure beat the random baseline?*.

    Examples
    --------
    >>> average_interference_variance(np.eye(4), 3)  # orthonormal: no leak
    0.0
    >>> # the regular simplex in R^2 (3 directions at 120 degrees), k = 2
    >>> U = np.array([[1.0, 0.0], [-0.5, 3**0.5 / 2], [-0.5, -(3**0.5) / 2]])
    >>> round(average_interference_variance(U, 2), 12)  # overlap^2 = 1/4
    0.25
    """
    X = check_matrix("directions", directions, min_rows=2)
    k = check_int("k", k, minimum=1, maximum=int(X.shape[0]))
    m1, m2 = _amplitude_moments(amplitudes)
    be = get_backend(*_backend_args(X))
    P = _prepare_pool(be, X, theory=True, need_c2=m1 != 0.0 and k >= 2)
    return _pool_theory(P, k, m1, m2)


def _backend_args(X: Any) -> tuple[str, str, str | None]:
    """Backend, device and dtype of an array as given (for the pool helpers)."""
    b = backend_of(X)
    return b.name, b.device, b.dtype


def interference_lower_bound(
    n: int, d: int, k: int, *, amplitudes: str = "sign"
) -> float:
    r"""The least average interference any ``n`` unit directions in ``R^d`` allow.

    .. math:: \operatorname{Var} e \;\ge\; (k - 1)\, v\,
       \frac{n - d}{d\,(n - 1)} \quad (n > d), \qquad 0 \quad (n \le d),

    with :math:`v = \operatorname{Var} a = m_2 - m_1^2` the variance of the
    amplitude law. For zero-mean laws (``"sign"``, ``"gaussian"``) tight
    frames attain it, and random directions sit a factor
    :math:`(n - 1)/(n - d)` above it on average.

    Parameters
    ----------
    n : int
        Number of directions, ``n >= 2``.
    d : int
        Dimension, ``d >= 1``.
    k : int
        Active directions, ``1 <= k <= n``.
    amplitudes : {"sign", "uniform", "gaussian"}, default "sign"
        Amplitude law.

    Returns
    -------
    float
        The bound on the variance of the readout error of an active direction,
        averaged over uniformly random active sets.

    References
    ----------
    The frame potential bound of :cite:t:`benedetto2003finite` (Welch's
    inequality, :cite:t:`welch1974lower`); proof in the chapter *Can
    structure beat the random baseline?*.

    Examples
    --------
    >>> interference_lower_bound(3, 2, 2)  # the three directions at 120 degrees
    0.25
    >>> interference_lower_bound(10, 10, 5)
    0.0
    """
    n = check_int("n", n, minimum=2)
    d = check_int("d", d, minimum=1)
    k = check_int("k", k, minimum=1, maximum=n)
    m1, m2 = _amplitude_moments(amplitudes)
    if n <= d:
        return 0.0
    return float((k - 1) * (m2 - m1 * m1) * (n - d) / (d * (n - 1)))


def worst_case_interference(
    directions: Any, k: int, *, block: int | None = None
) -> float:
    r"""The largest readout error any active set of ``k`` directions can cause.

    With amplitudes bounded by 1 in absolute value, the error of direction
    ``i`` is at most :math:`\sum_{j \in S \setminus i} |G_{ij}|`, and that
    value is reached by activating the ``k - 1`` directions with the largest
    :math:`|G_{ij}|` with signs :math:`a_j = \operatorname{sign} G_{ij}`. So

    .. math:: e_{\max} = \max_i \sum_{\text{top } k - 1 \text{ of } j \ne i}
       |\langle u_i, u_j\rangle| \;\le\; (k - 1)\,\mu,

    with :math:`\mu` the coherence; equality holds for equiangular frames.

    Parameters
    ----------
    directions : array_like or torch.Tensor, shape (n, d)
        The pool, ``n >= 2``, no zero row (rows are normalised first).
    k : int
        Active directions, ``1 <= k <= n``.
    block : int, optional
        Rows of the Gram matrix formed at once, ``block >= 1``; the default
        keeps a block near ``2**22`` entries.

    Returns
    -------
    float
        The worst-case readout error, in ``[0, k - 1]``.

    References
    ----------
    The chapter *Can structure beat the random baseline?*.

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [-0.5, 3**0.5 / 2], [-0.5, -(3**0.5) / 2]])
    >>> round(worst_case_interference(U, 3), 12)  # two overlaps of 1/2
    1.0
    """
    X = check_matrix("directions", directions, min_rows=2)
    n = int(X.shape[0])
    k = check_int("k", k, minimum=1, maximum=n)
    if block is None:
        block = max(1, min(n, _BUDGET // n))
    block = check_int("block", block, minimum=1)
    U, _ = unit_rows(np.asarray(to_numpy(X), dtype=float), "directions")
    if k == 1:
        return 0.0
    worst = 0.0
    for start in range(0, n, block):
        G = np.abs(U[start : start + block] @ U.T)
        G[np.arange(G.shape[0]), np.arange(start, start + G.shape[0])] = 0.0
        top = np.partition(G, n - (k - 1), axis=1)[:, n - (k - 1) :]
        worst = max(worst, float(top.sum(axis=1).max()))
    return worst


def tight_frame(
    n: int, d: int, *, seed: Any = None, tol: float = 1e-10, max_iter: int = 5000
) -> np.ndarray:
    r"""A random unit-norm tight frame: ``n`` unit rows with ``U^T U = (n/d) I``.

    Starting from uniform random directions, alternate the two projections
    :cite:p:`benedetto2003finite`: onto tight frames (replace ``U`` by
    :math:`\sqrt{n/d}` times the polar factor of ``U``, the nearest matrix
    with :math:`U^\top U = (n/d) I`) and onto unit rows (normalise each row),
    until :math:`\lVert U^\top U - (n/d) I\rVert_F \le` ``tol`` :math:`\cdot n/d`.
    For ``d > n / 2`` the frame is built in dimension ``n - d`` and replaced
    by its Naimark complement (the orthogonal complement of its columns,
    rescaled), which is again a unit-norm tight frame and converges much
    faster; ``n = d`` gives a random orthonormal basis.

    Tight frames minimise the frame potential, so they attain
    :func:`interference_lower_bound` exactly. Unlike equiangular tight frames
    they exist for every ``n >= d``; unlike harmonic frames their coherence
    is that of random directions.

    Parameters
    ----------
    n : int
        Number of directions, ``n >= d``.
    d : int
        Dimension, ``d >= 1``.
    seed : None, int or numpy.random.Generator, optional
        Seed of the random start (and of the random rotation when
        ``d > n / 2``).
    tol : float, default 1e-10
        Relative tightness at which to stop, in ``(0, 1)``.
    max_iter : int, default 5000
        Most alternations, ``max_iter >= 1``; a :class:`RuntimeWarning` says
        when the tolerance was not reached.

    Returns
    -------
    numpy.ndarray, shape (n, d), float64
        Unit rows forming a tight frame.

    References
    ----------
    :cite:t:`benedetto2003finite`; the chapter *Can structure beat the random
    baseline?*.

    Examples
    --------
    >>> U = tight_frame(12, 4, seed=0)
    >>> np.allclose(U.T @ U, 3 * np.eye(4)), np.allclose((U * U).sum(1), 1)
    (True, True)
    """
    n = check_int("n", n, minimum=1)
    d = check_int("d", d, minimum=1)
    if n < d:
        raise ValueError(
            f"n must be an integer >= d = {d} (fewer than d vectors cannot span "
            f"R^d), got {n}"
        )
    tol = check_real("tol", tol, low=0.0, high=1.0, low_open=True, high_open=True)
    max_iter = check_int("max_iter", max_iter, minimum=1)
    gen = np.random.default_rng(check_seed("seed", seed))
    return _tight_frame(n, d, gen, tol, max_iter)


def _tight_frame(
    n: int, d: int, gen: np.random.Generator, tol: float, max_iter: int
) -> np.ndarray:
    if n == d:
        Q, R = np.linalg.qr(gen.standard_normal((d, d)))
        return Q * np.where(np.diag(R) < 0, -1.0, 1.0)
    if d == 1:
        return gen.choice([-1.0, 1.0], size=(n, 1))
    if 2 * d > n:
        # Naimark complement: sqrt(m/n) V has orthonormal columns; complete
        # them to an orthogonal matrix and keep the other d columns.
        m = n - d
        V = _tight_frame(n, m, gen, tol, max_iter)
        Q = np.linalg.qr(np.sqrt(m / n) * V, mode="complete")[0]
        W = Q[:, m:] @ np.linalg.qr(gen.standard_normal((d, d)))[0]
        return W * np.sqrt(n / d)
    U = gen.standard_normal((n, d))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    scale = n / d
    for _ in range(max_iter):
        S = U.T @ U
        err = np.linalg.norm(S - scale * np.eye(d)) / scale
        if err <= tol:
            return U
        # Polar factor U (U^T U)^(-1/2), scaled to U^T U = (n/d) I.
        w, Q = np.linalg.eigh(S)
        U = U @ ((Q * np.sqrt(scale / w)) @ Q.T)
        U /= np.linalg.norm(U, axis=1, keepdims=True)
    err = np.linalg.norm(U.T @ U - scale * np.eye(d)) / scale
    if err <= tol:
        return U
    warnings.warn(
        f"tight_frame({n}, {d}) reached tightness {err:.2e} > tol = {tol:g} "
        f"after max_iter = {max_iter} alternations",
        RuntimeWarning,
        stacklevel=3,
    )
    return U


def anisotropic_directions(
    n: int,
    spectrum: Any,
    *,
    seed: Any = None,
    backend: str = "numpy",
    device: str = "auto",
    dtype: str | None = None,
) -> Any:
    r"""Directions with unequal variance along the axes, normalised to unit length.

    Row ``r`` is :math:`x_r / \lVert x_r\rVert` with
    :math:`x_r \sim N(0, \operatorname{diag}(\lambda))`. The second-moment
    matrix is diagonal with entries that grow with :math:`\lambda_i`, and its
    participation ratio :math:`d_{\mathrm{eff}}` is close to
    :math:`(\sum_i \lambda_i)^2 / \sum_i \lambda_i^2` when that is large;
    measure it with :func:`effective_dimension`. A law symmetric under
    :math:`u \mapsto -u`, so the interference theorem applies to every
    amplitude law.

    Parameters
    ----------
    n : int
        Number of directions, ``n >= 1``.
    spectrum : array_like, shape (d,)
        Variances along the ``d`` axes, non-negative, not all zero.
    seed : None, int or numpy.random.Generator, optional
        Seed.
    backend, device, dtype
        As in :func:`semconc.random_directions`.

    Returns
    -------
    numpy.ndarray or torch.Tensor, shape (n, d)
        Unit rows.

    References
    ----------
    The chapters *Interference under concurrency* and *Can structure beat
    the random baseline?*.

    Examples
    --------
    >>> U = anisotropic_directions(20_000, [1.0, 1.0, 0.0, 0.0], seed=0)
    >>> round(effective_dimension(U), 2)  # two equal axes, two empty ones
    2.0
    """
    n = check_int("n", n, minimum=1)
    lam = check_real_array("spectrum", spectrum, low=0.0)
    if lam.ndim != 1 or lam.size == 0 or not np.any(lam > 0):
        raise ValueError(
            "spectrum must be a non-empty 1-D array of variances >= 0, not all "
            f"zero, got {np.asarray(spectrum)!r}"
        )
    be = get_backend(backend, device, dtype)
    gen = be.generator(seed)
    X = be.standard_normal((n, lam.size), gen) * be.asarray(np.sqrt(lam))
    # A row can vanish only with probability 0 (all its variance on axes that
    # drew exactly zero); normalise_rows keeps it finite anyway.
    return be.normalise_rows(X)


def clustered_directions(
    n: int,
    d: int,
    clusters: int,
    spread: float,
    *,
    seed: Any = None,
    backend: str = "numpy",
    device: str = "auto",
    dtype: str | None = None,
) -> Any:
    r"""Directions gathered around ``clusters`` random centres.

    Row ``r`` is :math:`(c_{r \bmod m} + s\, g_r / \sqrt{d}) / \lVert\cdot\rVert`
    with centres :math:`c_1, \dots, c_m` uniform on the sphere,
    :math:`g_r \sim N(0, I_d)` and ``s = spread``: at ``spread = 0`` every row
    is a centre (``d_eff <= clusters``), as ``spread`` grows the rows become
    uniform (``d_eff -> d``). Centres and noise are symmetric in law under
    :math:`u \mapsto -u`.

    Parameters
    ----------
    n : int
        Number of directions, ``n >= 1``.
    d : int
        Dimension, ``d >= 1``.
    clusters : int
        Number of centres, ``1 <= clusters <= n``.
    spread : float
        Noise level relative to a centre, ``spread >= 0``.
    seed : None, int or numpy.random.Generator, optional
        Seed.
    backend, device, dtype
        As in :func:`semconc.random_directions`.

    Returns
    -------
    numpy.ndarray or torch.Tensor, shape (n, d)
        Unit rows; row ``r`` belongs to cluster ``r % clusters``.

    References
    ----------
    The chapter *Can structure beat the random baseline?*.

    Examples
    --------
    >>> U = clustered_directions(600, 64, 3, 0.0, seed=0)
    >>> round(effective_dimension(U), 2)  # three nearly orthogonal centres
    2.87
    """
    n = check_int("n", n, minimum=1)
    d = check_int("d", d, minimum=1)
    clusters = check_int("clusters", clusters, minimum=1, maximum=n)
    spread = check_real("spread", spread, low=0.0)
    be = get_backend(backend, device, dtype)
    gen = be.generator(seed)
    C = be.normalise_rows(be.standard_normal((clusters, d), gen))
    X = C[np.arange(n) % clusters] + (spread / math.sqrt(d)) * be.standard_normal(
        (n, d), gen
    )
    return be.normalise_rows(X)


@dataclass(frozen=True)
class ExponentFit:
    """A power law ``y = C x**exponent`` fitted on log scales with known errors.

    Attributes
    ----------
    exponent, exponent_se : float
        Slope of ``log y`` against ``log x`` and its standard error.
    ci_low, ci_high : float
        Two-sided confidence interval at ``level``.
    log_prefactor, log_prefactor_se : float
        Intercept ``log C`` and its standard error.
    chi2 : float
        Sum of squared standardised residuals (``dof`` degrees of freedom);
        far above ``dof`` means the power law does not fit within the errors.
    dof : int
        Points minus 2.
    level : float
        Confidence level.
    """

    exponent: float
    exponent_se: float
    ci_low: float
    ci_high: float
    log_prefactor: float
    log_prefactor_se: float
    chi2: float
    dof: int
    level: float

    @property
    def chi2_pvalue(self) -> float:
        """Probability of a chi-squared at least this large if the law holds."""
        return float(stats.chi2.sf(self.chi2, self.dof)) if self.dof > 0 else math.nan


def fit_scaling_exponent(
    x: Any, y: Any, y_se: Any, *, level: float = 0.95
) -> ExponentFit:
    r"""Fit ``y = C x**b`` by weighted least squares of ``log y`` on ``log x``.

    Each point has weight :math:`1/s_i^2` with :math:`s_i = \mathrm{se}(y_i)/y_i`,
    the delta-method standard error of :math:`\log y_i`. The standard error
    of :math:`b` comes from these weights (not from the scatter of the
    residuals), and the confidence interval uses the normal quantile:

    .. math:: \hat b = \frac{\sum_i w_i (\xi_i - \bar \xi)\, \eta_i}
       {\sum_i w_i (\xi_i - \bar \xi)^2}, \qquad
       \mathrm{se}(\hat b) = \Bigl(\sum_i w_i (\xi_i - \bar\xi)^2\Bigr)^{-1/2},

    with :math:`\xi = \log x`, :math:`\eta = \log y` and :math:`\bar\xi` the
    weighted mean.

    Parameters
    ----------
    x, y, y_se : array_like, shape (m,)
        At least two distinct positive ``x``; positive ``y``; positive ``y_se``.
    level : float, default 0.95
        Confidence level, in ``(0, 1)``.

    Returns
    -------
    ExponentFit

    References
    ----------
    The decisive experiment in the chapter *Interference under concurrency*.

    Examples
    --------
    >>> fit = fit_scaling_exponent([1, 4, 16], [1.0, 2.0, 4.0], [0.01, 0.02, 0.04])
    >>> round(fit.exponent, 6), round(fit.exponent_se, 4), round(fit.chi2, 6)
    (0.5, 0.0051, 0.0)
    """
    x = check_real_array("x", x, low=0.0, low_open=True).ravel()
    y = check_real_array("y", y, low=0.0, low_open=True).ravel()
    se = check_real_array("y_se", y_se, low=0.0, low_open=True).ravel()
    level = check_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    if not (x.size == y.size == se.size):
        raise ValueError(
            f"x, y and y_se must have the same length, got {x.size}, {y.size} and "
            f"{se.size}"
        )
    if np.unique(x).size < 2:
        raise ValueError(f"x must hold at least two distinct values, got {x!r}")
    xi, eta = np.log(x), np.log(y)
    w = (y / se) ** 2
    xbar = float((w * xi).sum() / w.sum())
    sxx = float((w * (xi - xbar) ** 2).sum())
    b = float((w * (xi - xbar) * eta).sum() / sxx)
    a = float((w * eta).sum() / w.sum() - b * xbar)
    b_se = 1.0 / math.sqrt(sxx)
    a_se = math.sqrt(1.0 / w.sum() + xbar**2 / sxx)
    resid = eta - a - b * xi
    chi2 = float((w * resid**2).sum())
    z = float(stats.norm.ppf(0.5 + level / 2))
    return ExponentFit(
        exponent=b,
        exponent_se=b_se,
        ci_low=b - z * b_se,
        ci_high=b + z * b_se,
        log_prefactor=a,
        log_prefactor_se=a_se,
        chi2=chi2,
        dof=int(x.size - 2),
        level=level,
    )
