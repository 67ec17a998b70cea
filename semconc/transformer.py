r"""The transformer mathematics of the paper's appendices.

Three results, each implemented in NumPy (float64) and checked against
PyTorch in the tests.

**Logits, softmax and temperature.** The sigmoid
:math:`s(x) = 1/(1 + e^{-x})` and the logit :math:`\log(p/(1-p))` are
inverse maps, and :math:`s' = s(1 - s)`. Softmax with temperature
:math:`T > 0`,

.. math:: \operatorname{softmax}_T(z)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}},

is positive, sums to one and is unchanged when a constant is added to every
logit; it tends to the indicator of the largest logit as :math:`T \to 0`
and to the uniform law as :math:`T \to \infty`, and its entropy increases
with :math:`T`, :math:`dH/dT = \operatorname{Var}_p(z)/T^3 \ge 0`.

**Backpropagation through an embedding.** For the toy network
:math:`v = E^{\top} e_k`, :math:`a_2 = s(W_1 v + b_1)`,
:math:`\hat y = s(W_2 a_2 + b_2)`, :math:`L = \tfrac12(\hat y - y)^2`, the
error signals are :math:`\delta_3 = (\hat y - y)\,\hat y(1 - \hat y)`,
:math:`\delta_2 = (W_2^{\top}\delta_3) \odot a_2(1 - a_2)`, and the gradient
reaching the embedding is :math:`\partial L/\partial E = e_k
(W_1^{\top}\delta_2)^{\top}`: only the row of the active token is non-zero
:cite:p:`rumelhart1986learning`.

**Attention and the transformer block.** Scaled dot-product attention
:math:`\operatorname{softmax}(QK^{\top}/\sqrt{d_k})\,V`, its multi-head form,
layer normalisation, the position-wise feed-forward network and the block
that wraps both in residual connections and layer normalisation
:cite:p:`vaswani2017attention,ba2016layer,he2016deep`.

The chapters *Logits, softmax and temperature*, *Backpropagation through an
embedding* and *Attention and the transformer block* derive all of this.
Everything here runs on NumPy; torch tensors are accepted as inputs (copied
to the CPU) and the results are NumPy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from ._validation import (
    check_bool,
    check_choice,
    check_float_array,
    check_int,
    check_real,
    check_real_array,
    check_seed,
)

__all__ = [
    "sigmoid",
    "logit",
    "softmax",
    "log_softmax",
    "softmax_entropy",
    "ToyNetwork",
    "ToyCache",
    "ToyGradients",
    "toy_network_init",
    "toy_forward",
    "toy_loss",
    "toy_backward",
    "toy_numerical_gradient",
    "toy_sgd_step",
    "attention",
    "multi_head_attention",
    "layer_norm",
    "feed_forward",
    "sinusoidal_positions",
    "TransformerBlockParams",
    "transformer_block_init",
    "transformer_block",
    "mha_params_from_torch",
    "block_params_from_torch",
]

ACTIVATIONS = ("relu", "gelu")


# ---------------------------------------------------------------------------
# Logits, softmax and temperature
# ---------------------------------------------------------------------------


def sigmoid(x: Any) -> np.ndarray:
    r"""The logistic function :math:`s(x) = 1 / (1 + e^{-x})`, stable for any real.

    Its derivative is :math:`s(x)(1 - s(x))`; its inverse is :func:`logit`.

    Parameters
    ----------
    x : float or array_like
        Real inputs, any shape.

    Returns
    -------
    numpy.ndarray
        Values in ``[0, 1]``, same shape as ``x``. In float64 the value is
        exactly 1 once ``x`` exceeds about 36.7 (``1 - s(x)`` is then below
        half the spacing of doubles near 1), so ``logit(sigmoid(x))`` loses
        accuracy like ``1e-16 * exp(|x|)``.

    References
    ----------
    The chapter *Logits, softmax and temperature*;
    :cite:t:`svozil2025semantic`, appendix A.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> float(sigmoid(1000.0))
    1.0
    >>> s = sigmoid(2.0)
    >>> round(float(s * (1 - s)), 6)  # the derivative at 2
    0.104994
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
        Real log-odds, same shape as ``p``.

    References
    ----------
    The chapter *Logits, softmax and temperature*.

    Examples
    --------
    >>> float(logit(0.5))
    0.0
    >>> round(float(logit(sigmoid(2.5))), 12)
    2.5
    """
    p = check_real_array("p", p, low=0.0, high=1.0)
    return special.logit(p)


def _shifted_logits(z: Any, temperature: float, axis: int) -> tuple[np.ndarray, int]:
    """Validate; return ``(z - max z) / T`` and the axis (as given)."""
    temperature = check_real("temperature", temperature, low=0.0, low_open=True)
    z = check_float_array("z", z, min_ndim=1, allow_neg_inf=True)
    axis = check_int("axis", axis, minimum=-z.ndim, maximum=z.ndim - 1)
    top = z.max(axis=axis, keepdims=True)
    if np.any(np.isneginf(top)):
        raise ValueError(
            f"z must have a finite logit in every slice along axis {axis}, "
            "got a slice that is all -inf"
        )
    return (z - top) / temperature, axis


def softmax(z: Any, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Softmax with temperature, :math:`e^{z_i/T} / \sum_j e^{z_j/T}`.

    The largest logit is subtracted first (softmax is shift invariant), so
    logits of any size give finite probabilities.

    Parameters
    ----------
    z : array_like
        Logits; any shape with at least one axis. Entries ``-inf`` are
        allowed (a masked class gets probability 0) as long as every slice
        along ``axis`` has a finite entry.
    temperature : float, default 1.0
        ``T > 0``. As ``T -> 0`` the result tends to the indicator of the
        largest logit (shared equally among tied maxima); as ``T -> inf`` it
        tends to the uniform law over the finite logits.
    axis : int, default -1
        The axis that is normalised.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; non-negative values along ``axis`` that sum to 1
        (positive wherever the logit is finite, unless underflow).

    See Also
    --------
    log_softmax, softmax_entropy

    References
    ----------
    The chapter *Logits, softmax and temperature*;
    :cite:t:`svozil2025semantic`, appendix A.

    Examples
    --------
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    >>> softmax([1e4, 0.0]).round(6).tolist()
    [1.0, 0.0]
    >>> softmax([2.0, 1.0, 0.0], temperature=1e6).round(4).tolist()
    [0.3333, 0.3333, 0.3333]
    """
    s, axis = _shifted_logits(z, temperature, axis)
    e = np.exp(s)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z: Any, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""The logarithm of :func:`softmax`, computed without forming it.

    .. math:: \log \operatorname{softmax}_T(z)_i = \frac{z_i - m}{T}
       - \log \sum_j e^{(z_j - m)/T}, \qquad m = \max_j z_j.

    Parameters
    ----------
    z : array_like
        Logits; any shape with at least one axis (``-inf`` allowed, as in
        :func:`softmax`).
    temperature : float, default 1.0
        ``T > 0``.
    axis : int, default -1
        The axis that is normalised.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``; values ``<= 0``, finite even where the
        probability underflows to 0.

    References
    ----------
    The chapter *Logits, softmax and temperature*.

    Examples
    --------
    >>> log_softmax([1e4, 0.0]).tolist()
    [0.0, -10000.0]
    """
    s, axis = _shifted_logits(z, temperature, axis)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def softmax_entropy(z: Any, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Shannon entropy (in nats) of :func:`softmax`\ ``(z, temperature)``.

    .. math:: H_T(z) = -\sum_i p_i \log p_i, \qquad p = \operatorname{softmax}_T(z).

    It lies in ``[0, log C]`` for ``C`` finite logits, increases with the
    temperature (:math:`dH/dT = \operatorname{Var}_p(z) / T^3`), tends to
    ``log C`` as ``T -> inf`` and to the logarithm of the number of tied
    maxima as ``T -> 0``.

    Parameters
    ----------
    z : array_like
        Logits; any shape with at least one axis (``-inf`` allowed).
    temperature : float, default 1.0
        ``T > 0``.
    axis : int, default -1
        The axis over which the distribution lives; it is summed out.

    Returns
    -------
    numpy.ndarray
        Entropies, with ``axis`` removed (a 0-d array for a 1-D ``z``).

    References
    ----------
    The chapter *Logits, softmax and temperature*.

    Examples
    --------
    >>> round(float(softmax_entropy([0.0, 0.0, 0.0, 0.0])), 12)  # log 4
    1.386294361120
    >>> float(softmax_entropy([1e4, 0.0]))
    0.0
    """
    log_p = log_softmax(z, temperature, axis)
    p = np.exp(log_p)
    finite_log_p = np.where(np.isneginf(log_p), 0.0, log_p)
    return -(p * finite_log_p).sum(axis=axis)


