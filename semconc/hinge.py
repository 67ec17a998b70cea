r"""The hinge model of a polysemous token, its estimators and a falsification test.

The hinge hypothesis of :cite:t:`svozil2025semantic` says that the contextual
embeddings :math:`x_i \in \mathbb{R}^d` of one token, seen in contexts
:math:`i = 1, \dots, n` with senses :math:`s(i) \in \{1, \dots, K\}`, decompose
as

.. math:: x_i = a_i\, h + c_i + \xi_i, \qquad \lVert h\rVert = 1,\quad
   c_i \in S_{s(i)} \subset h^{\perp},\quad \dim S_k = r_k \ll d,

with a *hinge* :math:`h` shared by every context, a scalar load
:math:`a_i > 0`, a *sense component* :math:`c_i` inside a low-dimensional
*sense subspace* :math:`S_k` of the *carrier* :math:`h^\perp`, and noise
:math:`\xi_i`. The module implements

* a planted generator of such data (:func:`planted_hinge`);
* estimators of :math:`h`, the carrier projector :math:`P = I - hh^\top` and
  the :math:`S_k` (:func:`fit_hinge`), and unsupervised recovery of the senses
  by spectral clustering of carrier directions (:func:`cluster_senses`);
* diagnostics: bootstrap stability of the hinge (:func:`hinge_bootstrap`),
  its share of the second moment (:func:`hinge_share`), the effective
  dimension of each sense (:func:`sense_dimensions`), principal angles
  between sense subspaces (:func:`sense_angles`) and cross-validated sense
  decodability from the carrier or the hinge alone (:func:`sense_decodability`);
* a falsification test (:func:`hinge_test`) whose three components reject
  the three null models (no shared hinge, sense information not in the
  carrier, senses not low-dimensional) and whose overall :math:`p`-value is
  the largest of the three, an intersection-union test of level
  :math:`\alpha` :cite:p:`berger1982multiparameter`.

Two results fix the estimators. With the sense components centred across
senses (:math:`\sum_k \bar c_k = 0`) the mean direction
:math:`\bar x / \lVert\bar x\rVert` is a consistent estimate of :math:`h` whose
angle error has root-mean-square
:math:`\sqrt{\operatorname{tr}(P\Sigma P)/n}\,/\,\bar a` (:math:`\Sigma` the
covariance of :math:`x`); otherwise the mean is tilted towards the mean sense
offset :math:`\bar c` by the angle :math:`\arctan(\lVert\bar c\rVert/\bar a)`,
and the span-intersection estimator (``method="intersection"``), which
takes :math:`h` as the one direction shared by the spans of all senses,
removes the tilt. For
:math:`n` directions spread isotropically over :math:`D` dimensions, the
participation ratio used as effective dimension has the expectation
:math:`\approx nD/(n + D - 1)`, the reference against which a sense is called
low-dimensional. The chapter *The hinge model* derives both and checks them;
*Hinges in a real model* applies the test to a sentence encoder.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import linalg

from ._backend import backend_of, to_numpy
from ._validation import (
    check_choice,
    check_int,
    check_matrix,
    check_real,
    check_seed,
)
from .interference import _participation_ratio, effective_dimension

__all__ = [
    "PlantedHinge",
    "HingeFit",
    "ProbeResult",
    "HingeTestResult",
    "planted_hinge",
    "fit_hinge",
    "carrier_projection",
    "cluster_senses",
    "hinge_bootstrap",
    "hinge_share",
    "sense_dimensions",
    "isotropic_dimension",
    "sense_angles",
    "sense_decodability",
    "bootstrap_contexts",
    "hinge_alignment",
    "hinge_test",
]

METHODS = ("mean", "svd", "intersection")
FEATURES = ("carrier", "hinge", "full")


# --------------------------------------------------------------------------
# Small shared helpers
# --------------------------------------------------------------------------


def _as_float_matrix(name: str, X: Any, *, min_rows: int = 1) -> np.ndarray:
    X = check_matrix(name, X, min_rows=min_rows, min_cols=2)
    return np.asarray(to_numpy(X), dtype=float)


def _check_labels(labels: Any, n: int, *, min_per_sense: int = 1) -> np.ndarray:
    """Return ``labels`` as a 1-D array of length ``n``."""
    try:
        lab = np.asarray(labels)
    except (TypeError, ValueError):
        raise TypeError(f"labels must be a 1-D sequence, got {labels!r}") from None
    if lab.ndim != 1 or lab.shape[0] != n:
        raise ValueError(
            f"labels must be 1-D with one entry per row of X ({n}), "
            f"got shape {lab.shape}"
        )
    if min_per_sense > 1:
        values, counts = np.unique(lab, return_counts=True)
        if counts.min() < min_per_sense:
            bad = values[np.argmin(counts)].item()
            raise ValueError(
                f"labels must give every sense at least {min_per_sense} contexts, "
                f"got {int(counts.min())} for sense {bad!r}"
            )
    return lab


def _senses(labels: np.ndarray) -> list[Any]:
    return [v.item() if hasattr(v, "item") else v for v in np.unique(labels)]


def _compared_senses(labels: np.ndarray) -> list[Any]:
    """The senses of ``labels``; raises unless there are at least two to compare."""
    senses = _senses(labels)
    if len(senses) < 2:
        raise ValueError(f"labels must contain at least 2 senses, got {len(senses)}")
    return senses


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    if norm == 0.0:
        raise ValueError("cannot estimate a hinge: the mean direction is zero")
    return v / norm


def _angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    """Angle between two lines (sign ignored), in degrees."""
    c = abs(float(u @ v)) / (np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.degrees(np.arccos(min(1.0, c))))


def _rng(seed: Any) -> np.random.Generator:
    return np.random.default_rng(check_seed("seed", seed))


def _progress(iterable: Any, progress: bool, desc: str) -> Any:
    if not progress:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc)


# --------------------------------------------------------------------------
# The planted model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedHinge:
    """Ground truth of a sample drawn by :func:`planted_hinge`.

    Attributes
    ----------
    hinge : numpy.ndarray
        The planted unit hinge :math:`h`, shape ``(d,)``.
    sense_bases : dict
        Sense label to an orthonormal basis of :math:`S_k` as rows,
        shape ``(r_k, d)``, every row orthogonal to ``hinge``.
    sense_centroids : dict
        Sense label to the planted sense offset :math:`\\bar c_k \\in S_k`,
        shape ``(d,)``.
    coefficients : numpy.ndarray
        The hinge loads :math:`a_i`, shape ``(n,)``.
    orthogonal_senses : bool
        Whether the sense subspaces were drawn mutually orthogonal.
    """

    hinge: np.ndarray
    sense_bases: dict[Any, np.ndarray]
    sense_centroids: dict[Any, np.ndarray]
    coefficients: np.ndarray
    orthogonal_senses: bool

    @property
    def mean_offset(self) -> np.ndarray:
        """Mean of the sense offsets over senses, :math:`\\bar c`, shape (d,)."""
        return np.mean(list(self.sense_centroids.values()), axis=0)


def _per_sense(name: str, value: Any, n_senses: int, minimum: int, maximum: int):
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != n_senses:
            raise ValueError(
                f"{name} must be an integer or a sequence of n_senses={n_senses} "
                f"integers, got {len(value)} entries"
            )
        return [check_int(name, v, minimum=minimum, maximum=maximum) for v in value]
    return [check_int(name, value, minimum=minimum, maximum=maximum)] * n_senses


def planted_hinge(
    n_per_sense: int | Sequence[int],
    d: int,
    *,
    n_senses: int = 2,
    sense_dim: int | Sequence[int] = 2,
    hinge_strength: float = 1.0,
    hinge_jitter: float = 0.1,
    sense_shift: float = 0.5,
    sense_spread: float = 0.5,
    noise: float = 0.2,
    orthogonal_senses: bool | None = None,
    seed: Any = None,
) -> tuple[np.ndarray, np.ndarray, PlantedHinge]:
    r"""Draw contexts of one token from the planted hinge model.

    Context :math:`i` of sense :math:`k` is

    .. math:: x_i = a_i h + B_k^\top z_i + \xi_i,\qquad
       a_i = \bar a\,(1 + \tau g_i),\quad
       z_i = m_k + \frac{s}{\sqrt{r_k}} g'_i,\quad
       \xi_i \sim \mathcal N\!\left(0, \tfrac{\sigma^2}{d} I_d\right),

    with :math:`g_i, g'_i` standard normal, :math:`h` a uniform unit vector,
    :math:`B_k` (``r_k x d``) an orthonormal basis of a sense subspace in
    :math:`h^\perp` and :math:`m_k \in \mathbb{R}^{r_k}` a uniform vector of
    length ``sense_shift``. So :math:`\bar a` is the hinge strength, the sense
    offset has length ``sense_shift``, the within-sense variation has
    root-mean-square length ``sense_spread`` and the noise root-mean-square
    length ``noise``.

    Parameters
    ----------
    n_per_sense : int or sequence of int
        Contexts per sense (each ``>= 1``), one number for all senses or one
        per sense.
    d : int
        Ambient dimension, ``d >= 3``.
    n_senses : int, default 2
        Number of senses ``K >= 1``.
    sense_dim : int or sequence of int, default 2
        Dimension :math:`r_k` of each sense subspace, in ``[1, d - 1]``;
        ``d - 1`` fills the whole carrier (the "senses not low-dimensional"
        null model).
    hinge_strength : float, default 1.0
        Mean hinge load :math:`\bar a \ge 0`; 0 is the "no hinge" null model.
    hinge_jitter : float, default 0.1
        Relative standard deviation :math:`\tau \ge 0` of the load.
    sense_shift : float, default 0.5
        Length of each sense offset :math:`B_k^\top m_k`, ``>= 0``.
    sense_spread : float, default 0.5
        Root-mean-square length of the within-sense variation, ``>= 0``.
    noise : float, default 0.2
        Root-mean-square length of the isotropic noise, ``>= 0``.
    orthogonal_senses : bool, optional
        Draw the sense subspaces mutually orthogonal. The default does so
        whenever :math:`\sum_k r_k \le d - 1` and draws them independently
        otherwise; orthogonal senses make "no hinge" mean exactly that the
        sense offsets share no direction.
    seed : None, int or numpy.random.Generator, optional
        Seed of the random generator.

    Returns
    -------
    X : numpy.ndarray, shape (n, d)
        The contexts, sense by sense.
    labels : numpy.ndarray of int, shape (n,)
        The sense of each row, ``0 .. K - 1``.
    truth : PlantedHinge
        The planted hinge, sense bases, sense offsets and loads.

    See Also
    --------
    fit_hinge : estimates what this function plants.

    Notes
    -----
    The chapter *The hinge model* uses this generator for every check of the
    estimators and for the power of :func:`hinge_test`.

    Examples
    --------
    >>> X, labels, truth = planted_hinge(5, 8, n_senses=3, seed=0)
    >>> X.shape, labels.tolist()
    ((15, 8), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2])
    >>> round(float(truth.hinge @ truth.sense_bases[1][0]), 12)
    0.0
    """
    d = check_int("d", d, minimum=3)
    n_senses = check_int("n_senses", n_senses, minimum=1)
    counts = _per_sense("n_per_sense", n_per_sense, n_senses, 1, 2**31)
    dims = _per_sense("sense_dim", sense_dim, n_senses, 1, d - 1)
    hinge_strength = check_real("hinge_strength", hinge_strength, low=0.0)
    hinge_jitter = check_real("hinge_jitter", hinge_jitter, low=0.0)
    sense_shift = check_real("sense_shift", sense_shift, low=0.0)
    sense_spread = check_real("sense_spread", sense_spread, low=0.0)
    noise = check_real("noise", noise, low=0.0)
    fits = sum(dims) <= d - 1
    if orthogonal_senses is None:
        orthogonal_senses = fits
    elif not isinstance(orthogonal_senses, bool):
        raise TypeError(
            f"orthogonal_senses must be None or a bool, got {orthogonal_senses!r}"
        )
    elif orthogonal_senses and not fits:
        raise ValueError(
            "orthogonal_senses=True needs sum(sense_dim) <= d - 1 = "
            f"{d - 1}, got {sum(dims)}"
        )
    rng = _rng(seed)

    # A random orthonormal frame: first row the hinge, the rest the carrier.
    frame = np.linalg.qr(rng.standard_normal((d, d)))[0].T
    hinge, carrier = frame[0], frame[1:]
    bases, centroids = {}, {}
    start = 0
    for k, r in enumerate(dims):
        if orthogonal_senses:
            coords = np.eye(d - 1)[start : start + r]
            start += r
        else:
            coords = np.linalg.qr(rng.standard_normal((d - 1, r)))[0].T
        bases[k] = coords @ carrier
        m = rng.standard_normal(r)
        centroids[k] = sense_shift * (m / np.linalg.norm(m)) @ bases[k]

    rows, labels, loads = [], [], []
    for k, (n_k, r) in enumerate(zip(counts, dims, strict=True)):
        a = hinge_strength * (1.0 + hinge_jitter * rng.standard_normal(n_k))
        z = rng.standard_normal((n_k, r)) * (sense_spread / np.sqrt(r))
        xi = rng.standard_normal((n_k, d)) * (noise / np.sqrt(d))
        rows.append(a[:, None] * hinge + centroids[k] + z @ bases[k] + xi)
        labels.append(np.full(n_k, k))
        loads.append(a)
    truth = PlantedHinge(
        hinge=hinge,
        sense_bases=bases,
        sense_centroids=centroids,
        coefficients=np.concatenate(loads),
        orthogonal_senses=bool(orthogonal_senses),
    )
    return np.vstack(rows), np.concatenate(labels), truth


# --------------------------------------------------------------------------
# Estimators
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class HingeFit:
    """The estimated hinge, carrier and sense subspaces of one token.

    Attributes
    ----------
    hinge : numpy.ndarray
        Unit estimate of :math:`h`, shape ``(d,)``, oriented so that the mean
        load is positive.
    carrier : numpy.ndarray
        The carrier projector :math:`P = I - hh^\\top`, shape ``(d, d)``.
    coefficients : numpy.ndarray
        Loads :math:`\\langle x_i, h\\rangle`, shape ``(n,)``.
    sense_subspaces : dict
        Sense label to an orthonormal basis of the estimated :math:`S_k`
        (rows, shape ``(r_k, d)``); empty without labels.
    sense_spectra : dict
        Sense label to the singular values of that sense's carrier part.
    method : str
        The hinge estimator used.
    sharing : float
        For ``method="intersection"``: the top eigenvalue of the summed span
        projectors divided by the number of senses, in ``[0, 1]``; 1 when the
        hinge lies in every sense's span. ``nan`` for the other methods.
    """

    hinge: np.ndarray
    carrier: np.ndarray
    coefficients: np.ndarray
    sense_subspaces: dict[Any, np.ndarray] = field(default_factory=dict)
    sense_spectra: dict[Any, np.ndarray] = field(default_factory=dict)
    method: str = "mean"
    sharing: float = float("nan")

    def project_carrier(self, X: Any) -> np.ndarray:
        """Carrier parts :math:`x - \\langle x, h\\rangle h` of the rows of ``X``."""
        return carrier_projection(X, self.hinge)

    @property
    def sense_ranks(self) -> dict[Any, int]:
        """Dimension of each estimated sense subspace."""
        return {k: int(B.shape[0]) for k, B in self.sense_subspaces.items()}


def carrier_projection(X: Any, hinge: Any) -> np.ndarray:
    r"""Project the rows of ``X`` onto the carrier :math:`h^\perp`.

    .. math:: P x = x - \langle x, h\rangle\, h, \qquad h \leftarrow h/\lVert h\rVert.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts as rows.
    hinge : array_like, shape (d,)
        A non-zero vector; it is normalised first.

    Returns
    -------
    numpy.ndarray, shape (n, d)
        The carrier parts, each orthogonal to ``hinge``.

    Examples
    --------
    >>> carrier_projection([[3.0, 4.0]], [1.0, 0.0])
    array([[0., 4.]])
    """
    X = _as_float_matrix("X", X)
    h = np.asarray(to_numpy(hinge), dtype=float).ravel()
    if h.shape[0] != X.shape[1]:
        raise ValueError(
            f"hinge must have length d = {X.shape[1]} (columns of X), got {h.shape[0]}"
        )
    if not np.all(np.isfinite(h)) or not np.any(h):
        raise ValueError("hinge must be a finite, non-zero vector")
    h = h / np.linalg.norm(h)
    return X - np.outer(X @ h, h)


def _gavish_donoho_rank(s: np.ndarray, n_rows: int, n_cols: int) -> int:
    """Number of singular values above the optimal hard threshold.

    Unknown noise level: threshold ``omega(beta) * median(s)`` with
    ``omega(beta) ~ 0.56 beta^3 - 0.95 beta^2 + 1.82 beta + 1.43``.
    """
    beta = min(n_rows, n_cols) / max(n_rows, n_cols)
    omega = 0.56 * beta**3 - 0.95 * beta**2 + 1.82 * beta + 1.43
    tau = omega * float(np.median(s))
    return max(1, int(np.sum(s > tau)))


def _dominant(
    Y: np.ndarray, rank: int | None, energy: float | None, d_max: int
) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal basis (rows) of the dominant subspace of ``Y`` and its spectrum."""
    _, s, Vt = np.linalg.svd(Y, full_matrices=False)
    keep = min(Y.shape[0], d_max)
    s, Vt = s[:keep], Vt[:keep]
    if rank is not None:
        r = min(rank, keep)
    elif energy is not None:
        cum = np.cumsum(s**2) / np.sum(s**2)
        r = int(np.searchsorted(cum, energy - 1e-12) + 1)
    else:
        r = _gavish_donoho_rank(s, Y.shape[0], d_max)
    return Vt[:r], s


