"""Regression test of the chapter *Backpropagation through an embedding*.

The glued numbers are checked against the chapter's theorem (only one row of
the embedding gradient is non-zero, the sigmoid bound on the signal) and
against float64 rounding analysis for the two gradient checks.
"""

from __future__ import annotations

import pytest
from chapters import expect_between, run_chapter

import semconc

SMOKE = {"n_epochs": 5}
CHAPTER = "backprop"


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_forward_pass_matches_direct_formula(glued):
    # chapter defaults: V=12, d=6, h=8, token=3, target=1, seed=0
    net = semconc.toy_network_init(12, 6, 8, seed=0)
    v = net.E[3]
    y_hat = semconc.sigmoid(net.W2 @ semconc.sigmoid(net.W1 @ v + net.b1) + net.b2)[0]
    expect_between(
        CHAPTER,
        glued,
        "bp_y_hat",
        y_hat - 1e-15,
        y_hat + 1e-15,
        "y_hat = s(W2 s(W1 v + b1) + b2)",
    )
    loss = 0.5 * (y_hat - 1.0) ** 2
    expect_between(
        CHAPTER, glued, "bp_loss", loss - 1e-15, loss + 1e-15, "L = (y_hat - y)^2 / 2"
    )


def test_backward_pass_equals_autograd(glued):
    pytest.importorskip("torch")
    # float64 on both sides, same products in another order: gradients of
    # order 0.1 agree to a few u; 1e-14 is four orders below the 1e-10 asked
    expect_between(
        CHAPTER,
        glued,
        "bp_autograd_diff",
        0.0,
        1e-14,
        "hand-derived gradients against torch.autograd",
    )


def test_backward_pass_equals_finite_differences(glued):
    # step 1e-6: truncation eta^2 |L'''| / 6 ~ 1e-13, rounding u L / eta
    # ~ 2e-11 with L ~ 0.16; 1e-9 leaves a factor 50 for |L'''| and sums
    expect_between(
        CHAPTER, glued, "bp_fd_diff", 0.0, 1e-9, "central differences at step 1e-6"
    )
    expect_between(
        CHAPTER,
        glued,
        "bp_best_step",
        1e-7,
        1e-3,
        "optimal step (3 u L / |L'''|)^(1/3) ~ u^(1/3) ~ 5e-6",
    )
    expect_between(
        CHAPTER,
        glued,
        "bp_best_error",
        0.0,
        1e-9,
        "error at the optimal step ~ u^(2/3) ~ 1e-11",
    )


def test_only_active_row_gets_gradient(glued):
    assert glued["bp_rows_with_gradient"] == 1
    assert glued["bp_other_rows_max"] == 0.0
    expect_between(
        CHAPTER,
        glued,
        "bp_delta_v_norm",
        0.0,
        float(glued["bp_delta_v_bound"]),
        "|delta_v| <= |W1|_2 |W2| |y_hat - y| / 16",
    )


def test_training_moves_one_row_per_step(glued):
    assert glued["bp_max_rows_moved"] == 1
    assert glued["bp_min_rows_moved"] == 1
    assert glued["bp_n_steps"] == 12 * SMOKE["n_epochs"]
    # one visit per epoch, and the row moves exactly at its own visits
    assert glued["bp_own_steps"] == SMOKE["n_epochs"]
    assert glued["bp_row_jumps"] == glued["bp_own_steps"]