# ---------------------------------------------------------------------------
# Backpropagation through an embedding: the toy network of appendix B
# ---------------------------------------------------------------------------


def _set_arrays(
    obj: Any, specs: dict[str, int], optional: tuple[str, ...] = ()
) -> None:
    """Validate and store each field as float64 with the given number of axes."""
    for name, ndim in specs.items():
        value = getattr(obj, name)
        if value is None and name in optional:
            continue
        arr = check_float_array(name, value)
        if arr.ndim != ndim:
            raise ValueError(f"{name} must have {ndim} axes, got shape {arr.shape}")
        object.__setattr__(obj, name, arr)


def _expect_shape(name: str, arr: np.ndarray | None, shape: tuple[int, ...]) -> None:
    if arr is not None and arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")


@dataclass(frozen=True)
class ToyNetwork:
    r"""Parameters of the toy network of the paper's appendix B.

    The token with index ``k`` enters as the one-hot vector :math:`e_k` of
    length ``V``; the network computes

    .. math:: v = E^{\top} e_k,\quad z_2 = W_1 v + b_1,\quad a_2 = s(z_2),
       \quad z_3 = W_2 a_2 + b_2,\quad \hat y = s(z_3).

    The paper writes the embedding matrix as ``d x V`` with one column per
    token; here it is stored as ``V x d`` with one *row* per token, the
    layout of ``torch.nn.Embedding``.

    Attributes
    ----------
    E : numpy.ndarray
        Shape ``(V, d)``. Embedding matrix; row ``k`` is the embedding :math:`v_k` of
        token ``k``.
    W1 : numpy.ndarray
        Shape ``(h, d)``. Hidden-layer weights.
    b1 : numpy.ndarray
        Shape ``(h,)``. Hidden-layer bias.
    W2 : numpy.ndarray
        Shape ``(1, h)``. Output weights.
    b2 : numpy.ndarray
        Shape ``(1,)``. Output bias.

    See Also
    --------
    toy_network_init, toy_forward, toy_backward

    Examples
    --------
    >>> net = toy_network_init(V=5, d=3, h=4, seed=0)
    >>> (net.V, net.d, net.h)
    (5, 3, 4)
    """

    E: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def __post_init__(self) -> None:
        _set_arrays(self, {"E": 2, "W1": 2, "b1": 1, "W2": 2, "b2": 1})
        V, d = self.E.shape
        h = self.W1.shape[0]
        _expect_shape("W1", self.W1, (h, d))
        _expect_shape("b1", self.b1, (h,))
        _expect_shape("W2", self.W2, (1, h))
        _expect_shape("b2", self.b2, (1,))

    @property
    def V(self) -> int:
        """Vocabulary size."""
        return self.E.shape[0]

    @property
    def d(self) -> int:
        """Embedding dimension."""
        return self.E.shape[1]

    @property
    def h(self) -> int:
        """Hidden width."""
        return self.W1.shape[0]


@dataclass(frozen=True)
class ToyCache:
    """The intermediate values of one forward pass of :class:`ToyNetwork`.

    Attributes
    ----------
    token : int
        Index ``k`` of the input token.
    v : numpy.ndarray
        Shape ``(d,)``. Its embedding, row ``k`` of ``E``.
    z2 : numpy.ndarray
        Shape ``(h,)``. Hidden pre-activation.
    a2 : numpy.ndarray
        Shape ``(h,)``. Hidden activation ``sigmoid(z2)``.
    z3 : numpy.ndarray
        Shape ``(1,)``. Output logit.
    y_hat : numpy.ndarray
        Shape ``(1,)``. Output ``sigmoid(z3)``.
    """

    token: int
    v: np.ndarray
    z2: np.ndarray
    a2: np.ndarray
    z3: np.ndarray
    y_hat: np.ndarray


