r"""Epistemic accessibility: interference when ``k`` directions are active at once.

When directions :math:`u_1, \dots, u_k` are active with amplitudes
:math:`a_j` and direction :math:`u_1` is read out by projection, the readout
:math:`\langle u_1, \sum_j a_j u_j\rangle = a_1 + \sum_{j \ge 2} a_j
\langle u_1, u_j\rangle` carries the leak of the other ``k - 1``. For
directions drawn independently with second-moment matrix :math:`M`
(:math:`\operatorname{tr} M = 1`) and unit-variance amplitudes, the leak has
variance

.. math:: \sigma_{\mathrm{int}}^2 = (k - 1)\operatorname{tr}(M^2)
   = \frac{k - 1}{d_{\mathrm{eff}}}, \qquad
   d_{\mathrm{eff}} = \frac{(\operatorname{tr} M)^2}{\operatorname{tr}(M^2)},

the participation ratio of :math:`M`; uniform directions have
:math:`d_{\mathrm{eff}} = d`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._backend import to_numpy
from ._validation import check_int, check_matrix, check_real

__all__ = ["effective_dimension", "interference_std"]


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
    norms = np.linalg.norm(X, axis=1)
    if np.any(norms == 0):
        raise ValueError("X must have no zero rows (after centring), got a zero row")
    Xh = X / norms[:, None]
    if Xh.shape[0] < Xh.shape[1]:
        G = Xh @ Xh.T / Xh.shape[0]
    else:
        G = Xh.T @ Xh / Xh.shape[0]
    return float(np.trace(G) ** 2 / np.sum(G * G))


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
