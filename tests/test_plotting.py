"""Tests of semconc.plotting: the orthogonality hypergraph of intertwined contexts.

The figure is checked through what it draws (one curve per context, one dot
and label per distinct vector, curves meeting at the shared vectors), not by
comparing images.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

import semconc
from semconc.plotting import plot_context_hypergraph

S = 1 / np.sqrt(2)
A = np.eye(3)
B = np.array([[S, -S, 0], [S, S, 0], [0, 0, 1]])
C = semconc.complete_context(B[0], angle=np.pi / 6)


def new_axes():
    return Figure().subplots()


def curve_ends(ax):
    return [np.column_stack(line.get_data())[[0, -1]] for line in ax.lines]


def dot_positions(ax):
    return np.vstack([c.get_offsets() for c in ax.collections])


def test_import_semconc_does_not_load_matplotlib():
    code = "import sys, semconc; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_figure_one_draws_three_curves_meeting_at_the_hinges():
    ax = plot_context_hypergraph([A, B, C], ax=new_axes())
    assert len(ax.lines) == 3
    assert len(ax.texts) == 7
    assert dot_positions(ax).shape == (7, 2)
    hinges = ax.collections[1].get_offsets()  # filled dots
    assert len(hinges) == 2
    ends = curve_ends(ax)
    # A ends where B starts (e3), B ends where C starts (f1)
    np.testing.assert_allclose(ends[0][1], ends[1][0], atol=1e-12)
    np.testing.assert_allclose(ends[1][1], ends[2][0], atol=1e-12)
    for h in np.asarray(hinges):
        assert min(np.linalg.norm(e - h, axis=1).min() for e in ends) < 1e-12


def test_every_dot_lies_on_its_curves():
    ax = plot_context_hypergraph([A, B, C], ax=new_axes())
    dots = dot_positions(ax)
    curves = [np.column_stack(line.get_data()) for line in ax.lines]
    for d in dots:
        # the curve is sampled at 200 points, so a dot is within one step of it
        gap = min(np.linalg.norm(c - d, axis=1).min() for c in curves)
        assert gap < 0.02


def test_labels_and_names():
    labels = [["e1", "e2", "e3"], ["f1", "f2", "f3"], ["g1", "g2", "g3"]]
    ax = plot_context_hypergraph(
        [A, B, C], labels=labels, context_names=["A", "B", "C"], ax=new_axes()
    )
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["e1", "e2", "e3", "f1", "f2", "g2", "g3"]
    assert [line.get_label() for line in ax.lines] == ["A", "B", "C"]


def cycle_of_three_in_r4():
    """A, B, C in R^4 sharing e1 (A, B), x (B, C), e2 (C, A): a cycle."""
    e = np.eye(4)
    x = (e[2] + e[3]) / np.sqrt(2)
    w = (e[2] - e[3]) / np.sqrt(2)
    a, b = 0.4, 0.9
    Bc = np.array(
        [e[0], x, np.cos(a) * e[1] + np.sin(a) * w, -np.sin(a) * e[1] + np.cos(a) * w]
    )
    Cc = np.array(
        [e[1], x, np.cos(b) * e[0] + np.sin(b) * w, -np.sin(b) * e[0] + np.cos(b) * w]
    )
    return [e, Bc, Cc]


def test_cycle_layout_closes():
    contexts = cycle_of_three_in_r4()
    assert len(semconc.shared_vectors(contexts)) == 3
    ax = plot_context_hypergraph(contexts, ax=new_axes())
    ends = curve_ends(ax)
    starts = {tuple(np.round(e[0], 9)) for e in ends}
    stops = {tuple(np.round(e[1], 9)) for e in ends}
    assert starts == stops  # every curve ends where another begins


def test_other_families_need_positions():
    # three contexts through one vector e3: a star, neither chain nor cycle
    stars = [A, B, semconc.complete_context(np.array([0, 0, 1.0]), angle=0.3)]
    stars[2] = stars[2][[1, 2, 0]]
    with pytest.raises(ValueError, match="pass positions="):
        plot_context_hypergraph(stars, ax=new_axes())
    n_rays = len(semconc.context_hypergraph(stars).rays)
    pos = np.random.default_rng(0).normal(size=(n_rays, 2))
    ax = plot_context_hypergraph(stars, positions=pos, ax=new_axes())
    assert len(ax.lines) == 3
    for line, edge in zip(
        ax.lines, semconc.context_hypergraph(stars).contexts, strict=True
    ):
        curve = np.column_stack(line.get_data())
        np.testing.assert_allclose(curve[[0, -1]], pos[[edge[0], edge[-1]]], atol=1e-12)


def test_validation():
    with pytest.raises(ValueError, match="labels must give one label per row"):
        plot_context_hypergraph([A, B], labels=[["a", "b", "c"]], ax=new_axes())
    with pytest.raises(ValueError, match="context_names must have 2 entries"):
        plot_context_hypergraph([A, B], context_names=["A"], ax=new_axes())
    with pytest.raises(ValueError, match="bulge must be a finite number in"):
        plot_context_hypergraph([A, B], bulge=2.0, ax=new_axes())
    with pytest.raises(ValueError, match=r"positions must have shape \(5, 2\)"):
        plot_context_hypergraph([A, B], positions=np.zeros((4, 2)), ax=new_axes())
    with pytest.raises(ValueError, match="distinct points"):
        plot_context_hypergraph([A, B], positions=np.zeros((5, 2)), ax=new_axes())