@dataclass(frozen=True)
class ToyGradients:
    r"""Gradients of the loss for :class:`ToyNetwork`, with the error signals.

    The parameter gradients have the shapes of the parameters. The error
    signals are the derivatives of the loss with respect to each layer's
    pre-activation, :math:`\delta_3 = \partial L / \partial z_3` and
    :math:`\delta_2 = \partial L / \partial z_2`, and with respect to the
    embedding of the active token, :math:`\delta_v = \partial L / \partial v`.

    Attributes
    ----------
    E : numpy.ndarray
        Shape ``(V, d)``. :math:`\partial L / \partial E`; only row ``token`` is
        non-zero.
    W1 : numpy.ndarray
        Shape ``(h, d)``. :math:`\partial L / \partial W_1 = \delta_2 v^{\top}`.
    b1 : numpy.ndarray
        Shape ``(h,)``. :math:`\partial L / \partial b_1 = \delta_2`.
    W2 : numpy.ndarray
        Shape ``(1, h)``. :math:`\partial L / \partial W_2 = \delta_3 a_2^{\top}`.
    b2 : numpy.ndarray
        Shape ``(1,)``. :math:`\partial L / \partial b_2 = \delta_3`.
    delta3 : numpy.ndarray
        Shape ``(1,)``. Output error signal.
    delta2 : numpy.ndarray
        Shape ``(h,)``. Hidden error signal.
    delta_v : numpy.ndarray
        Shape ``(d,)``. The signal reaching the embedding, :math:`W_1^{\top}\delta_2`.
    """

    E: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    delta3: np.ndarray
    delta2: np.ndarray
    delta_v: np.ndarray


def toy_network_init(V: int, d: int, h: int, *, seed: Any = None) -> ToyNetwork:
    r"""Random parameters for :class:`ToyNetwork`.

    Embedding entries are standard normal; each weight matrix has
    independent :math:`N(0, 1/\text{fan-in})` entries, so pre-activations
    have variance about 1 and the sigmoids work in their sensitive range;
    biases start at zero.

    Parameters
    ----------
    V : int
        Vocabulary size, ``V >= 1``.
    d : int
        Embedding dimension, ``d >= 1``.
    h : int
        Hidden width, ``h >= 1``.
    seed : None, int or numpy.random.Generator, optional
        Seed of the random generator.

    Returns
    -------
    ToyNetwork

    References
    ----------
    The chapter *Backpropagation through an embedding*.

    Examples
    --------
    >>> net = toy_network_init(4, 3, 2, seed=0)
    >>> net.E.shape, net.W1.shape, net.W2.shape
    ((4, 3), (2, 3), (1, 2))
    """
    V = check_int("V", V, minimum=1)
    d = check_int("d", d, minimum=1)
    h = check_int("h", h, minimum=1)
    rng = np.random.default_rng(check_seed("seed", seed))
    return ToyNetwork(
        E=rng.standard_normal((V, d)),
        W1=rng.standard_normal((h, d)) / np.sqrt(d),
        b1=np.zeros(h),
        W2=rng.standard_normal((1, h)) / np.sqrt(h),
        b2=np.zeros(1),
    )


def _check_net(net: Any) -> ToyNetwork:
    if not isinstance(net, ToyNetwork):
        raise TypeError(f"net must be a ToyNetwork, got {type(net).__name__}")
    return net


def toy_forward(net: ToyNetwork, token: int) -> ToyCache:
    r"""Forward pass of :class:`ToyNetwork` for one token.

    .. math:: v = E^{\top} e_k,\ z_2 = W_1 v + b_1,\ a_2 = s(z_2),\
       z_3 = W_2 a_2 + b_2,\ \hat y = s(z_3).

    Multiplying by the one-hot :math:`e_k` selects row ``k`` of ``E``, which
    is how it is computed.

    Parameters
    ----------
    net : ToyNetwork
        The parameters.
    token : int
        Token index ``k`` in ``[0, V - 1]``.

    Returns
    -------
    ToyCache
        Every intermediate value, as :func:`toy_backward` needs them.

    References
    ----------
    The chapter *Backpropagation through an embedding*;
    :cite:t:`svozil2025semantic`, appendix B.

    Examples
    --------
    >>> net = ToyNetwork(E=[[0.0], [1.0]], W1=[[1.0]], b1=[0.0], W2=[[2.0]],
    ...                  b2=[-1.0])
    >>> float(toy_forward(net, 0).y_hat[0])  # s(2 s(0) - 1) = s(0)
    0.5
    """
    net = _check_net(net)
    token = check_int("token", token, minimum=0, maximum=net.V - 1)
    v = net.E[token].copy()
    z2 = net.W1 @ v + net.b1
    a2 = sigmoid(z2)
    z3 = net.W2 @ a2 + net.b2
    y_hat = sigmoid(z3)
    return ToyCache(token=token, v=v, z2=z2, a2=a2, z3=z3, y_hat=y_hat)


def _check_target(target: Any) -> float:
    return check_real("target", target, low=0.0, high=1.0)


def toy_loss(cache: ToyCache, target: float) -> float:
    r"""Squared-error loss :math:`L = \tfrac12 (\hat y - y)^2` of a forward pass.

    Parameters
    ----------
    cache : ToyCache
        Result of :func:`toy_forward`.
    target : float
        Target ``y`` in ``[0, 1]`` (the paper uses ``{0, 1}``).

    Returns
    -------
    float

    Examples
    --------
    >>> net = ToyNetwork(E=[[0.0]], W1=[[1.0]], b1=[0.0], W2=[[0.0]], b2=[0.0])
    >>> toy_loss(toy_forward(net, 0), 1.0)  # (1/2)(1/2)^2
    0.125
    """
    if not isinstance(cache, ToyCache):
        raise TypeError(f"cache must be a ToyCache, got {type(cache).__name__}")
    target = _check_target(target)
    return float(0.5 * (cache.y_hat[0] - target) ** 2)