def fit_hinge(
    X: Any,
    labels: Any = None,
    *,
    method: str = "mean",
    rank: int | None = None,
    energy: float | None = None,
) -> HingeFit:
    r"""Estimate the hinge, the carrier projector and the sense subspaces.

    Hinge estimators (``method``):

    ``"mean"``
        :math:`\hat h = \bar x/\lVert\bar x\rVert`, with :math:`\bar x` the
        mean of the sense centroids when labels are given (so that a sense
        with many contexts does not tilt the hinge) and of all rows
        otherwise. Consistent when the sense offsets cancel across senses,
        :math:`\bar c = 0`; otherwise tilted towards :math:`\bar c` by
        :math:`\arctan(\lVert\bar c\rVert/\bar a)`.
    ``"svd"``
        The top right-singular vector of the uncentred ``X`` (the top
        eigenvector of the second moment), oriented along :math:`\bar x`.
        Consistent only when the hinge dominates the second moment and the
        offsets cancel; a strong sense direction captures it otherwise.
    ``"intersection"`` (needs at least two senses)
        In the model every context of sense :math:`k` lies (up to noise) in
        the span :math:`U_k = \operatorname{span}(h) \oplus S_k`, so the
        hinge is the one direction that all the :math:`U_k` share. Each
        :math:`\hat U_k` is the dominant right-singular subspace of the raw
        rows of sense :math:`k`; :math:`\hat h` is the top eigenvector of
        :math:`\sum_k \hat\Pi_k` (:math:`\hat\Pi_k` the projector on
        :math:`\hat U_k`), whose eigenvalue is :math:`K` for a direction in
        every span and at most about 1 for a direction in one sense only.
        It has no tilt, provided the sense subspaces meet only in 0. When
        several eigenvalues exceed :math:`K - 1/2` (several directions lie in
        every span, as when all senses vary along a common direction), the
        spans do not identify the hinge; :math:`\hat h` is then the
        normalised projection of :math:`\bar x` onto those directions.

    Sense subspaces: :math:`\hat S_k` is spanned by the top right-singular
    vectors of the *uncentred* carrier parts :math:`P x_i` of sense
    :math:`k`, so it contains the sense offset, as the model requires
    (:math:`c_i \in S_k`). Its dimension is ``rank`` if given, else the
    smallest number of directions holding a fraction ``energy`` of the
    sense's carrier energy, else the number of singular values above the
    optimal hard threshold of :cite:t:`gavish2014optimal` for unknown noise.
    With ``"intersection"`` the rule picks :math:`\dim \hat U_k` and
    :math:`\dim \hat S_k = \dim \hat U_k - 1`.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts of one token as rows, ``n >= 1``, ``d >= 2``.
    labels : array_like, shape (n,), optional
        Sense of each row; without it no sense subspaces are estimated.
    method : {"mean", "svd", "intersection"}, default "mean"
        Hinge estimator, see above.
    rank : int, optional
        Fixed dimension of every sense subspace, ``>= 1``.
    energy : float, optional
        Energy fraction in ``(0, 1]`` that sets the dimension when ``rank``
        is not given.

    Returns
    -------
    HingeFit
        The estimates; ``fit.project_carrier(X)`` gives the carrier parts.

    Notes
    -----
    Cost: one SVD of each sense's ``n_k x d`` block (two for
    ``"intersection"``) and, for ``"intersection"``, one symmetric
    eigenproblem of size ``d``. Explained in the chapter *The hinge model*.

    Examples
    --------
    >>> X, labels, truth = planted_hinge(50, 20, n_senses=2, seed=1)
    >>> for method in ["mean", "intersection"]:
    ...     fit = fit_hinge(X, labels, method=method)
    ...     cos = abs(fit.hinge @ truth.hinge)
    ...     print(method, round(float(cos), 3), fit.sense_ranks)
    mean 0.946 {0: 3, 1: 3}
    intersection 0.999 {0: 2, 1: 2}
    """
    X = _as_float_matrix("X", X)
    n, d = X.shape
    method = check_choice("method", method, METHODS)
    if rank is not None:
        rank = check_int("rank", rank, minimum=1)
    if energy is not None:
        energy = check_real("energy", energy, low=0.0, high=1.0, low_open=True)
    lab = None if labels is None else _check_labels(labels, n)
    senses = [] if lab is None else _senses(lab)
    if method == "intersection" and len(senses) < 2:
        raise ValueError(
            "method='intersection' needs labels with at least 2 senses, "
            f"got {len(senses)}"
        )
    groups = {k: X[lab == k] for k in senses}

    if lab is None:
        mean = X.mean(axis=0)
    else:
        mean = np.mean([g.mean(axis=0) for g in groups.values()], axis=0)
    h = _unit(mean)
    sharing = float("nan")
    ranks: dict[Any, int | None] = {k: rank for k in senses}
    if method == "svd":
        h = np.linalg.svd(X, full_matrices=False)[2][0]
    elif method == "intersection":
        # The eigenvectors of sum_k U_k^T U_k are the right-singular vectors
        # of the stacked bases, which is cheaper when sum_k dim U_k << d.
        bases = []
        for k, g in groups.items():
            U, _ = _dominant(g, None if rank is None else rank + 1, energy, d)
            ranks[k] = max(1, U.shape[0] - 1)
            bases.append(U)
        _, s, Vt = np.linalg.svd(np.vstack(bases), full_matrices=False)
        sharing = float(s[0] ** 2 / len(groups))
        # Directions in every span have eigenvalue ~K, those missing from one
        # span at most ~K - 1. When several directions are shared, the hinge
        # is not identified by the spans alone: take the mean's direction
        # inside the shared subspace.
        common = Vt[s**2 > len(groups) - 0.5]
        h = Vt[0] if common.shape[0] <= 1 else _unit((common @ mean) @ common)
    if h @ mean < 0:
        h = -h

    subspaces, spectra = {}, {}
    for k, g in groups.items():
        Y = g - np.outer(g @ h, h)
        subspaces[k], spectra[k] = _dominant(Y, ranks[k], energy, d - 1)
    return HingeFit(
        hinge=h,
        carrier=np.eye(d) - np.outer(h, h),
        coefficients=X @ h,
        sense_subspaces=subspaces,
        sense_spectra=spectra,
        method=method,
        sharing=sharing,
    )


