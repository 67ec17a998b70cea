r"""The transformer mathematics of the paper's appendices.

Logit and sigmoid as inverse maps, softmax with temperature,
:math:`\operatorname{softmax}_T(z)_i = e^{z_i/T} / \sum_j e^{z_j/T}`, and the
building blocks of attention.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from ._validation import check_int, check_real, check_real_array

__all__ = ["sigmoid", "logit", "softmax"]


def sigmoid(x: Any) -> np.ndarray:
    r"""The logistic function :math:`s(x) = 1 / (1 + e^{-x})`, stable for any real.

    Its derivative is :math:`s(x)(1 - s(x))`; its inverse is :func:`logit`.

    Parameters
    ----------
    x : float or array_like
        Real inputs.

    Returns
    -------
    numpy.ndarray
        Values in ``[0, 1]``.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> float(sigmoid(1000.0))
    1.0
    """
    x = np.asarray(x, dtype=float)
    return special.expit(x)


def logit(p: Any) -> np.ndarray:
    r"""The log-odds :math:`\log(p / (1 - p))`, the inverse of :func:`sigmoid`.

    Parameters
    ----------
    p : float or array_like
        Probabilities in ``[0, 1]``; the ends map to ``-inf`` and ``inf``.

    Returns
    -------
    numpy.ndarray
        Real log-odds.

    Examples
    --------
    >>> float(logit(0.5))
    0.0
    >>> round(float(logit(sigmoid(2.5))), 12)
    2.5
    """
    p = check_real_array("p", p, low=0.0, high=1.0)
    return special.logit(p)


def softmax(z: Any, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Softmax with temperature, :math:`e^{z_i/T} / \sum_j e^{z_j/T}`.

    The largest logit is subtracted first (softmax is shift invariant), so
    logits of any size give finite probabilities.

    Parameters
    ----------
    z : array_like
        Logits; any shape.
    temperature : float, default 1.0
        ``T > 0``. As ``T -> 0`` the result tends to the indicator of the
        largest logit; as ``T -> inf`` it tends to the uniform law.
    axis : int, default -1
        The axis that is normalised.

    Returns
    -------
    numpy.ndarray
        Positive values along ``axis`` that sum to 1.

    Examples
    --------
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    >>> softmax([1e4, 0.0]).round(6).tolist()
    [1.0, 0.0]
    """
    temperature = check_real("temperature", temperature, low=0.0, low_open=True)
    z = np.asarray(z, dtype=float)
    if z.ndim == 0:
        raise ValueError("z must have at least one axis, got a scalar")
    check_int("axis", axis, minimum=-z.ndim, maximum=z.ndim - 1)
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite, got a non-finite logit")
    s = (z - z.max(axis=axis, keepdims=True)) / temperature
    e = np.exp(s)
    return e / e.sum(axis=axis, keepdims=True)