def toy_backward(net: ToyNetwork, cache: ToyCache, target: float) -> ToyGradients:
    r"""Backward pass of :class:`ToyNetwork`: every gradient and error signal.

    With :math:`s' = s(1 - s)` and the chain rule, from the output down:

    .. math::

       \delta_3 &= (\hat y - y)\,\hat y (1 - \hat y), &
       \partial_{W_2} L &= \delta_3 a_2^{\top}, & \partial_{b_2} L &= \delta_3,\\
       \delta_2 &= (W_2^{\top}\delta_3) \odot a_2 (1 - a_2), &
       \partial_{W_1} L &= \delta_2 v^{\top}, & \partial_{b_1} L &= \delta_2,\\
       \delta_v &= W_1^{\top}\delta_2, &
       \partial_{E} L &= e_k \delta_v^{\top}. &&

    The last line is the point of the exercise: the embedding gradient is the
    outer product of the one-hot input with :math:`\delta_v`, so it vanishes
    outside row ``k``.

    Parameters
    ----------
    net : ToyNetwork
        The parameters used in the forward pass.
    cache : ToyCache
        Result of :func:`toy_forward` for ``net``.
    target : float
        Target ``y`` in ``[0, 1]``.

    Returns
    -------
    ToyGradients

    References
    ----------
    The chapter *Backpropagation through an embedding*;
    :cite:t:`rumelhart1986learning`; :cite:t:`svozil2025semantic`, appendix B.

    Examples
    --------
    >>> net = toy_network_init(V=6, d=3, h=4, seed=0)
    >>> g = toy_backward(net, toy_forward(net, 2), target=1.0)
    >>> np.flatnonzero(np.abs(g.E).sum(axis=1)).tolist()  # rows with gradient
    [2]
    """
    net = _check_net(net)
    if not isinstance(cache, ToyCache):
        raise TypeError(f"cache must be a ToyCache, got {type(cache).__name__}")
    if cache.v.shape != (net.d,) or cache.a2.shape != (net.h,) or cache.token >= net.V:
        raise ValueError(
            "cache must come from toy_forward with this net: got v of shape "
            f"{cache.v.shape} and a2 of shape {cache.a2.shape} for d = {net.d}, "
            f"h = {net.h}"
        )
    target = _check_target(target)
    y_hat = cache.y_hat
    delta3 = (y_hat - target) * y_hat * (1.0 - y_hat)
    grad_W2 = np.outer(delta3, cache.a2)
    delta2 = (net.W2.T @ delta3) * cache.a2 * (1.0 - cache.a2)
    grad_W1 = np.outer(delta2, cache.v)
    delta_v = net.W1.T @ delta2
    grad_E = np.zeros_like(net.E)
    grad_E[cache.token] = delta_v
    return ToyGradients(
        E=grad_E,
        W1=grad_W1,
        b1=delta2.copy(),
        W2=grad_W2,
        b2=delta3.copy(),
        delta3=delta3,
        delta2=delta2,
        delta_v=delta_v,
    )


_TOY_PARAMS = ("E", "W1", "b1", "W2", "b2")


def toy_numerical_gradient(
    net: ToyNetwork, token: int, target: float, *, step: float = 1e-6
) -> ToyGradients:
    r"""Central finite-difference gradients of the toy network's loss.

    Each parameter entry :math:`\theta` is moved by :math:`\pm h` and
    :math:`(L(\theta + h) - L(\theta - h)) / 2h` is recorded. The truncation
    error is :math:`O(h^2)` and the rounding error about
    :math:`\epsilon_{\text{mach}} L / h`, so ``step = 1e-6`` gives about
    ``1e-10`` absolute accuracy for losses of order 1. The error signals are
    read off by the identities :math:`\delta_3 = \partial_{b_2} L`,
    :math:`\delta_2 = \partial_{b_1} L` and :math:`\delta_v =
    \partial_{E_k} L`.

    Parameters
    ----------
    net : ToyNetwork
        The parameters.
    token : int
        Token index in ``[0, V - 1]``.
    target : float
        Target in ``[0, 1]``.
    step : float, default 1e-6
        The displacement ``h > 0``.

    Returns
    -------
    ToyGradients
        Same layout as :func:`toy_backward`.

    Notes
    -----
    Costs two forward passes per parameter, ``2 (V d + h d + 2 h + 1)`` in
    all: a check for small networks, not a training method.

    References
    ----------
    The chapter *Backpropagation through an embedding*.

    Examples
    --------
    >>> net = toy_network_init(V=4, d=3, h=2, seed=0)
    >>> exact = toy_backward(net, toy_forward(net, 1), 0.0)
    >>> approx = toy_numerical_gradient(net, 1, 0.0)
    >>> bool(np.max(np.abs(exact.W1 - approx.W1)) < 1e-9)
    True
    """
    net = _check_net(net)
    token = check_int("token", token, minimum=0, maximum=net.V - 1)
    target = _check_target(target)
    step = check_real("step", step, low=0.0, low_open=True)
    params = {name: getattr(net, name).copy() for name in _TOY_PARAMS}

    def loss() -> float:
        return toy_loss(toy_forward(ToyNetwork(**params), token), target)

    grads = {}
    for name, arr in params.items():
        g = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + step
            up = loss()
            arr[idx] = old - step
            down = loss()
            arr[idx] = old
            g[idx] = (up - down) / (2.0 * step)
        grads[name] = g
    return ToyGradients(
        **grads,
        delta3=grads["b2"].copy(),
        delta2=grads["b1"].copy(),
        delta_v=grads["E"][token].copy(),
    )


def toy_sgd_step(net: ToyNetwork, grads: ToyGradients, lr: float) -> ToyNetwork:
    r"""One step of gradient descent, :math:`\theta \leftarrow \theta - \eta\,
    \partial_\theta L` for every parameter.

    Parameters
    ----------
    net : ToyNetwork
        Current parameters.
    grads : ToyGradients
        Gradients at ``net`` (from :func:`toy_backward`).
    lr : float
        Learning rate ``eta > 0``.

    Returns
    -------
    ToyNetwork
        New parameters; ``net`` is not modified.

    References
    ----------
    The chapter *Backpropagation through an embedding*.

    Examples
    --------
    >>> net = toy_network_init(V=3, d=2, h=2, seed=0)
    >>> cache = toy_forward(net, 0)
    >>> new = toy_sgd_step(net, toy_backward(net, cache, 1.0), lr=1.0)
    >>> toy_loss(toy_forward(new, 0), 1.0) < toy_loss(cache, 1.0)
    True
    """
    net = _check_net(net)
    if not isinstance(grads, ToyGradients):
        raise TypeError(f"grads must be ToyGradients, got {type(grads).__name__}")
    lr = check_real("lr", lr, low=0.0, low_open=True)
    new = {}
    for name in _TOY_PARAMS:
        p, g = getattr(net, name), getattr(grads, name)
        if g.shape != p.shape:
            raise ValueError(
                f"grads.{name} must have the shape {p.shape} of net.{name}, "
                f"got {g.shape}"
            )
        new[name] = p - lr * g
    return ToyNetwork(**new)