def _kmeans(Y: np.ndarray, k: int, rng: np.random.Generator, n_init: int) -> Any:
    """Lloyd's k-means with k-means++ seeding; best of ``n_init`` starts."""
    best, best_cost = None, np.inf
    n = Y.shape[0]
    for _ in range(n_init):
        centres = [Y[rng.integers(n)]]
        for _ in range(1, k):
            d2 = np.min([np.sum((Y - c) ** 2, axis=1) for c in centres], axis=0)
            p = d2 / d2.sum() if d2.sum() > 0 else np.full(n, 1.0 / n)
            centres.append(Y[rng.choice(n, p=p)])
        C = np.array(centres)
        assign = np.zeros(n, dtype=int)
        for _ in range(100):
            dist = ((Y[:, None, :] - C[None]) ** 2).sum(axis=2)
            new = dist.argmin(axis=1)
            if _ > 0 and np.array_equal(new, assign):
                break
            assign = new
            for j in range(k):
                if np.any(assign == j):
                    C[j] = Y[assign == j].mean(axis=0)
        cost = float(((Y - C[assign]) ** 2).sum())
        if cost < best_cost:
            best, best_cost = assign, cost
    return best


def cluster_senses(
    X: Any,
    n_senses: int,
    *,
    hinge: Any = None,
    power: float = 2.0,
    n_init: int = 10,
    seed: Any = None,
) -> np.ndarray:
    r"""Recover the senses without labels by spectral clustering of the carrier.

    Each context is reduced to its carrier direction
    :math:`u_i = Px_i/\lVert Px_i\rVert`. Contexts of one sense lie in one
    low-dimensional subspace, so their directions overlap strongly, while
    directions from different (nearly orthogonal) subspaces overlap like
    random vectors. The affinity :math:`W_{ij} = |\langle u_i, u_j\rangle|^p`
    (:math:`W_{ii} = 0`) is clustered with the normalised spectral method of
    :cite:t:`ng2002spectral`: the top ``n_senses`` eigenvectors of
    :math:`D^{-1/2} W D^{-1/2}`, rows scaled to unit length, then k-means.
    This is the simplest member of the family of subspace-clustering
    affinities; sparse subspace clustering :cite:p:`elhamifar2013sparse`
    builds :math:`W` from sparse self-representations instead and is
    provably exact under weaker conditions.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts as rows, ``n >= n_senses``.
    n_senses : int
        Number of clusters ``K >= 1``.
    hinge : array_like, shape (d,), optional
        Hinge to project out; the unlabelled mean direction by default.
    power : float, default 2.0
        Exponent :math:`p > 0` sharpening the affinity.
    n_init : int, default 10
        Restarts of k-means, ``>= 1``.
    seed : None, int or numpy.random.Generator, optional
        Seed of k-means.

    Returns
    -------
    numpy.ndarray of int, shape (n,)
        Cluster labels ``0 .. K - 1`` (their order is arbitrary).

    Examples
    --------
    >>> X, labels, _ = planted_hinge(20, 30, n_senses=3, sense_shift=0.0, seed=2)
    >>> found = cluster_senses(X, 3, seed=0)
    >>> np.bincount(3 * labels + found).reshape(3, 3)  # senses x clusters
    array([[ 0, 20,  0],
           [18,  1,  1],
           [ 0,  0, 20]])
    """
    X = _as_float_matrix("X", X)
    n_senses = check_int("n_senses", n_senses, minimum=1, maximum=X.shape[0])
    power = check_real("power", power, low=0.0, low_open=True)
    n_init = check_int("n_init", n_init, minimum=1)
    rng = _rng(seed)
    h = _unit(X.mean(axis=0)) if hinge is None else hinge
    Y = carrier_projection(X, h)
    Y = backend_of(Y).normalise_rows(Y)
    W = np.abs(Y @ Y.T) ** power
    np.fill_diagonal(W, 0.0)
    deg = W.sum(axis=1)
    inv = 1.0 / np.sqrt(np.where(deg > 0, deg, 1.0))
    L = inv[:, None] * W * inv[None, :]
    _, vecs = np.linalg.eigh(L)
    E = vecs[:, -n_senses:]
    E = E / np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-300)
    return _kmeans(E, n_senses, rng, n_init)


