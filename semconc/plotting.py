r"""Figures of the book that are drawn by more than a single cell.

This is the only module of :mod:`semconc` that imports matplotlib; the
mathematical modules never do, and ``import semconc`` does not load this one
(import it as ``semconc.plotting``).

:func:`plot_context_hypergraph` draws the orthogonality hypergraph of a family
of contexts, the paper's Figure 1 :cite:p:`svozil2025semantic`: each context is
a smooth curve through its vectors, and a vector shared by two contexts (a
hinge) sits where their curves meet, as in the diagrams of
:cite:t:`greechie1971orthomodular`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import interpolate

from ._validation import check_array, check_real
from .contexts import ATOL, ContextHypergraph, context_hypergraph

__all__ = ["plot_context_hypergraph"]

_CURVE_POINTS = 200


def _chain_order(graph: ContextHypergraph) -> tuple[list[int], bool]:
    """Order the contexts along a chain or a cycle; raise if they form neither."""
    n = len(graph.contexts)
    sets = [set(e) for e in graph.contexts]
    links: dict[int, list[int]] = {c: [] for c in range(n)}
    for a in range(n):
        for b in range(a + 1, n):
            common = sets[a] & sets[b]
            if len(common) > 1:
                raise ValueError(
                    f"contexts {a} and {b} share {len(common)} vectors; two distinct "
                    "contexts share at most one unless they are equal"
                )
            if common:
                links[a].append(b)
                links[b].append(a)
    shared_count = [sum(j in s for s in sets) for j in range(len(graph.rays))]
    message = (
        "the default layout draws a chain or a cycle of contexts in which each "
        "shared vector lies in exactly two contexts; pass positions= for other "
        "families"
    )
    if max(shared_count) > 2 or any(len(v) > 2 for v in links.values()):
        raise ValueError(message)
    ends = [c for c in range(n) if len(links[c]) < 2]
    cycle = not ends and n > 2
    order = [ends[0] if ends else 0]
    while len(order) < n:
        nxt = [c for c in links[order[-1]] if c not in order]
        if not nxt:
            raise ValueError(message)
        order.append(nxt[0])
    return order, cycle


def _chain_layout(
    graph: ContextHypergraph, bulge: float
) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Positions of the rays and, per context, the points of its arc."""
    order, cycle = _chain_order(graph)
    n = len(order)
    sides = n if cycle else n + 1
    step = 2 * np.pi / sides
    start = np.pi / 2 + (step / 2 if cycle else n * step / 2)
    angles = start - step * np.arange(n + 1)
    junction = np.column_stack([np.cos(angles), np.sin(angles)])
    pos = np.full((len(graph.rays), 2), np.nan)
    curves = {}
    s = np.linspace(0.0, 1.0, _CURVE_POINTS)[:, None]
    for k, c in enumerate(order):
        edge = list(graph.contexts[c])
        prev = set(graph.contexts[order[k - 1]]) if (k > 0 or cycle) else set()
        nxt = set(graph.contexts[order[(k + 1) % n]]) if (k < n - 1 or cycle) else set()
        entry = next((j for j in edge if j in prev), None)
        exit_ = next((j for j in edge if j in nxt), None)
        rest = [j for j in edge if j not in (entry, exit_)]
        if entry is None:
            entry, rest = rest[0], rest[1:]
        if exit_ is None:
            exit_, rest = rest[-1], rest[:-1]
        ordered = [entry, *rest, exit_]
        a, b = junction[k], junction[k + 1]
        mid = (a + b) / 2
        normal = mid / np.linalg.norm(mid)
        t = np.linspace(0.0, 1.0, len(ordered))
        pts = a + t[:, None] * (b - a) + bulge * np.sin(np.pi * t)[:, None] * normal
        for j, p in zip(ordered, pts, strict=True):
            if np.isnan(pos[j, 0]):
                pos[j] = p
        curves[c] = a + s * (b - a) + bulge * np.sin(np.pi * s) * normal
    return pos, curves


def _curves_through(
    graph: ContextHypergraph, positions: np.ndarray
) -> dict[int, np.ndarray]:
    """A smooth curve through each context's points, in row order."""
    curves = {}
    for c, edge in enumerate(graph.contexts):
        pts = positions[list(edge)]
        step = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        if np.any(step == 0):
            raise ValueError(
                f"positions must give the vectors of context {c} distinct points"
            )
        t = np.concatenate([[0.0], np.cumsum(step)])
        grid = np.linspace(0.0, t[-1], _CURVE_POINTS)
        if len(pts) == 2:
            curves[c] = pts[0] + (grid / t[-1])[:, None] * (pts[1] - pts[0])
        else:
            curves[c] = interpolate.CubicSpline(t, pts, bc_type="natural")(grid)
    return curves


