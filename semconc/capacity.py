r"""Kinetic capacity: how many nearly orthogonal directions fit in ``R^d``.

The converse side starts from Welch's inequality :cite:p:`welch1974lower`: any
:math:`N > d` unit vectors in :math:`\mathbb{R}^d` have coherence at least

.. math:: \mu \ge \sqrt{\frac{N - d}{d\,(N - 1)}},

with equality exactly for equiangular tight frames.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_int

__all__ = ["welch_bound"]


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

    References
    ----------
    :cite:t:`welch1974lower`.

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