# --------------------------------------------------------------------------
# Diagnostics
# --------------------------------------------------------------------------


def _stratified_indices(
    labels: np.ndarray | None, n: int, rng: np.random.Generator
) -> np.ndarray:
    """A bootstrap resample of row indices, drawn within each sense."""
    if labels is None:
        return rng.integers(0, n, size=n)
    parts = []
    for k in np.unique(labels):
        idx = np.flatnonzero(labels == k)
        parts.append(idx[rng.integers(0, idx.size, size=idx.size)])
    return np.concatenate(parts)


def bootstrap_contexts(
    X: Any,
    labels: Any,
    statistic: Callable[[np.ndarray, np.ndarray | None], Any],
    *,
    n_bootstrap: int = 200,
    seed: Any = None,
    progress: bool = False,
) -> np.ndarray:
    r"""Bootstrap any statistic of a token's contexts, resampling within senses.

    Each replicate draws, for every sense, as many contexts as it has, with
    replacement (without labels: ``n`` rows from all), and evaluates
    ``statistic(X_b, labels_b)`` :cite:p:`efron1993introduction`. Percentiles
    of the result are confidence intervals.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts as rows.
    labels : array_like, shape (n,) or None
        Senses; ``None`` resamples all rows together.
    statistic : callable
        ``statistic(X_b, labels_b)`` returning a number or an array.
    n_bootstrap : int, default 200
        Number of replicates ``>= 1``.
    seed : None, int or numpy.random.Generator, optional
        Seed of the resampling.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    numpy.ndarray, shape (n_bootstrap, ...)
        The statistic of each replicate.

    Examples
    --------
    >>> X, labels, _ = planted_hinge(30, 10, seed=0)
    >>> reps = bootstrap_contexts(X, labels, lambda Xb, lb: Xb[:, 0].mean(),
    ...                           n_bootstrap=50, seed=0)
    >>> reps.shape
    (50,)
    """
    X = _as_float_matrix("X", X)
    lab = None if labels is None else _check_labels(labels, X.shape[0])
    n_bootstrap = check_int("n_bootstrap", n_bootstrap, minimum=1)
    if not callable(statistic):
        raise TypeError(f"statistic must be callable, got {statistic!r}")
    rng = _rng(seed)
    out = []
    for _ in _progress(range(n_bootstrap), progress, "bootstrap"):
        idx = _stratified_indices(lab, X.shape[0], rng)
        out.append(statistic(X[idx], None if lab is None else lab[idx]))
    return np.asarray(out, dtype=float)