# ---------------------------------------------------------------------------
# Attention and the transformer block
# ---------------------------------------------------------------------------


def _softmax_last(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of already-validated scores (``-inf`` = masked)."""
    s = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def attention(
    Q: Any, K: Any, V: Any, causal: bool = False, *, return_weights: bool = False
) -> Any:
    r"""Scaled dot-product attention, :math:`\operatorname{softmax}(QK^{\top}
    / \sqrt{d_k} + M)\,V`.

    Row ``i`` of the weights :math:`A = \operatorname{softmax}(QK^{\top} /
    \sqrt{d_k} + M)` is a probability vector over the ``m`` keys; the output
    row ``i`` is the average of the value rows under it. With ``causal``,
    :math:`M_{ij} = -\infty` for ``j > i``: query ``i`` sees keys
    ``0, ..., i`` only (the top-left-aligned mask of
    ``torch.nn.functional.scaled_dot_product_attention(..., is_causal=True)``).

    Parameters
    ----------
    Q : array_like, shape (..., n, d_k)
        Queries, one per row.
    K : array_like, shape (..., m, d_k)
        Keys.
    V : array_like, shape (..., m, d_v)
        Values.
    causal : bool, default False
        Mask the keys after each query.
    return_weights : bool, default False
        Also return the attention weights.

    Returns
    -------
    numpy.ndarray, shape (..., n, d_v)
        The output; leading (batch) axes are broadcast.
    numpy.ndarray, shape (..., n, m)
        The weights :math:`A`, only with ``return_weights=True``.

    Notes
    -----
    The division by :math:`\sqrt{d_k}` keeps the scores of order 1 when the
    entries of queries and keys are: :math:`q\cdot k` then has variance
    :math:`d_k`. It is softmax at temperature :math:`\sqrt{d_k}`.

    References
    ----------
    The chapter *Attention and the transformer block*;
    :cite:t:`vaswani2017attention`; :cite:t:`svozil2025semantic`, appendix C.

    Examples
    --------
    >>> Q = K = np.eye(2)
    >>> V = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> out, A = attention(Q, K, V, causal=True, return_weights=True)
    >>> A.round(4).tolist()
    [[1.0, 0.0], [0.3302, 0.6698]]
    """
    Q = check_float_array("Q", Q, min_ndim=2)
    K = check_float_array("K", K, min_ndim=2)
    V = check_float_array("V", V, min_ndim=2)
    causal = check_bool("causal", causal)
    return_weights = check_bool("return_weights", return_weights)
    n, d_k = Q.shape[-2:]
    m = K.shape[-2]
    if K.shape[-1] != d_k:
        raise ValueError(f"K must have d_k = {d_k} columns like Q, got shape {K.shape}")
    if V.shape[-2] != m:
        raise ValueError(f"V must have m = {m} rows like K, got shape {V.shape}")
    try:
        np.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    except ValueError:
        raise ValueError(
            "the leading (batch) axes of Q, K and V must broadcast, got shapes "
            f"{Q.shape}, {K.shape}, {V.shape}"
        ) from None
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    if causal:
        scores = np.where(np.tri(n, m, dtype=bool), scores, -np.inf)
    A = _softmax_last(scores)
    out = A @ V
    return (out, A) if return_weights else out


def _optional_vector(name: str, value: Any, length: int) -> np.ndarray | None:
    if value is None:
        return None
    arr = check_float_array(name, value)
    _expect_shape(name, arr, (length,))
    return arr


def _square(name: str, value: Any, size: int) -> np.ndarray:
    arr = check_float_array(name, value)
    _expect_shape(name, arr, (size, size))
    return arr


def _affine(X: np.ndarray, W: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    Y = X @ W
    return Y if b is None else Y + b


def multi_head_attention(
    X: Any,
    W_q: Any,
    W_k: Any,
    W_v: Any,
    W_o: Any,
    n_heads: int,
    causal: bool = False,
    *,
    b_q: Any = None,
    b_k: Any = None,
    b_v: Any = None,
    b_o: Any = None,
    return_weights: bool = False,
) -> Any:
    r"""Multi-head self-attention with the convention :math:`Q = X W_Q`.

    .. math::

       \operatorname{head}_i = \operatorname{attention}(X W_Q^{(i)},
       X W_K^{(i)}, X W_V^{(i)}), \qquad
       \operatorname{MHA}(X) = [\operatorname{head}_1, \dots,
       \operatorname{head}_H]\, W_O,

    where :math:`W^{(i)}` is the ``i``-th block of ``d_model / H`` columns of
    :math:`W` (heads split the last axis in order). Biases, if given, are
    added after each projection.

    Parameters
    ----------
    X : array_like, shape (..., n, d_model)
        The token representations, one per row.
    W_q, W_k, W_v, W_o : array_like, shape (d_model, d_model)
        Projections, applied as ``X @ W``. (``torch.nn.MultiheadAttention``
        stores the transposes; see :func:`mha_params_from_torch`.)
    n_heads : int
        Number of heads ``H``; it must divide ``d_model``.
    causal : bool, default False
        Mask the keys after each query.
    b_q, b_k, b_v, b_o : array_like, shape (d_model,), optional
        Biases of the four projections; ``None`` means none.
    return_weights : bool, default False
        Also return each head's attention weights.

    Returns
    -------
    numpy.ndarray, shape (..., n, d_model)
        The output.
    numpy.ndarray, shape (..., H, n, n)
        Per-head weights, only with ``return_weights=True``.

    References
    ----------
    The chapter *Attention and the transformer block*;
    :cite:t:`vaswani2017attention`.

    Examples
    --------
    >>> X = np.arange(12.0).reshape(3, 4) / 10
    >>> I = np.eye(4)
    >>> out, A = multi_head_attention(X, I, I, I, I, n_heads=2,
    ...                               return_weights=True)
    >>> out.shape, A.shape
    ((3, 4), (2, 3, 3))
    >>> A.sum(axis=-1).round(12).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """
    X = check_float_array("X", X, min_ndim=2)
    n, d_model = X.shape[-2:]
    W_q, W_k, W_v, W_o = (
        _square(name, W, d_model)
        for name, W in zip(
            ("W_q", "W_k", "W_v", "W_o"), (W_q, W_k, W_v, W_o), strict=True
        )
    )
    b_q, b_k, b_v, b_o = (
        _optional_vector(name, b, d_model)
        for name, b in zip(
            ("b_q", "b_k", "b_v", "b_o"), (b_q, b_k, b_v, b_o), strict=True
        )
    )
    n_heads = check_int("n_heads", n_heads, minimum=1, maximum=d_model)
    if d_model % n_heads:
        raise ValueError(f"n_heads must divide d_model = {d_model}, got {n_heads}")
    causal = check_bool("causal", causal)
    return_weights = check_bool("return_weights", return_weights)
    d_head = d_model // n_heads

    def heads(Y: np.ndarray) -> np.ndarray:
        # (..., n, d_model) -> (..., H, n, d_head)
        return np.moveaxis(Y.reshape(*Y.shape[:-1], n_heads, d_head), -2, -3)

    Qh = heads(_affine(X, W_q, b_q))
    Kh = heads(_affine(X, W_k, b_k))
    Vh = heads(_affine(X, W_v, b_v))
    out, A = attention(Qh, Kh, Vh, causal, return_weights=True)
    concat = np.moveaxis(out, -3, -2).reshape(*X.shape[:-1], d_model)
    Y = _affine(concat, W_o, b_o)
    return (Y, A) if return_weights else Y


def layer_norm(
    x: Any, gamma: Any = None, beta: Any = None, *, eps: float = 1e-5
) -> np.ndarray:
    r"""Layer normalisation over the last axis :cite:p:`ba2016layer`.

    .. math:: \operatorname{LN}(x) = \gamma \odot \frac{x - \mu}
       {\sqrt{\sigma^2 + \epsilon}} + \beta,\qquad
       \mu = \frac1D\sum_i x_i,\ \sigma^2 = \frac1D\sum_i (x_i - \mu)^2.

    Parameters
    ----------
    x : array_like, shape (..., D)
        Inputs; each row (last axis) is normalised on its own.
    gamma : array_like, shape (D,), optional
        Gain; ``None`` means ones.
    beta : array_like, shape (D,), optional
        Shift; ``None`` means zeros.
    eps : float, default 1e-5
        ``eps > 0`` added to the variance (PyTorch's default).

    Returns
    -------
    numpy.ndarray, shape (..., D)
        Without gain and shift, every row has mean 0 and variance
        :math:`\sigma^2 / (\sigma^2 + \epsilon)`.

    References
    ----------
    The chapter *Attention and the transformer block*.

    Examples
    --------
    >>> layer_norm([[1.0, 2.0, 3.0]], eps=1e-12).round(6).tolist()
    [[-1.224745, 0.0, 1.224745]]
    """
    x = check_float_array("x", x, min_ndim=1)
    D = x.shape[-1]
    gamma = _optional_vector("gamma", gamma, D)
    beta = _optional_vector("beta", beta, D)
    eps = check_real("eps", eps, low=0.0, low_open=True)
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    y = (x - mu) / np.sqrt(var + eps)
    if gamma is not None:
        y = y * gamma
    if beta is not None:
        y = y + beta
    return y


def _activate(x: np.ndarray, activation: str) -> np.ndarray:
    if activation == "relu":
        return np.maximum(x, 0.0)
    return 0.5 * x * (1.0 + special.erf(x / np.sqrt(2.0)))


def feed_forward(
    X: Any,
    W_1: Any,
    W_2: Any,
    b_1: Any = None,
    b_2: Any = None,
    *,
    activation: str = "relu",
) -> np.ndarray:
    r"""The position-wise feed-forward network :math:`f(X W_1 + b_1) W_2 + b_2`.

    The same two-layer network is applied to every row (position) on its
    own :cite:p:`vaswani2017attention`.

    Parameters
    ----------
    X : array_like, shape (..., D)
        Inputs, one position per row.
    W_1 : array_like, shape (D, F)
        First layer, applied as ``X @ W_1``.
    W_2 : array_like, shape (F, D_out)
        Second layer.
    b_1 : array_like, shape (F,), optional
        First bias.
    b_2 : array_like, shape (D_out,), optional
        Second bias.
    activation : {"relu", "gelu"}, default "relu"
        ``f``: :math:`\max(x, 0)` or the exact GELU
        :math:`x\,\Phi(x)`.

    Returns
    -------
    numpy.ndarray, shape (..., D_out)

    References
    ----------
    The chapter *Attention and the transformer block*.

    Examples
    --------
    >>> feed_forward([[1.0, -1.0]], np.eye(2), np.ones((2, 1))).tolist()
    [[1.0]]
    """
    X = check_float_array("X", X, min_ndim=1)
    W_1 = check_float_array("W_1", W_1, min_ndim=2)
    W_2 = check_float_array("W_2", W_2, min_ndim=2)
    D = X.shape[-1]
    if W_1.ndim != 2 or W_1.shape[0] != D:
        raise ValueError(f"W_1 must have shape ({D}, F), got {W_1.shape}")
    F = W_1.shape[1]
    if W_2.ndim != 2 or W_2.shape[0] != F:
        raise ValueError(f"W_2 must have shape ({F}, D_out), got {W_2.shape}")
    b_1 = _optional_vector("b_1", b_1, F)
    b_2 = _optional_vector("b_2", b_2, W_2.shape[1])
    activation = check_choice("activation", activation, ACTIVATIONS)
    return _affine(_activate(_affine(X, W_1, b_1), activation), W_2, b_2)


def sinusoidal_positions(n: int, d_model: int) -> np.ndarray:
    r"""The sinusoidal position encodings of :cite:t:`vaswani2017attention`.

    .. math:: P_{t, 2i} = \sin(t / 10000^{2i/d}),\qquad
       P_{t, 2i+1} = \cos(t / 10000^{2i/d}).

    Attention by itself is permutation equivariant (it treats its input as a
    set); adding these rows to the embeddings tells it the order.

    Parameters
    ----------
    n : int
        Number of positions ``t = 0, ..., n - 1``, ``n >= 1``.
    d_model : int
        Width ``d >= 1``.

    Returns
    -------
    numpy.ndarray, shape (n, d_model)

    References
    ----------
    The chapter *Attention and the transformer block*.

    Examples
    --------
    >>> sinusoidal_positions(2, 4).round(4).tolist()
    [[0.0, 1.0, 0.0, 1.0], [0.8415, 0.5403, 0.01, 1.0]]
    """
    n = check_int("n", n, minimum=1)
    d_model = check_int("d_model", d_model, minimum=1)
    t = np.arange(n)[:, None]
    i = np.arange(d_model)[None, :]
    angle = t / 10000.0 ** ((i - i % 2) / d_model)
    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))


_BLOCK_MATRICES = ("W_q", "W_k", "W_v", "W_o", "W_1", "W_2")
_BLOCK_VECTORS = (
    "b_q", "b_k", "b_v", "b_o", "b_1", "b_2", "gamma_1", "beta_1", "gamma_2",
    "beta_2",
)  # fmt: skip


@dataclass(frozen=True)
class TransformerBlockParams:
    r"""The weights of one transformer block.

    Attention projections are applied as ``X @ W`` (the paper's
    :math:`Q = X W_Q`); the feed-forward network as ``X @ W_1`` then
    ``@ W_2``. Every bias may be ``None`` (no bias); the layer-norm gains
    default to ones and the shifts to zeros.

    Attributes
    ----------
    W_q, W_k, W_v, W_o : numpy.ndarray
        Shape ``(d_model, d_model)``. Attention projections.
    W_1 : numpy.ndarray
        Shape ``(d_model, d_ff)``. First feed-forward layer.
    W_2 : numpy.ndarray
        Shape ``(d_ff, d_model)``. Second feed-forward layer.
    b_q, b_k, b_v, b_o : numpy.ndarray or None
        Shape ``(d_model,)``. Attention biases.
    b_1 : numpy.ndarray or None
        Shape ``(d_ff,)``. First feed-forward bias.
    b_2 : numpy.ndarray or None
        Shape ``(d_model,)``. Second feed-forward bias.
    gamma_1, beta_1 : numpy.ndarray
        Shape ``(d_model,)``. Layer norm around the attention sub-layer.
    gamma_2, beta_2 : numpy.ndarray
        Shape ``(d_model,)``. Layer norm around the feed-forward sub-layer.

    See Also
    --------
    transformer_block_init, transformer_block, block_params_from_torch
    """

    W_q: np.ndarray
    W_k: np.ndarray
    W_v: np.ndarray
    W_o: np.ndarray
    W_1: np.ndarray
    W_2: np.ndarray
    b_q: np.ndarray | None = None
    b_k: np.ndarray | None = None
    b_v: np.ndarray | None = None
    b_o: np.ndarray | None = None
    b_1: np.ndarray | None = None
    b_2: np.ndarray | None = None
    gamma_1: np.ndarray | None = None
    beta_1: np.ndarray | None = None
    gamma_2: np.ndarray | None = None
    beta_2: np.ndarray | None = None

    def __post_init__(self) -> None:
        specs = {name: 2 for name in _BLOCK_MATRICES}
        specs.update({name: 1 for name in _BLOCK_VECTORS})
        _set_arrays(self, specs, optional=_BLOCK_VECTORS)
        D = self.W_q.shape[0]
        F = self.W_1.shape[1]
        for name in ("W_q", "W_k", "W_v", "W_o"):
            _expect_shape(name, getattr(self, name), (D, D))
        _expect_shape("W_1", self.W_1, (D, F))
        _expect_shape("W_2", self.W_2, (F, D))
        _expect_shape("b_1", self.b_1, (F,))
        for name in _BLOCK_VECTORS:
            if name != "b_1":
                _expect_shape(name, getattr(self, name), (D,))
        for name, fill in (
            ("gamma_1", 1.0), ("beta_1", 0.0), ("gamma_2", 1.0), ("beta_2", 0.0)
        ):  # fmt: skip
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.full(D, fill))

    @property
    def d_model(self) -> int:
        """Width of the token representations."""
        return self.W_q.shape[0]

    @property
    def d_ff(self) -> int:
        """Width of the feed-forward hidden layer."""
        return self.W_1.shape[1]


def transformer_block_init(
    d_model: int, d_ff: int, *, seed: Any = None, bias: bool = True
) -> TransformerBlockParams:
    r"""Random weights for :func:`transformer_block`.

    Weight matrices have independent :math:`N(0, 1/\text{fan-in})` entries;
    biases start at zero (or are absent with ``bias=False``); layer-norm
    gains are ones and shifts zeros.

    Parameters
    ----------
    d_model : int
        Width ``d_model >= 1``.
    d_ff : int
        Feed-forward width ``d_ff >= 1`` (often ``4 d_model``).
    seed : None, int or numpy.random.Generator, optional
        Seed of the random generator.
    bias : bool, default True
        Whether the projections carry biases.

    Returns
    -------
    TransformerBlockParams

    References
    ----------
    The chapter *Attention and the transformer block*.

    Examples
    --------
    >>> p = transformer_block_init(8, 32, seed=0)
    >>> p.d_model, p.d_ff, p.b_1.shape
    (8, 32, (32,))
    """
    d_model = check_int("d_model", d_model, minimum=1)
    d_ff = check_int("d_ff", d_ff, minimum=1)
    bias = check_bool("bias", bias)
    rng = np.random.default_rng(check_seed("seed", seed))
    D, F = d_model, d_ff
    square = [rng.standard_normal((D, D)) / np.sqrt(D) for _ in range(4)]
    zeros = (lambda k: np.zeros(k)) if bias else (lambda k: None)
    return TransformerBlockParams(
        *square,
        W_1=rng.standard_normal((D, F)) / np.sqrt(D),
        W_2=rng.standard_normal((F, D)) / np.sqrt(F),
        b_q=zeros(D),
        b_k=zeros(D),
        b_v=zeros(D),
        b_o=zeros(D),
        b_1=zeros(F),
        b_2=zeros(D),
    )


def transformer_block(
    X: Any,
    params: TransformerBlockParams,
    n_heads: int,
    causal: bool = False,
    *,
    activation: str = "relu",
    eps: float = 1e-5,
    norm_first: bool = False,
    return_weights: bool = False,
) -> Any:
    r"""One transformer block: attention, then a feed-forward network, each
    wrapped in a residual connection and layer normalisation.

    Post-norm, as in :cite:t:`vaswani2017attention` and
    ``torch.nn.TransformerEncoderLayer`` (``norm_first=False``):

    .. math:: Y = \operatorname{LN}_1(X + \operatorname{MHA}(X)),\qquad
       Z = \operatorname{LN}_2(Y + \operatorname{FFN}(Y)).

    Pre-norm (``norm_first=True``):
    :math:`Y = X + \operatorname{MHA}(\operatorname{LN}_1 X)`,
    :math:`Z = Y + \operatorname{FFN}(\operatorname{LN}_2 Y)`.

    Parameters
    ----------
    X : array_like, shape (..., n, d_model)
        Token representations.
    params : TransformerBlockParams
        The weights.
    n_heads : int
        Number of attention heads; must divide ``d_model``.
    causal : bool, default False
        Mask future positions in the attention.
    activation : {"relu", "gelu"}, default "relu"
        Activation of the feed-forward network.
    eps : float, default 1e-5
        Layer-norm ``eps > 0``.
    norm_first : bool, default False
        Pre-norm instead of post-norm.
    return_weights : bool, default False
        Also return the attention weights.

    Returns
    -------
    numpy.ndarray, shape (..., n, d_model)
        The block's output.
    numpy.ndarray, shape (..., n_heads, n, n)
        Attention weights, only with ``return_weights=True``.

    References
    ----------
    The chapter *Attention and the transformer block*;
    :cite:t:`vaswani2017attention`; :cite:t:`ba2016layer` (layer
    normalisation); :cite:t:`he2016deep` (residual connections).

    Examples
    --------
    >>> p = transformer_block_init(4, 8, seed=0)
    >>> Z = transformer_block(np.ones((3, 4)) * np.arange(4), p, n_heads=2)
    >>> Z.shape, np.allclose(Z.mean(axis=-1), 0.0)
    ((3, 4), True)
    """
    if not isinstance(params, TransformerBlockParams):
        raise TypeError(
            f"params must be TransformerBlockParams, got {type(params).__name__}"
        )
    X = check_float_array("X", X, min_ndim=2)
    if X.shape[-1] != params.d_model:
        raise ValueError(
            f"X must have d_model = {params.d_model} columns, got shape {X.shape}"
        )
    activation = check_choice("activation", activation, ACTIVATIONS)
    eps = check_real("eps", eps, low=0.0, low_open=True)
    norm_first = check_bool("norm_first", norm_first)
    p = params

    def mha(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return multi_head_attention(
            Y, p.W_q, p.W_k, p.W_v, p.W_o, n_heads, causal,
            b_q=p.b_q, b_k=p.b_k, b_v=p.b_v, b_o=p.b_o, return_weights=True,
        )  # fmt: skip

    def ffn(Y: np.ndarray) -> np.ndarray:
        return feed_forward(Y, p.W_1, p.W_2, p.b_1, p.b_2, activation=activation)

    def ln1(Y: np.ndarray) -> np.ndarray:
        return layer_norm(Y, p.gamma_1, p.beta_1, eps=eps)

    def ln2(Y: np.ndarray) -> np.ndarray:
        return layer_norm(Y, p.gamma_2, p.beta_2, eps=eps)

    if norm_first:
        att, A = mha(ln1(X))
        Y = X + att
        Z = Y + ffn(ln2(Y))
    else:
        att, A = mha(X)
        Y = ln1(X + att)
        Z = ln2(Y + ffn(Y))
    return (Z, A) if check_bool("return_weights", return_weights) else Z


# ---------------------------------------------------------------------------
# Reading weights from PyTorch modules (no import of torch needed)
# ---------------------------------------------------------------------------


def _np(t: Any) -> np.ndarray | None:
    return None if t is None else check_float_array("weight", t)


def mha_params_from_torch(mha: Any) -> dict[str, np.ndarray | None]:
    r"""The weights of a ``torch.nn.MultiheadAttention`` in this module's layout.

    PyTorch stores :math:`[W_Q; W_K; W_V]^{\top}` stacked in
    ``in_proj_weight`` of shape ``(3 D, D)`` and applies it as
    ``x @ in_proj_weight.T``; this returns the transposed blocks, so that
    ``multi_head_attention(X, **mha_params_from_torch(mha), n_heads=H)``
    equals the module's output.

    Parameters
    ----------
    mha : torch.nn.MultiheadAttention
        A module with ``kdim == vdim == embed_dim`` and no ``add_bias_kv``.

    Returns
    -------
    dict
        Keys ``W_q, W_k, W_v, W_o`` (arrays of shape ``(D, D)``) and
        ``b_q, b_k, b_v, b_o`` (shape ``(D,)``, or ``None`` without biases).

    References
    ----------
    The chapter *Attention and the transformer block*.
    """
    W = getattr(mha, "in_proj_weight", None)
    if W is None or getattr(mha, "bias_k", None) is not None:
        raise ValueError(
            "mha must be a torch.nn.MultiheadAttention with one in_proj_weight "
            "(kdim == vdim == embed_dim) and add_bias_kv=False"
        )
    W = _np(W)
    D = W.shape[1]
    b = _np(mha.in_proj_bias)
    out = {
        "W_q": W[:D].T.copy(),
        "W_k": W[D : 2 * D].T.copy(),
        "W_v": W[2 * D :].T.copy(),
        "W_o": _np(mha.out_proj.weight).T.copy(),
    }
    out.update(
        b_q=None if b is None else b[:D].copy(),
        b_k=None if b is None else b[D : 2 * D].copy(),
        b_v=None if b is None else b[2 * D :].copy(),
        b_o=_np(mha.out_proj.bias),
    )
    return out


def block_params_from_torch(layer: Any) -> TransformerBlockParams:
    """The weights of a ``torch.nn.TransformerEncoderLayer`` as block parameters.

    Linear layers apply ``x @ weight.T + bias`` in PyTorch, so the matrices
    are transposed. With the same input,
    ``transformer_block(X, block_params_from_torch(layer), n_heads,
    norm_first=layer.norm_first)`` equals ``layer(X)`` for a layer built with
    ``batch_first=True`` and ``dropout=0`` (or in evaluation mode).

    Parameters
    ----------
    layer : torch.nn.TransformerEncoderLayer
        The layer to read.

    Returns
    -------
    TransformerBlockParams

    References
    ----------
    The chapter *Attention and the transformer block*.
    """
    attn = mha_params_from_torch(layer.self_attn)
    return TransformerBlockParams(
        **attn,
        W_1=_np(layer.linear1.weight).T.copy(),
        b_1=_np(layer.linear1.bias),
        W_2=_np(layer.linear2.weight).T.copy(),
        b_2=_np(layer.linear2.bias),
        gamma_1=_np(layer.norm1.weight),
        beta_1=_np(layer.norm1.bias),
        gamma_2=_np(layer.norm2.weight),
        beta_2=_np(layer.norm2.bias),
    )