def plot_context_hypergraph(
    contexts: Sequence[Any],
    *,
    labels: Sequence[Sequence[str]] | None = None,
    context_names: Sequence[str] | None = None,
    ax: Any = None,
    positions: Any = None,
    bulge: float = 0.25,
    atol: float = ATOL,
) -> Any:
    r"""Draw intertwined contexts as a hypergraph: one smooth curve per context.

    Each distinct vector (ray) is a dot; each context is a smooth arc through
    its ``n`` vectors; a vector shared by two contexts, a hinge, is drawn
    filled and lies where their arcs meet. The default layout places a chain
    or a cycle of contexts around a circle, each arc starting and ending at the
    hinges it shares with its neighbours; other families need ``positions``,
    and each context is then drawn as a natural cubic spline through its
    points in row order.

    Parameters
    ----------
    contexts : sequence of array_like, each shape (n, n)
        Contexts (orthonormal rows) in the same dimension. Without
        ``positions`` they must form a chain or a cycle in which each shared
        vector lies in two contexts.
    labels : sequence of sequence of str, optional
        One label per row of each context (LaTeX allowed); a shared vector
        takes its label from the first context that lists it. Default: the ray
        index.
    context_names : sequence of str, optional
        Legend entry per context; default ``"context 0"``, ``"context 1"``, ...
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when ``None``.
    positions : array_like, optional
        Shape ``(m, 2)``: a point in the plane for each distinct vector, in the
        order of ``context_hypergraph(contexts).rays``. Default: the chain or
        cycle layout.
    bulge : float, default 0.25
        How far each arc of the default layout bows outwards, in units of the
        layout radius, ``0 <= bulge <= 1``.
    atol : float, default 1e-9
        Tolerance for orthonormality and for identifying shared vectors.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    References
    ----------
    The chapter *Contexts, hinges and measurement*; :cite:t:`svozil2025semantic`,
    Figure 1.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import semconc
    >>> s = 1 / np.sqrt(2)
    >>> B = np.array([[s, -s, 0], [s, s, 0], [0, 0, 1]])
    >>> C = semconc.complete_context(B[0], angle=np.pi / 6)
    >>> ax = Figure().subplots()
    >>> ax = plot_context_hypergraph([np.eye(3), B, C], ax=ax)
    >>> len(ax.lines), len(ax.texts)
    (3, 7)
    """
    bulge = check_real("bulge", bulge, low=0.0, high=1.0)
    graph = context_hypergraph(contexts, atol)
    n_ctx = len(graph.contexts)
    if labels is not None:
        if len(labels) != n_ctx or any(
            len(lab) != len(e) for lab, e in zip(labels, graph.contexts, strict=False)
        ):
            raise ValueError(
                "labels must give one label per row of each context, "
                f"{[len(e) for e in graph.contexts]} labels, got "
                f"{[len(lab) for lab in labels]}"
            )
    if context_names is not None and len(context_names) != n_ctx:
        raise ValueError(
            f"context_names must have {n_ctx} entries, got {len(context_names)}"
        )
    if positions is None:
        pos, curves = _chain_layout(graph, bulge)
        centre = np.zeros(2)  # the layout circle's centre
    else:
        pos = check_array("positions", positions, ndim=2)
        if pos.shape != (len(graph.rays), 2):
            raise ValueError(
                f"positions must have shape ({len(graph.rays)}, 2), one point per "
                f"distinct vector, got {pos.shape}"
            )
        curves = _curves_through(graph, pos)
        centre = pos.mean(axis=0)

    ray_label = [str(j) for j in range(len(graph.rays))]
    if labels is not None:
        named = set()
        for lab, edge in zip(labels, graph.contexts, strict=True):
            for text, j in zip(lab, edge, strict=True):
                if j not in named:
                    ray_label[j] = text
                    named.add(j)
    names = (
        list(context_names)
        if context_names is not None
        else [f"context {c}" for c in range(n_ctx)]
    )
    shared = np.array([sum(j in e for e in graph.contexts) for j in range(len(pos))])

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 5.5))
    for c, curve in sorted(curves.items()):
        ax.plot(
            curve[:, 0],
            curve[:, 1],
            lw=3,
            color=f"C{c}",
            label=names[c],
            solid_capstyle="round",
            zorder=1,
        )
    hinge = shared >= 2
    ax.scatter(
        pos[~hinge, 0],
        pos[~hinge, 1],
        s=90,
        facecolor="white",
        edgecolor="black",
        zorder=2,
    )
    ax.scatter(
        pos[hinge, 0],
        pos[hinge, 1],
        s=140,
        facecolor="black",
        edgecolor="black",
        zorder=3,
        label="shared vector (hinge)",
    )
    radius = max(float(np.max(np.linalg.norm(pos - centre, axis=1))), 1e-12)
    for j, p in enumerate(pos):
        away = p - centre
        away = away / max(float(np.linalg.norm(away)), 1e-12)
        q = p + 0.17 * radius * away
        ax.text(q[0], q[1], ray_label[j], ha="center", va="center", fontsize=12)
    ax.set_aspect("equal")
    ax.margins(0.15)
    ax.axis("off")
    return ax