def hinge_bootstrap(
    X: Any,
    labels: Any = None,
    *,
    method: str = "mean",
    n_bootstrap: int = 200,
    seed: Any = None,
    progress: bool = False,
) -> np.ndarray:
    r"""Stability of the hinge: angles between bootstrap and full-sample hinges.

    For the mean estimator the delta method gives the size of these angles:
    with :math:`\mu = \mathbb{E}x`, :math:`P = I - \mu\mu^\top/\lVert\mu\rVert^2`
    and covariance :math:`\Sigma`,

    .. math:: \mathbb{E}\,\theta^2 \approx
       \frac{\operatorname{tr}(P\Sigma P)}{n\,\lVert\mu\rVert^2},

    so a hinge carried by a strong shared load is stable to
    :math:`O(n^{-1/2})`.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts as rows.
    labels : array_like, shape (n,), optional
        Senses; with labels the resampling is stratified and the hinge is the
        mean of sense centroids.
    method : {"mean", "svd", "intersection"}, default "mean"
        Hinge estimator, as in :func:`fit_hinge`.
    n_bootstrap : int, default 200
        Number of replicates ``>= 1``.
    seed : None, int or numpy.random.Generator, optional
        Seed of the resampling.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    numpy.ndarray, shape (n_bootstrap,)
        Angles in degrees, in ``[0, 90]``.

    Examples
    --------
    >>> X, labels, _ = planted_hinge(100, 20, seed=0)
    >>> angles = hinge_bootstrap(X, labels, n_bootstrap=100, seed=0)
    >>> bool(np.percentile(angles, 95) < 5.0)
    True
    """
    X = _as_float_matrix("X", X)
    method = check_choice("method", method, METHODS)
    ref = fit_hinge(X, labels, method=method).hinge

    def angle(Xb: np.ndarray, lb: np.ndarray | None) -> float:
        return _angle_deg(fit_hinge(Xb, lb, method=method).hinge, ref)

    return bootstrap_contexts(
        X, labels, angle, n_bootstrap=n_bootstrap, seed=seed, progress=progress
    )


def hinge_share(X: Any, hinge: Any, *, center: bool = False) -> float:
    r"""Share of the second moment (or variance) of the rows along the hinge.

    .. math:: \rho = \frac{\sum_i \langle x_i, h\rangle^2}{\sum_i \lVert x_i\rVert^2}
       \in [0, 1],

    the rest, :math:`1 - \rho`, lies in the carrier. With ``center=True`` the
    mean row is subtracted first, so :math:`\rho` is the hinge's share of the
    variance (how much the load :math:`a_i` varies) rather than of the energy.
    In the planted model the energy share is
    :math:`\mathbb{E}a^2/(\mathbb{E}a^2 + \mathbb{E}\lVert c\rVert^2 +
    \sigma^2)` up to the noise's own hinge component.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts as rows.
    hinge : array_like, shape (d,)
        Non-zero hinge vector (normalised here).
    center : bool, default False
        Use the variance instead of the raw second moment.

    Returns
    -------
    float
        :math:`\rho`.

    Examples
    --------
    >>> hinge_share([[3.0, 4.0], [3.0, -4.0]], [1.0, 0.0])
    0.36
    """
    X = _as_float_matrix("X", X)
    if center:
        X = X - X.mean(axis=0)
    P = carrier_projection(X, hinge)
    total = float(np.sum(X * X))
    if total == 0.0:
        raise ValueError("X must not be all zero (after centring)")
    return float(1.0 - np.sum(P * P) / total)


WEIGHTINGS = ("direction", "variance")


def _variance_pr(Y: np.ndarray) -> float:
    """Participation ratio of the eigenvalues of ``Y^T Y``."""
    pr = _participation_ratio(Y)
    if math.isnan(pr):
        raise ValueError("X must not be constant within a sense")
    return pr


def sense_dimensions(
    X: Any, labels: Any, hinge: Any, *, weighting: str = "direction"
) -> dict[Any, float]:
    r"""Effective dimension of each sense's variation inside the carrier.

    For sense :math:`k`, the carrier parts :math:`Px_i` are centred on their
    sense mean :math:`m_k`. With ``weighting="direction"`` they go to
    :func:`~semconc.effective_dimension`, the participation ratio
    :math:`(\operatorname{tr}M)^2/\operatorname{tr}M^2` of their *directions*
    (each row scaled to unit length, the book's :math:`d_{\mathrm{eff}}`).
    With ``weighting="variance"`` the rows keep their lengths, so the ratio
    is that of the covariance spectrum :math:`\lambda_j`,

    .. math:: d_{\mathrm{var}} = \frac{(\sum_j \lambda_j)^2}{\sum_j \lambda_j^2},

    which :func:`hinge_test` uses: a mixture of two clusters, centred, points
    mostly along the axis joining them, and unit-length rows hide that the
    spread around that axis is wide. A sense confined to an
    :math:`r`-dimensional subspace (plus weak noise) gives at most about
    :math:`r` either way; isotropic spread gives :func:`isotropic_dimension`.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts as rows.
    labels : array_like, shape (n,)
        Senses, at least 2 contexts each.
    hinge : array_like, shape (d,)
        Hinge to project out.
    weighting : {"direction", "variance"}, default "direction"
        Participation ratio of unit-length rows or of the covariance.

    Returns
    -------
    dict
        Sense label to its effective dimension.

    Examples
    --------
    >>> X, labels, truth = planted_hinge(200, 40, sense_dim=3, noise=0.0, seed=0)
    >>> dims = sense_dimensions(X, labels, truth.hinge)
    >>> [round(v, 2) for v in dims.values()]
    [2.98, 2.96]
    >>> round(isotropic_dimension(199, 3), 2)  # centred, isotropic in 3 dims
    2.97
    """
    X = _as_float_matrix("X", X)
    lab = _check_labels(labels, X.shape[0], min_per_sense=2)
    weighting = check_choice("weighting", weighting, WEIGHTINGS)
    Y = carrier_projection(X, hinge)
    out = {}
    for k in _senses(lab):
        Yk = Y[lab == k]
        Yk = Yk - Yk.mean(axis=0)
        if weighting == "direction":
            out[k] = effective_dimension(Yk)
        else:
            out[k] = _variance_pr(Yk)
    return out


