r"""Contexts, hinges and the Born rule: measurement in intertwined bases.

A *context* is an orthonormal basis :math:`\{\phi_1, \dots, \phi_n\}` of
:math:`\mathbb{R}^n` or :math:`\mathbb{C}^n` (rows of an ``(n, n)`` array): the
outcomes of one maximal measurement. Two contexts *intertwine* when they share
a vector; the shared vector is a *hinge*. A state :math:`\psi` (a unit vector)
measured in a context gives outcome :math:`i` with the Born probability

.. math:: p_i = |\langle \phi_i, \psi\rangle|^2,
   \qquad \sum_i p_i = \lVert\psi\rVert^2 = 1.

:math:`p_i` depends on :math:`\phi_i` alone, not on the rest of the context,
so a hinge receives the same probability in every context that contains it.
Gleason's theorem :cite:p:`gleason1957measures` says that in dimension
:math:`n \ge 3` every such context-independent probability assignment is of
this form; the Kochen–Specker theorem :cite:p:`specker1960logik,kochen1967problem`
says that no assignment of definite outcomes (values 0 or 1, exactly one 1 per
context) exists on suitable finite sets of intertwined contexts, such as the
33 rays of :func:`peres_vectors` :cite:p:`peres1991two`.

The quantum-like token scheme of :cite:t:`svozil2025semantic` prepares a state,
evolves it by a unitary map and measures once, in the basis of token
directions. With the amplitudes :math:`a_i = e^{z_i/2T} / \sqrt{\sum_j e^{z_j/T}}`
(:func:`logit_amplitudes`) its Born probabilities are exactly the
softmax-with-temperature probabilities of the logits :math:`z`
(:func:`softmax_sampling`); the two differ only when the state is measured in
another context, where phases interfere. The chapter *Contexts, hinges and
measurement* explains all of this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations
from typing import Any

import numpy as np

from ._validation import check_array, check_int, check_real, check_seed
from .transformer import softmax

__all__ = [
    "is_orthonormal_basis",
    "complete_context",
    "haar_unitary",
    "ContextHypergraph",
    "context_hypergraph",
    "SharedVector",
    "shared_vectors",
    "born_probabilities",
    "sample_measurement",
    "empirical_frequencies",
    "logit_amplitudes",
    "TokenScheme",
    "quantum_token_scheme",
    "softmax_sampling",
    "two_valued_measures",
    "peres_vectors",
]

ATOL = 1e-9


def _check_atol(atol: Any) -> float:
    return check_real("atol", atol, low=0.0, high=1.0, low_open=True)


def _gram_error(C: np.ndarray) -> float:
    """Largest entry of ``|C C^H - I|``."""
    G = C @ C.conj().T
    return float(np.max(np.abs(G - np.eye(C.shape[0]))))


def _check_context(name: str, context: Any, atol: float) -> np.ndarray:
    """Return ``context`` as an ``(n, n)`` array with orthonormal rows, or raise."""
    C = check_array(name, context, ndim=2, allow_complex=True)
    n, m = C.shape
    if n != m:
        raise ValueError(
            f"{name} must be square, one row per basis vector of an n-dimensional "
            f"space, got shape {C.shape}"
        )
    err = _gram_error(C)
    if err > atol:
        raise ValueError(
            f"{name} must have orthonormal rows (a context); its Gram matrix differs "
            f"from the identity by {err:.3g} > atol = {atol:g}"
        )
    return C


def _check_state(name: str, state: Any, n: int | None, atol: float) -> np.ndarray:
    """Return ``state`` as a unit vector of length ``n``, or raise."""
    psi = check_array(name, state, ndim=1, allow_complex=True)
    if n is not None and psi.shape[0] != n:
        raise ValueError(
            f"{name} must have length {n} to match the context, got length "
            f"{psi.shape[0]}"
        )
    norm = float(np.linalg.norm(psi))
    if abs(norm - 1.0) > atol:
        raise ValueError(
            f"{name} must be a unit vector (a normalised state), got norm {norm:.12g}; "
            f"divide it by its norm first (atol = {atol:g})"
        )
    return psi


def _check_contexts(contexts: Any, atol: float) -> list[np.ndarray]:
    if isinstance(contexts, np.ndarray) and contexts.ndim == 2:
        raise TypeError(
            "contexts must be a sequence of contexts ((n, n) arrays), got a single "
            "2-D array; wrap it in a list"
        )
    if not isinstance(contexts, (Sequence, np.ndarray)) or isinstance(contexts, str):
        raise TypeError(
            "contexts must be a sequence of (n, n) arrays, got "
            f"{type(contexts).__name__}"
        )
    if len(contexts) < 1:
        raise ValueError("contexts must contain at least 1 context, got 0")
    out = [_check_context(f"contexts[{i}]", C, atol) for i, C in enumerate(contexts)]
    dims = {C.shape[0] for C in out}
    if len(dims) > 1:
        raise ValueError(
            f"contexts must all live in the same dimension, got dimensions "
            f"{sorted(dims)}"
        )
    return out


def is_orthonormal_basis(vectors: Any, atol: float = ATOL) -> bool:
    r"""Whether the rows of ``vectors`` form an orthonormal basis (a context).

    Tests :math:`\max_{ij} |\langle \phi_i, \phi_j\rangle - \delta_{ij}| \le`
    ``atol`` for a square array; the inner product is the Hermitian one
    :math:`\langle x, y\rangle = \sum_k \bar x_k y_k`.

    Parameters
    ----------
    vectors : array_like, shape (n, m)
        Candidate basis vectors as rows, real or complex.
    atol : float, default 1e-9
        Tolerance on each entry of the Gram matrix, in ``(0, 1]``.

    Returns
    -------
    bool
        ``True`` when ``n == m`` and the rows are orthonormal within ``atol``.

    References
    ----------
    The chapter *Contexts, hinges and measurement*; :cite:t:`svozil2025semantic`.

    Examples
    --------
    >>> s = 1 / np.sqrt(2)
    >>> is_orthonormal_basis([[s, -s, 0], [s, s, 0], [0, 0, 1]])
    True
    >>> is_orthonormal_basis([[1, 0, 0], [1, 1, 0], [0, 0, 1]])
    False
    """
    atol = _check_atol(atol)
    C = check_array("vectors", vectors, ndim=2, allow_complex=True)
    if C.shape[0] != C.shape[1]:
        return False
    return _gram_error(C) <= atol


def complete_context(vector: Any, angle: float = 0.0, atol: float = ATOL) -> np.ndarray:
    r"""An orthonormal basis of :math:`\mathbb{R}^n` whose first row is ``vector``.

    The basis is the Householder reflection
    :math:`H = I - 2 w w^\top / \lVert w\rVert^2`, :math:`w = e_1 - v`, which
    swaps :math:`e_1` and :math:`v`; its rows are orthonormal and its first row
    is :math:`v`. Rows 2 and 3 are then turned by ``angle`` in the plane they
    span, inside the hinge-perpendicular carrier :math:`v^\perp`. Varying
    ``angle`` gives a one-parameter family of contexts that all intertwine at
    the hinge :math:`v`.

    Parameters
    ----------
    vector : array_like, shape (n,)
        A real unit vector, the hinge; ``n >= 2``.
    angle : float, default 0.0
        Rotation (radians) of rows 2 and 3 about the hinge; ignored when
        ``n == 2``.
    atol : float, default 1e-9
        Tolerance on ``|norm(vector) - 1|``.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        A context (orthonormal rows) with row 0 equal to ``vector``.

    References
    ----------
    The chapter *Contexts, hinges and measurement*.

    Examples
    --------
    >>> f1 = np.array([1.0, -1.0, 0.0]) / np.sqrt(2)
    >>> C = complete_context(f1, angle=np.pi / 6)
    >>> bool(np.allclose(C[0], f1)), is_orthonormal_basis(C)
    (True, True)
    """
    v = check_array("vector", vector, ndim=1)
    n = v.shape[0]
    if n < 2:
        raise ValueError(f"vector must have length >= 2, got length {n}")
    atol = _check_atol(atol)
    angle = check_real("angle", angle)
    norm = float(np.linalg.norm(v))
    if abs(norm - 1.0) > atol:
        raise ValueError(f"vector must be a unit vector, got norm {norm:.12g}")
    w = -v.copy()
    w[0] += 1.0
    ww = float(w @ w)
    H = np.eye(n) if ww < atol**2 else np.eye(n) - 2.0 * np.outer(w, w) / ww
    if n >= 3 and angle != 0.0:
        c, s = np.cos(angle), np.sin(angle)
        r1, r2 = H[1].copy(), H[2].copy()
        H[1], H[2] = c * r1 + s * r2, -s * r1 + c * r2
    return H


def haar_unitary(n: int, *, field: str = "real", seed: Any = None) -> np.ndarray:
    r"""A random unitary (or orthogonal) matrix, uniform under the Haar measure.

    The QR decomposition :math:`G = QR` of a matrix of independent standard
    normals (complex normals for ``field="complex"``) gives a Haar-distributed
    :math:`Q` once each column is multiplied by the phase of the matching
    diagonal entry of :math:`R`, which makes the decomposition unique
    :cite:p:`mezzadri2007generate`.

    Parameters
    ----------
    n : int
        Size, ``n >= 1``.
    field : {"real", "complex"}, default "real"
        Orthogonal (real) or unitary (complex) matrix.
    seed : None, int or numpy.random.Generator, optional
        Seed of the random generator.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        ``U`` with ``U^H U = I``; float for ``"real"``, complex otherwise.

    References
    ----------
    The chapter *Contexts, hinges and measurement*.

    Examples
    --------
    >>> U = haar_unitary(4, seed=0)
    >>> is_orthonormal_basis(U), U.dtype
    (True, dtype('float64'))
    >>> haar_unitary(3, field="complex", seed=1).dtype
    dtype('complex128')
    """
    n = check_int("n", n, minimum=1)
    if field not in ("real", "complex"):
        raise ValueError(f"field must be one of 'real', 'complex', got {field!r}")
    rng = np.random.default_rng(check_seed("seed", seed))
    G = rng.standard_normal((n, n))
    if field == "complex":
        G = (G + 1j * rng.standard_normal((n, n))) / np.sqrt(2)
    Q, R = np.linalg.qr(G)
    d = np.diagonal(R)
    return Q * (d / np.abs(d))


@dataclass(frozen=True, eq=False)
class ContextHypergraph:
    """Distinct rays of a family of contexts and the contexts as tuples of rays.

    Attributes
    ----------
    rays : numpy.ndarray
        Shape ``(m, n)``: one representative unit vector per distinct ray
        (vectors equal up to a phase or sign are one ray), in order of first
        appearance.
    contexts : tuple of tuple of int
        For each context, the ray index of each of its rows, in row order.
    """

    rays: np.ndarray
    contexts: tuple[tuple[int, ...], ...]


def context_hypergraph(
    contexts: Sequence[Any], atol: float = ATOL
) -> ContextHypergraph:
    r"""The orthogonality hypergraph of a family of contexts.

    Vertices are the distinct rays (unit vectors up to a phase: :math:`u` and
    :math:`v` are one ray when :math:`|\langle u, v\rangle| \ge 1 -` ``atol``);
    each context is a hyperedge through its ``n`` rays. Drawn with each
    hyperedge as a smooth curve, this is the orthogonality diagram in the style
    of :cite:t:`greechie1971orthomodular` that the paper's Figure 1 draws
    :cite:p:`svozil2025semantic`.

    Parameters
    ----------
    contexts : sequence of array_like, each shape (n, n)
        Contexts (orthonormal rows), all in the same dimension ``n``.
    atol : float, default 1e-9
        Tolerance for orthonormality and for identifying rays.

    Returns
    -------
    ContextHypergraph
        ``rays`` (m, n) and ``contexts`` (ray indices per context).

    References
    ----------
    The chapter *Contexts, hinges and measurement*.

    Examples
    --------
    >>> s = 1 / np.sqrt(2)
    >>> A = np.eye(3)
    >>> B = [[s, -s, 0], [s, s, 0], [0, 0, -1]]
    >>> g = context_hypergraph([A, B])
    >>> g.rays.shape, g.contexts
    ((5, 3), ((0, 1, 2), (3, 4, 2)))
    """
    atol = _check_atol(atol)
    Cs = _check_contexts(contexts, atol)
    rays: list[np.ndarray] = []
    edges = []
    for C in Cs:
        edge = []
        for row in C:
            index = None
            for j, r in enumerate(rays):
                if abs(np.vdot(r, row)) >= 1.0 - atol:
                    index = j
                    break
            if index is None:
                rays.append(row)
                index = len(rays) - 1
            edge.append(index)
        edges.append(tuple(edge))
    return ContextHypergraph(np.array(rays), tuple(edges))


@dataclass(frozen=True, eq=False)
class SharedVector:
    """A hinge: a ray that belongs to two or more contexts.

    Attributes
    ----------
    vector : numpy.ndarray
        Shape ``(n,)``: the shared unit vector, as it appears in the first
        context holding it.
    contexts : tuple of int
        Indices of the contexts that contain it, increasing.
    positions : tuple of int
        Its row index within each of those contexts.
    """

    vector: np.ndarray
    contexts: tuple[int, ...]
    positions: tuple[int, ...]


def shared_vectors(contexts: Sequence[Any], atol: float = ATOL) -> list[SharedVector]:
    r"""The hinges of a family of contexts: the vectors that two or more share.

    Two contexts share a vector when one row of each spans the same ray,
    :math:`|\langle u, v\rangle| \ge 1 -` ``atol``. By the Born rule a shared
    vector :math:`h` has the same probability :math:`|\langle h, \psi\rangle|^2`
    in every context containing it.

    Parameters
    ----------
    contexts : sequence of array_like, each shape (n, n)
        Contexts (orthonormal rows), all in the same dimension.
    atol : float, default 1e-9
        Tolerance for orthonormality and for identifying rays.

    Returns
    -------
    list of SharedVector
        One entry per shared ray, in order of first appearance.

    References
    ----------
    The chapter *Contexts, hinges and measurement*; :cite:t:`svozil2025semantic`.

    Examples
    --------
    >>> s = 1 / np.sqrt(2)
    >>> A = np.eye(3)
    >>> B = [[s, -s, 0], [s, s, 0], [0, 0, 1]]
    >>> [(h.vector.tolist(), h.contexts, h.positions) for h in shared_vectors([A, B])]
    [([0.0, 0.0, 1.0], (0, 1), (2, 2))]
    """
    graph = context_hypergraph(contexts, atol)
    out = []
    for j, ray in enumerate(graph.rays):
        members = [
            (c, edge.index(j)) for c, edge in enumerate(graph.contexts) if j in edge
        ]
        if len(members) >= 2:
            cs, pos = zip(*members, strict=True)
            out.append(SharedVector(ray.copy(), tuple(cs), tuple(pos)))
    return out


def born_probabilities(state: Any, context: Any, atol: float = ATOL) -> np.ndarray:
    r"""Born-rule probabilities of measuring ``state`` in ``context``.

    .. math:: p_i = |\langle \phi_i, \psi\rangle|^2, \qquad i = 1, \dots, n,

    which sum to :math:`\lVert\psi\rVert^2 = 1` because the context is an
    orthonormal basis (Parseval).

    Parameters
    ----------
    state : array_like, shape (n,)
        The state :math:`\psi`, a real or complex unit vector.
    context : array_like, shape (n, n)
        Orthonormal basis vectors :math:`\phi_i` as rows.
    atol : float, default 1e-9
        Tolerance on the norm of ``state`` and on orthonormality.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Probabilities, non-negative, summing to 1.

    Raises
    ------
    ValueError
        If ``state`` is not normalised, ``context`` is not orthonormal or the
        shapes disagree.

    References
    ----------
    The chapter *Contexts, hinges and measurement*;
    :cite:t:`vonneumann1932mathematische`.

    Examples
    --------
    >>> s = 1 / np.sqrt(2)
    >>> psi = np.array([0.6, 0.0, 0.8])
    >>> born_probabilities(psi, np.eye(3)).round(4).tolist()
    [0.36, 0.0, 0.64]
    >>> born_probabilities(psi, [[s, -s, 0], [s, s, 0], [0, 0, 1]]).round(4).tolist()
    [0.18, 0.18, 0.64]
    """
    atol = _check_atol(atol)
    C = _check_context("context", context, atol)
    psi = _check_state("state", state, C.shape[0], atol)
    p = np.abs(C.conj() @ psi) ** 2
    return p / p.sum()


def _categorical(p: np.ndarray, size: int, seed: Any) -> np.ndarray:
    """Draw ``size`` outcomes from the probability vector ``p`` (inverse CDF)."""
    rng = np.random.default_rng(seed)
    return rng.choice(p.shape[0], size=size, p=p)


def sample_measurement(
    state: Any, context: Any, size: int = 1, seed: Any = None, atol: float = ATOL
) -> np.ndarray:
    r"""Measure ``state`` in ``context`` ``size`` times, independently.

    Each outcome :math:`i` occurs with the Born probability
    :math:`|\langle \phi_i, \psi\rangle|^2` (:func:`born_probabilities`); the
    draws are independent, as for ``size`` identically prepared copies.

    Parameters
    ----------
    state : array_like, shape (n,)
        A real or complex unit vector.
    context : array_like, shape (n, n)
        Orthonormal basis vectors as rows.
    size : int, default 1
        Number of measurements, ``>= 0``.
    seed : None, int or numpy.random.Generator, optional
        Seed of the random generator.
    atol : float, default 1e-9
        Tolerance on normalisation and orthonormality.

    Returns
    -------
    numpy.ndarray of int, shape (size,)
        Outcome indices (rows of ``context``).

    References
    ----------
    The chapter *Contexts, hinges and measurement*.

    Examples
    --------
    >>> psi = np.array([0.6, 0.0, 0.8])
    >>> x = sample_measurement(psi, np.eye(3), size=10_000, seed=0)
    >>> empirical_frequencies(x, 3).round(2).tolist()
    [0.36, 0.0, 0.64]
    """
    size = check_int("size", size, minimum=0)
    seed = check_seed("seed", seed)
    p = born_probabilities(state, context, atol)
    return _categorical(p, size, seed)


def empirical_frequencies(samples: Any, n_outcomes: int) -> np.ndarray:
    r"""Relative frequencies of the outcomes ``0, ..., n_outcomes - 1``.

    For ``N`` independent draws the frequency :math:`\hat p_i` of an outcome of
    probability :math:`p_i` has standard error
    :math:`\sqrt{p_i(1 - p_i)/N}` (binomial).

    Parameters
    ----------
    samples : array_like of int, shape (N,)
        Outcomes in ``[0, n_outcomes)``; ``N >= 1``.
    n_outcomes : int
        Number of possible outcomes, ``>= 1``.

    Returns
    -------
    numpy.ndarray, shape (n_outcomes,)
        Frequencies summing to 1.

    References
    ----------
    The chapter *Contexts, hinges and measurement*.

    Examples
    --------
    >>> empirical_frequencies([0, 2, 2, 1], 4).tolist()
    [0.25, 0.25, 0.5, 0.0]
    """
    n_outcomes = check_int("n_outcomes", n_outcomes, minimum=1)
    x = np.asarray(samples)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"samples must be a non-empty 1-D array, got shape {x.shape}")
    if x.dtype.kind not in "iu":
        raise TypeError(f"samples must be integers, got dtype {x.dtype}")
    if x.min() < 0 or x.max() >= n_outcomes:
        bad = int(x.min()) if x.min() < 0 else int(x.max())
        raise ValueError(f"samples must lie in [0, {n_outcomes - 1}], got {bad}")
    return np.bincount(x, minlength=n_outcomes) / x.size


def logit_amplitudes(
    logits: Any, temperature: float = 1.0, phases: Any = None
) -> np.ndarray:
    r"""The state whose Born probabilities in the token basis are ``softmax_T(z)``.

    .. math:: a_i = e^{\mathrm{i}\theta_i}\,
       \frac{e^{z_i / 2T}}{\sqrt{\sum_j e^{z_j / T}}},
       \qquad |a_i|^2 = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}
       = \operatorname{softmax}_T(z)_i .

    Computed from the exponentials directly (the largest logit is subtracted
    first), not from :func:`semconc.softmax`, so that comparing the two checks
    the identity rather than restating it.

    Parameters
    ----------
    logits : array_like, shape (V,)
        Real logits :math:`z`, one per token.
    temperature : float, default 1.0
        ``T > 0``.
    phases : array_like, shape (V,), optional
        Phases :math:`\theta_i` in radians; ``None`` gives the real,
        non-negative amplitudes. Phases leave the token-basis probabilities
        unchanged and change the probabilities in every other context.

    Returns
    -------
    numpy.ndarray, shape (V,)
        A unit vector; real without ``phases``, complex with them.

    References
    ----------
    The chapter *Contexts, hinges and measurement*; :cite:t:`svozil2025semantic`.

    Examples
    --------
    >>> a = logit_amplitudes([2.0, 1.0, 0.0], temperature=0.5)
    >>> (a**2).round(4).tolist()
    [0.8668, 0.1173, 0.0159]
    >>> from semconc import softmax
    >>> softmax([2.0, 1.0, 0.0], temperature=0.5).round(4).tolist()
    [0.8668, 0.1173, 0.0159]
    """
    z = check_array("logits", logits, ndim=1)
    temperature = check_real("temperature", temperature, low=0.0, low_open=True)
    a = np.exp((z - z.max()) / (2.0 * temperature))
    a = a / np.sqrt(np.sum(a * a))
    if phases is None:
        return a
    theta = check_array("phases", phases, ndim=1)
    if theta.shape != z.shape:
        raise ValueError(
            f"phases must have the shape of logits {z.shape}, got {theta.shape}"
        )
    return a * np.exp(1j * theta)


@dataclass(frozen=True, eq=False)
class TokenScheme:
    r"""Result of :func:`quantum_token_scheme`.

    Attributes
    ----------
    output_state : numpy.ndarray
        Shape ``(n,)``: the evolved state :math:`\phi = U\psi`.
    probabilities : numpy.ndarray
        Shape ``(n,)``: Born probabilities of the token directions.
    samples : numpy.ndarray
        Shape ``(size,)``, integers: sampled token indices (empty when
        ``size == 0``).
    """

    output_state: np.ndarray
    probabilities: np.ndarray
    samples: np.ndarray


def quantum_token_scheme(
    state: Any,
    evolution: Any = None,
    tokens: Any = None,
    *,
    size: int = 0,
    seed: Any = None,
    atol: float = ATOL,
) -> TokenScheme:
    r"""The paper's quantum-like token scheme: prepare, evolve unitarily, measure once.

    1. a state :math:`\psi` (unit vector) encodes the input;
    2. a unitary :math:`U` evolves it, :math:`\phi = U\psi` (linear, reversible);
    3. one terminal measurement in the context of token directions
       :math:`t_1, \dots, t_V` yields token :math:`i` with probability
       :math:`|\langle t_i, \phi\rangle|^2`.

    Nothing is random or nonlinear except the final measurement
    :cite:p:`svozil2025semantic`. A non-unitary linear map would need a
    renormalisation, which is itself a nonlinear step, so ``evolution`` must be
    unitary.

    Parameters
    ----------
    state : array_like, shape (n,)
        Real or complex unit vector :math:`\psi`.
    evolution : array_like, shape (n, n), optional
        Unitary :math:`U` (``U^H U = I``); default the identity.
    tokens : array_like, shape (n, n), optional
        Token directions as orthonormal rows; default the standard basis.
    size : int, default 0
        Number of tokens to sample, ``>= 0``.
    seed : None, int or numpy.random.Generator, optional
        Seed for the sampling.
    atol : float, default 1e-9
        Tolerance on normalisation, unitarity and orthonormality.

    Returns
    -------
    TokenScheme
        ``output_state``, ``probabilities`` and ``samples``.

    References
    ----------
    The chapter *Contexts, hinges and measurement*; :cite:t:`svozil2025semantic`.

    Examples
    --------
    >>> z = np.array([2.0, 1.0, 0.0])
    >>> U = haar_unitary(3, seed=0)
    >>> psi = U.T @ logit_amplitudes(z)          # the input that U maps to a(z)
    >>> r = quantum_token_scheme(psi, U, size=5, seed=0)
    >>> r.probabilities.round(4).tolist()
    [0.6652, 0.2447, 0.09]
    >>> r.samples.tolist()
    [0, 0, 0, 0, 1]
    """
    atol = _check_atol(atol)
    size = check_int("size", size, minimum=0)
    seed = check_seed("seed", seed)
    psi = _check_state("state", state, None, atol)
    n = psi.shape[0]
    if evolution is None:
        U = np.eye(n)
    else:
        U = check_array("evolution", evolution, ndim=2, allow_complex=True)
        if U.shape != (n, n):
            raise ValueError(
                f"evolution must have shape ({n}, {n}) to act on state, got {U.shape}"
            )
        err = float(np.max(np.abs(U.conj().T @ U - np.eye(n))))
        if err > atol:
            raise ValueError(
                f"evolution must be unitary (U^H U = I); it differs from unitary by "
                f"{err:.3g} > atol = {atol:g}"
            )
    T = np.eye(n) if tokens is None else _check_context("tokens", tokens, atol)
    if T.shape[0] != n:
        raise ValueError(
            f"tokens must have shape ({n}, {n}) to match state, got {T.shape}"
        )
    phi = U @ psi
    p = born_probabilities(phi / np.linalg.norm(phi), T, atol)
    return TokenScheme(phi, p, _categorical(p, size, seed))


def softmax_sampling(
    logits: Any, temperature: float = 1.0, size: int = 1, seed: Any = None
) -> np.ndarray:
    r"""Sample tokens as language models do: softmax with temperature, then draw.

    .. math:: P(i) = \operatorname{softmax}_T(z)_i
       = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}

    with probabilities from :func:`semconc.softmax`, drawn by the same
    inverse-CDF sampler as :func:`sample_measurement`: with equal seeds and
    equal probabilities the two give the same tokens.

    Parameters
    ----------
    logits : array_like, shape (V,)
        Real logits.
    temperature : float, default 1.0
        ``T > 0``.
    size : int, default 1
        Number of tokens to draw, ``>= 0``.
    seed : None, int or numpy.random.Generator, optional
        Seed of the random generator.

    Returns
    -------
    numpy.ndarray of int, shape (size,)
        Token indices.

    References
    ----------
    The chapter *Contexts, hinges and measurement*; the appendix on logits,
    softmax and temperature.

    Examples
    --------
    >>> x = softmax_sampling([2.0, 1.0, 0.0], temperature=1.0, size=10_000, seed=0)
    >>> empirical_frequencies(x, 3).round(2).tolist()
    [0.66, 0.25, 0.09]
    """
    z = check_array("logits", logits, ndim=1)
    temperature = check_real("temperature", temperature, low=0.0, low_open=True)
    size = check_int("size", size, minimum=0)
    seed = check_seed("seed", seed)
    return _categorical(softmax(z, temperature), size, seed)


def _complete_contexts(adj: np.ndarray, n: int) -> list[tuple[int, ...]]:
    """All sets of ``n`` mutually orthogonal rays (cliques of size ``n``)."""
    m = adj.shape[0]
    out: list[tuple[int, ...]] = []

    def grow(clique: list[int], candidates: list[int]) -> None:
        if len(clique) == n:
            out.append(tuple(clique))
            return
        for k, j in enumerate(candidates):
            grow(clique + [j], [c for c in candidates[k + 1 :] if adj[j, c]])

    grow([], list(range(m)))
    return out


def two_valued_measures(
    vectors: Any,
    *,
    contexts: Sequence[Sequence[int]] | None = None,
    limit: int | None = None,
    atol: float = ATOL,
) -> list[np.ndarray]:
    r"""All non-contextual assignments of definite outcomes to a set of rays.

    A *two-valued measure* gives each ray :math:`v` a value
    :math:`s(v) \in \{0, 1\}` such that every complete context (``n`` mutually
    orthogonal rays in dimension ``n``) contains exactly one ray with value 1
    and no two orthogonal rays both have value 1. It is what a hidden-variable
    model that fixes each outcome in advance, whatever the context, would
    provide. The Kochen–Specker theorem
    :cite:p:`specker1960logik,kochen1967problem` says there are finite sets of
    rays in :math:`\mathbb{R}^3` without one, for example
    :func:`peres_vectors` :cite:p:`peres1991two`.

    The search is exhaustive (backtracking with unit propagation), so an empty
    result is a proof that no two-valued measure exists on the given rays.

    Parameters
    ----------
    vectors : array_like, shape (m, n)
        Non-zero rays as rows (normalised internally), real or complex.
    contexts : sequence of sequence of int, optional
        The complete contexts as tuples of row indices; by default every set of
        ``n`` mutually orthogonal rays among ``vectors``.
    limit : int, optional
        Stop after this many measures (``>= 1``); ``None`` finds all.
    atol : float, default 1e-9
        Rays with ``|<u, v>| <= atol`` count as orthogonal.

    Returns
    -------
    list of numpy.ndarray of int8, each shape (m,)
        The two-valued measures found; an empty list when none exists.

    References
    ----------
    The chapter *Contexts, hinges and measurement*.

    Examples
    --------
    >>> s = 1 / np.sqrt(2)
    >>> rays = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [s, -s, 0], [s, s, 0]]
    >>> len(two_valued_measures(rays))
    5
    >>> len(two_valued_measures(peres_vectors()))
    0
    """
    V = check_array("vectors", vectors, ndim=2, allow_complex=True)
    atol = _check_atol(atol)
    if limit is not None:
        limit = check_int("limit", limit, minimum=1)
    norms = np.linalg.norm(V, axis=1)
    if np.any(norms == 0):
        raise ValueError("vectors must have no zero rows, got a zero row")
    V = V / norms[:, None]
    m, n = V.shape
    adj = np.abs(V.conj() @ V.T) <= atol
    np.fill_diagonal(adj, False)
    if contexts is None:
        edges = _complete_contexts(adj, n)
    else:
        edges = []
        for i, c in enumerate(contexts):
            idx = tuple(
                check_int(f"contexts[{i}] entry", j, minimum=0, maximum=m - 1)
                for j in c
            )
            if not all(adj[a, b] for k, a in enumerate(idx) for b in idx[k + 1 :]):
                raise ValueError(
                    f"contexts[{i}] = {idx} must list mutually orthogonal rays"
                )
            edges.append(idx)
    neighbours = [np.flatnonzero(adj[j]).tolist() for j in range(m)]
    member_of = [[e for e in range(len(edges)) if j in edges[e]] for j in range(m)]
    found: list[np.ndarray] = []

    def propagate(values: np.ndarray, j: int, v: int) -> bool:
        stack = [(j, v)]
        while stack:
            j, v = stack.pop()
            if values[j] == v:
                continue
            if values[j] != -1:
                return False
            values[j] = v
            if v == 1:
                stack.extend((k, 0) for k in neighbours[j])
            for e in member_of[j]:
                vals = values[list(edges[e])]
                ones = int(np.sum(vals == 1))
                free = [edges[e][i] for i in np.flatnonzero(vals == -1)]
                if ones > 1 or (ones == 0 and not free):
                    return False
                if ones == 0 and len(free) == 1:
                    stack.append((free[0], 1))
        return True

    def search(values: np.ndarray) -> bool:
        free = np.flatnonzero(values == -1)
        if free.size == 0:
            found.append(values.astype(np.int8))
            return limit is not None and len(found) >= limit
        j = int(free[0])
        for v in (1, 0):
            trial = values.copy()
            if propagate(trial, j, v) and search(trial):
                return True
        return False

    search(np.full(m, -1, dtype=int))
    return found


def peres_vectors() -> np.ndarray:
    r"""Peres' 33 rays of :math:`\mathbb{R}^3`, a Kochen–Specker set.

    The rays are the vectors whose components, up to order and signs, are
    :math:`(0, 0, 1)`, :math:`(0, 1, 1)`, :math:`(0, 1, \sqrt2)` and
    :math:`(1, 1, \sqrt2)`, one representative per ray (normalised). They
    contain 16 complete orthogonal triads, and no two-valued measure exists on
    them :cite:p:`peres1991two`; :func:`two_valued_measures` confirms this by
    exhaustive search.

    Returns
    -------
    numpy.ndarray, shape (33, 3)
        Unit vectors, one per ray.

    References
    ----------
    The chapter *Contexts, hinges and measurement*; :cite:t:`peres1991two`.

    Examples
    --------
    >>> P = peres_vectors()
    >>> P.shape, bool(np.allclose(np.linalg.norm(P, axis=1), 1.0))
    ((33, 3), True)
    """
    r2 = np.sqrt(2.0)
    raw = set()
    for base in [(0, 0, 1), (0, 1, 1), (0, 1, r2), (1, 1, r2)]:
        for perm in _permutations(base):
            for signs in np.ndindex(2, 2, 2):
                v = tuple(x * (-1) ** s for x, s in zip(perm, signs, strict=True))
                first = next(x for x in v if x != 0)
                raw.add(tuple(float(x) if first > 0 else float(-x) for x in v))
    P = np.array(sorted(raw)) + 0.0
    return P / np.linalg.norm(P, axis=1, keepdims=True)


def _permutations(t: tuple[float, ...]) -> list[tuple[float, ...]]:
    return list(dict.fromkeys(permutations(t)))