def isotropic_dimension(n: int, D: int, *, weighting: str = "direction") -> float:
    r"""Participation ratio expected from ``n`` isotropic samples in ``D`` dims.

    *Directions* (``weighting="direction"``): for :math:`n` independent
    uniform unit vectors :math:`u_i` and :math:`M = \frac1n\sum_i u_iu_i^\top`,
    :math:`\mathbb{E}\operatorname{tr}M^2 = 1/n + (n - 1)/(nD)` because
    :math:`\mathbb{E}\langle u_i, u_j\rangle^2 = 1/D`, so

    .. math:: \frac{1}{\mathbb{E}\operatorname{tr}M^2} = \frac{nD}{n + D - 1}.

    *Variance* (``weighting="variance"``): for standard normal rows
    :math:`g_i` and :math:`S = \sum_i g_ig_i^\top`,
    :math:`\mathbb{E}(\operatorname{tr}S)^2 = n^2D^2 + 2nD` and
    :math:`\mathbb{E}\operatorname{tr}S^2 = nD(n + D + 1)`, whose ratio is

    .. math:: \frac{nD + 2}{n + D + 1}.

    Both are ratios of expectations (accurate to :math:`O(1/(nD))`
    relative), and both tend to :math:`D` only when :math:`n \gg D`: a finite
    sample always looks lower-dimensional than the space it fills. Centring
    on the sample mean removes one degree of freedom; pass ``n - 1`` for
    centred samples.

    Parameters
    ----------
    n : int
        Number of samples, ``n >= 1``.
    D : int
        Dimension they fill, ``D >= 1``.
    weighting : {"direction", "variance"}, default "direction"
        Which participation ratio, as in :func:`sense_dimensions`.

    Returns
    -------
    float
        The reference dimension.

    Examples
    --------
    >>> isotropic_dimension(30, 30)
    15.254237288135593
    >>> isotropic_dimension(30, 30, weighting="variance")
    14.78688524590164
    """
    n = check_int("n", n, minimum=1)
    D = check_int("D", D, minimum=1)
    weighting = check_choice("weighting", weighting, WEIGHTINGS)
    if weighting == "direction":
        return float(n * D / (n + D - 1))
    return float((n * D + 2) / (n + D + 1))


def sense_angles(fit: HingeFit) -> dict[tuple[Any, Any], np.ndarray]:
    r"""Principal angles between every pair of estimated sense subspaces.

    For orthonormal bases :math:`B_j, B_k` (rows) the cosines of the
    principal angles are the singular values of :math:`B_j B_k^\top`
    :cite:p:`bjorck1973numerical`; computed with
    :func:`scipy.linalg.subspace_angles`. The hinge hypothesis wants
    distinct senses in distinct subspaces: smallest angle well above 0.

    Parameters
    ----------
    fit : HingeFit
        A fit with labels.

    Returns
    -------
    dict
        ``(j, k)`` with ``j < k`` (label order) to the angles in degrees,
        ascending, ``min(r_j, r_k)`` of them.

    Examples
    --------
    >>> X, labels, _ = planted_hinge(100, 30, n_senses=2, seed=0)
    >>> ang = sense_angles(fit_hinge(X, labels, method="intersection"))
    >>> bool(ang[(0, 1)].min() > 60)
    True
    """
    if not isinstance(fit, HingeFit):
        raise TypeError(f"fit must be a HingeFit, got {type(fit).__name__}")
    keys = list(fit.sense_subspaces)
    out = {}
    for i, j in enumerate(keys):
        for k in keys[i + 1 :]:
            a = linalg.subspace_angles(
                fit.sense_subspaces[j].T, fit.sense_subspaces[k].T
            )
            out[(j, k)] = np.sort(np.degrees(a))
    return out


@dataclass(frozen=True)
class ProbeResult:
    """Cross-validated accuracy of a linear sense probe.

    Attributes
    ----------
    accuracy : float
        Fraction of held-out contexts whose sense was predicted correctly.
    se : float
        Binomial standard error :math:`\\sqrt{p(1-p)/n}` of ``accuracy``.
    chance : float
        Accuracy of always predicting the most frequent sense.
    n : int
        Number of contexts.
    """

    accuracy: float
    se: float
    chance: float
    n: int


def _folds(n: int, n_folds: int, rng: np.random.Generator) -> list[np.ndarray]:
    perm = rng.permutation(n)
    return [perm[f::n_folds] for f in range(n_folds)]


def _probe_smoothers(
    F: np.ndarray, folds: list[np.ndarray], ridge: float
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per fold: test rows, train rows and the linear map train-targets -> scores.

    Kernel ridge regression with intercept on one-hot targets; the map does
    not depend on the labels, so permutations reuse it.
    """
    n = F.shape[0]
    out = []
    for test in folds:
        train = np.setdiff1d(np.arange(n), test)
        mu = F[train].mean(axis=0)
        Ftr, Fte = F[train] - mu, F[test] - mu
        K = Ftr @ Ftr.T
        lam = ridge * max(float(np.trace(K)) / len(train), 1e-300)
        A = np.linalg.solve(K + lam * np.eye(len(train)), Ftr @ Fte.T)  # (tr, te)
        S = A.T - A.T.sum(axis=1, keepdims=True) / len(train)
        S += 1.0 / len(train)
        out.append((test, train, S))
    return out


def _probe_accuracy(smoothers: list, codes: np.ndarray, n_classes: int) -> Any:
    """Accuracy of the probe for label codes of shape ``(n,)`` or ``(B, n)``."""
    C = np.atleast_2d(codes)
    Y = np.eye(n_classes)[C]  # (B, n, K)
    hits = np.zeros(C.shape[0])
    for test, train, S in smoothers:
        scores = np.einsum("ij,bjk->bik", S, Y[:, train])
        hits += np.sum(scores.argmax(axis=2) == C[:, test], axis=1)
    acc = hits / C.shape[1]
    return float(acc[0]) if codes.ndim == 1 else acc


def _features(X: np.ndarray, kind: str, hinge: np.ndarray) -> np.ndarray:
    if kind == "full":
        return X
    h = hinge / np.linalg.norm(hinge)
    if kind == "hinge":
        return (X @ h)[:, None]
    return X - np.outer(X @ h, h)


def sense_decodability(
    X: Any,
    labels: Any,
    *,
    features: str = "carrier",
    hinge: Any = None,
    n_folds: int = 5,
    ridge: float = 0.1,
    seed: Any = 0,
) -> ProbeResult:
    r"""Cross-validated accuracy of a linear probe reading the sense.

    The probe is ridge regression on one-hot sense targets with an intercept
    (predict the sense with the largest score), fitted on all folds but one
    and scored on the held-out fold. The features are the carrier parts
    :math:`Px` (``"carrier"``), the hinge load :math:`\langle x, h\rangle`
    alone (``"hinge"``) or the raw contexts (``"full"``). The hinge hypothesis
    predicts a carrier probe far above chance and a hinge probe near chance.

    The ridge penalty is ``ridge`` times the mean squared norm of the centred
    training features, which makes it scale-free.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts as rows.
    labels : array_like, shape (n,)
        Senses.
    features : {"carrier", "hinge", "full"}, default "carrier"
        What the probe sees.
    hinge : array_like, shape (d,), optional
        Hinge; the unlabelled mean direction by default (so that the
        features do not depend on the labels).
    n_folds : int, default 5
        Folds, in ``[2, n]``; folds are a random partition, not stratified.
    ridge : float, default 0.1
        Relative ridge penalty, ``> 0``.
    seed : None, int or numpy.random.Generator, default 0
        Seed of the fold partition.

    Returns
    -------
    ProbeResult
        Accuracy, its binomial standard error and the chance level.

    Examples
    --------
    >>> X, labels, _ = planted_hinge(200, 20, seed=2)
    >>> sense_decodability(X, labels).accuracy
    0.9
    >>> sense_decodability(X, labels, features="hinge").accuracy
    0.4925
    """
    X = _as_float_matrix("X", X, min_rows=2)
    lab = _check_labels(labels, X.shape[0])
    features = check_choice("features", features, FEATURES)
    n_folds = check_int("n_folds", n_folds, minimum=2, maximum=X.shape[0])
    ridge = check_real("ridge", ridge, low=0.0, low_open=True)
    rng = _rng(seed)
    h = _unit(X.mean(axis=0)) if hinge is None else np.asarray(hinge, dtype=float)
    F = _features(X, features, h)
    _, codes = np.unique(lab, return_inverse=True)
    smoothers = _probe_smoothers(F, _folds(X.shape[0], n_folds, rng), ridge)
    acc = _probe_accuracy(smoothers, codes, int(codes.max()) + 1)
    chance = float(np.bincount(codes).max() / codes.size)
    se = float(np.sqrt(acc * (1 - acc) / codes.size))
    return ProbeResult(accuracy=float(acc), se=se, chance=chance, n=int(codes.size))


# --------------------------------------------------------------------------
# The falsification test
# --------------------------------------------------------------------------


def hinge_alignment(X: Any, labels: Any) -> float:
    r"""How strongly every sense shares one direction: leave-one-sense-out cosine.

    With sense centroids :math:`\mu_k` and :math:`\hat h_{-k}` the normalised
    mean of the *other* senses' centroids,

    .. math:: A = \min_k \cos(\mu_k, \hat h_{-k}).

    In the planted model with orthogonal senses
    :math:`\mu_k = \bar a h + \bar c_k`, so for two senses
    :math:`A = \bar a^2/(\bar a^2 + \lVert\bar c\rVert^2)` when the offsets
    have equal length, and :math:`A = 0` without a hinge. Because each
    :math:`\hat h_{-k}` is estimated without sense :math:`k`, a direction
    specific to one sense cannot produce a large :math:`A`.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts as rows.
    labels : array_like, shape (n,)
        Senses, at least two distinct.

    Returns
    -------
    float
        :math:`A \in [-1, 1]`.

    Examples
    --------
    >>> X, labels, _ = planted_hinge(400, 30, sense_shift=0.5, seed=0)
    >>> round(hinge_alignment(X, labels), 2)  # theory 1 / (1 + 0.5**2) = 0.8
    0.81
    """
    X = _as_float_matrix("X", X)
    lab = _check_labels(labels, X.shape[0])
    senses = _compared_senses(lab)
    return _alignment(np.array([X[lab == k].mean(axis=0) for k in senses]))


def _alignment(C: np.ndarray) -> float:
    total = C.sum(axis=0)
    K = C.shape[0]
    worst = np.inf
    for k in range(K):
        other = (total - C[k]) / (K - 1)
        denom = np.linalg.norm(C[k]) * np.linalg.norm(other)
        worst = min(worst, float(C[k] @ other / denom) if denom > 0 else 0.0)
    return worst


@dataclass(frozen=True)
class HingeTestResult:
    """Outcome of :func:`hinge_test`.

    Attributes
    ----------
    alignment : float
        Leave-one-sense-out hinge alignment :math:`A` (:func:`hinge_alignment`).
    alignment_ci : tuple of float
        Bootstrap percentile interval of :math:`A` at level ``1 - alpha``
        (two-sided).
    p_hinge : float
        Bootstrap :math:`p`-value of "no shared hinge", :math:`A \\le`
        ``hinge_margin``.
    carrier_accuracy : float
        Cross-validated accuracy of the carrier probe.
    shuffled_accuracy : float
        Mean accuracy of the same probe with shuffled labels.
    p_carrier : float
        Permutation :math:`p`-value of "no sense information in the carrier".
    sense_dimension : float
        Mean over senses of the participation ratio of the within-sense pair
        differences (component 3).
    shuffled_dimension : float
        Its mean over shuffled labels.
    p_lowdim : float
        Permutation :math:`p`-value of "the senses' residual variation is
        exchangeable", i.e. no sense has a subspace of its own.
    p_value : float
        ``max(p_hinge, p_carrier, p_lowdim)``, the intersection-union
        :math:`p`-value.
    alpha : float
        Level of the test.
    null_alignment, null_accuracy, null_dimension : numpy.ndarray
        Bootstrap replicates of :math:`A` and the permutation distributions.
    """

    alignment: float
    alignment_ci: tuple[float, float]
    p_hinge: float
    carrier_accuracy: float
    shuffled_accuracy: float
    p_carrier: float
    sense_dimension: float
    shuffled_dimension: float
    p_lowdim: float
    p_value: float
    alpha: float
    null_alignment: np.ndarray = field(repr=False)
    null_accuracy: np.ndarray = field(repr=False)
    null_dimension: np.ndarray = field(repr=False)

    @property
    def holds(self) -> bool:
        """Whether all three nulls are rejected at level ``alpha``."""
        return bool(self.p_value <= self.alpha)

    @property
    def accuracy_excess(self) -> float:
        """Carrier accuracy above its shuffled-label mean."""
        return self.carrier_accuracy - self.shuffled_accuracy

    @property
    def dimension_ratio(self) -> float:
        """Sense dimension over its shuffled-label mean (small supports H)."""
        return self.sense_dimension / self.shuffled_dimension


def _group_dim(G: np.ndarray, idx: np.ndarray) -> np.ndarray:
    r"""Variance-weighted participation ratio of groups of rows, uncentred.

    ``idx`` has shape ``(B, m)``: ``B`` groups of ``m`` row indices. Entry
    ``b`` is :math:`(\operatorname{tr} S)^2/\operatorname{tr} S^2` for the
    second moment ``S`` of the rows ``R[idx[b]]``, computed from ``G = R R^T``
    without touching the ``d`` columns (the Gram matrix of a group has the
    same non-zero spectrum as ``S``).
    """
    g = G[idx[:, :, None], idx[:, None, :]]  # (B, m, m)
    tr = np.einsum("bii->b", g)
    return tr * tr / np.maximum(np.sum(g * g, axis=(1, 2)), 1e-300)


def _pair_differences(
    Y: np.ndarray, codes: np.ndarray, K: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Differences of disjoint random pairs of rows within each sense."""
    rows, labs = [], []
    for k in range(K):
        idx = rng.permutation(np.flatnonzero(codes == k))
        m = idx.size // 2
        rows.append(Y[idx[:m]] - Y[idx[m : 2 * m]])
        labs.append(np.full(m, k))
    return np.vstack(rows), np.concatenate(labs)


def hinge_test(
    X: Any,
    labels: Any,
    *,
    hinge_margin: float = 0.0,
    alpha: float = 0.05,
    n_permutations: int = 199,
    n_bootstrap: int = 199,
    n_folds: int = 5,
    ridge: float = 0.1,
    seed: Any = None,
) -> HingeTestResult:
    r"""Falsification test of the hinge hypothesis for one token.

    The hypothesis is a conjunction, so it is supported only if each of three
    null models is rejected:

    1. **No shared hinge.** Statistic: the hinge alignment :math:`A`
       (:func:`hinge_alignment`). Null: :math:`A \le A_0` (``hinge_margin``;
       0 means "the senses share no direction", a positive margin such as the
       alignment between *unrelated* tokens asks the hinge to be
       token-specific). :math:`p_1` is the fraction of stratified bootstrap
       replicates with :math:`A^* \le A_0` (percentile-interval inversion,
       :cite:t:`efron1993introduction`), with the usual :math:`+1`
       correction.
    2. **No sense information in the carrier.** Statistic: cross-validated
       accuracy of the carrier probe (:func:`sense_decodability`, features
       from the label-free mean hinge). Null: labels exchangeable
       (shuffled). :math:`p_2 = (1 + \#\{\text{acc}_\pi \ge
       \text{acc}\})/(1 + B)` over ``n_permutations`` shuffles, exact at any
       sample size :cite:p:`phipson2010permutation`.
    3. **Senses not in low-dimensional subspaces of their own.** Each
       sense's contexts are paired at random; the differences
       :math:`r = P(x_i - x_j)` of disjoint pairs are free of the sense
       offset and independent of one another. Statistic: the mean over senses
       of the variance-weighted participation ratio
       :math:`(\operatorname{tr}S_k)^2/\operatorname{tr}S_k^2` of the second
       moment :math:`S_k` of sense :math:`k`'s differences (a sense in an
       :math:`r`-dimensional subspace gives at most about :math:`r`). Null:
       the differences are identically distributed across senses (every
       sense varies in the same directions, for instance isotropically), so
       shuffling their labels is exact and pools the variation of different
       senses without adding the offsets between senses. :math:`p_3` as
       :math:`p_2`, small dimensions counting as extreme.

    The test rejects ("the hypothesis holds") when
    :math:`p = \max(p_1, p_2, p_3) \le \alpha`. An intersection-union test
    has level :math:`\alpha` whatever the dependence between its components
    :cite:p:`berger1982multiparameter`; under a null where only one component
    is false its size approaches that component's.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Contexts of one token as rows.
    labels : array_like, shape (n,)
        Senses: at least 2 distinct, each with at least 4 contexts (two
        disjoint pairs).
    hinge_margin : float, default 0.0
        :math:`A_0 \in [-1, 1)`.
    alpha : float, default 0.05
        Level in ``(0, 1)``.
    n_permutations : int, default 199
        Label shuffles for components 2 and 3, ``>= 1``.
    n_bootstrap : int, default 199
        Bootstrap replicates for component 1, ``>= 1``.
    n_folds : int, default 5
        Folds of the probe.
    ridge : float, default 0.1
        Relative ridge penalty of the probe.
    seed : None, int or numpy.random.Generator, optional
        Seed of folds, shuffles and bootstrap.

    Returns
    -------
    HingeTestResult
        Statistics, :math:`p`-values, null distributions and ``holds``.

    Notes
    -----
    The chapter *The hinge model* measures the size and power of this test
    on planted data; *Hinges in a real model* applies it layer by layer.

    Examples
    --------
    >>> X, labels, _ = planted_hinge(20, 30, seed=0)
    >>> res = hinge_test(X, labels, n_permutations=99, n_bootstrap=99, seed=0)
    >>> res.holds, res.p_value
    (True, 0.01)
    >>> X0, labels0, _ = planted_hinge(20, 30, hinge_strength=0.0, seed=0)
    >>> hinge_test(X0, labels0, n_permutations=99, n_bootstrap=99, seed=0).holds
    False
    """
    X = _as_float_matrix("X", X, min_rows=8)
    lab = _check_labels(labels, X.shape[0], min_per_sense=4)
    _compared_senses(lab)
    hinge_margin = check_real(
        "hinge_margin", hinge_margin, low=-1.0, high=1.0, high_open=True
    )
    alpha = check_real("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    n_permutations = check_int("n_permutations", n_permutations, minimum=1)
    n_bootstrap = check_int("n_bootstrap", n_bootstrap, minimum=1)
    n_folds = check_int("n_folds", n_folds, minimum=2, maximum=X.shape[0])
    ridge = check_real("ridge", ridge, low=0.0, low_open=True)
    rng = _rng(seed)
    n = X.shape[0]
    _, codes = np.unique(lab, return_inverse=True)
    K = int(codes.max()) + 1

    # 1. Alignment and its stratified bootstrap.
    groups = [np.flatnonzero(codes == k) for k in range(K)]
    A = _alignment(np.array([X[g].mean(axis=0) for g in groups]))
    boot = np.empty(n_bootstrap)
    for b in range(n_bootstrap):
        C = np.array(
            [X[g[rng.integers(0, g.size, g.size)]].mean(axis=0) for g in groups]
        )
        boot[b] = _alignment(C)
    p_hinge = (1 + int(np.sum(boot <= hinge_margin))) / (1 + n_bootstrap)
    lo, hi = np.percentile(boot, [100 * alpha / 2, 100 * (1 - alpha / 2)])

    # 2 and 3. Carrier probe and sense dimension under label shuffles.
    Y = carrier_projection(X, _unit(X.mean(axis=0)))
    smoothers = _probe_smoothers(Y, _folds(n, n_folds, rng), ridge)
    acc = _probe_accuracy(smoothers, codes, K)
    shuffled = np.array([rng.permutation(codes) for _ in range(n_permutations)])
    null_acc = _probe_accuracy(smoothers, shuffled, K)

    # Differences of disjoint pairs within a sense are independent, free of the
    # sense offset and, under the null, identically distributed across senses,
    # so shuffling their labels is exact.
    R, rcodes = _pair_differences(Y, codes, K, rng)
    G = R @ R.T
    sizes = np.bincount(rcodes, minlength=K)
    starts = np.concatenate([[0], np.cumsum(sizes)])

    def mean_dim(c: np.ndarray) -> np.ndarray:
        order = np.argsort(c, axis=1, kind="stable")
        dims = [_group_dim(G, order[:, starts[k] : starts[k + 1]]) for k in range(K)]
        return np.mean(dims, axis=0)

    dim = float(mean_dim(rcodes[None, :])[0])
    null_dim = mean_dim(
        np.array([rng.permutation(rcodes) for _ in range(n_permutations)])
    )
    p_carrier = (1 + int(np.sum(null_acc >= acc))) / (1 + n_permutations)
    p_lowdim = (1 + int(np.sum(null_dim <= dim))) / (1 + n_permutations)
    return HingeTestResult(
        alignment=float(A),
        alignment_ci=(float(lo), float(hi)),
        p_hinge=float(p_hinge),
        carrier_accuracy=float(acc),
        shuffled_accuracy=float(null_acc.mean()),
        p_carrier=float(p_carrier),
        sense_dimension=dim,
        shuffled_dimension=float(null_dim.mean()),
        p_lowdim=float(p_lowdim),
        p_value=float(max(p_hinge, p_carrier, p_lowdim)),
        alpha=float(alpha),
        null_alignment=boot,
        null_accuracy=null_acc,
        null_dimension=null_dim,
    )
