"""Regression test of the chapter *Can structure beat the random baseline?*.

Exact identities are checked to rounding; Monte Carlo numbers within five of
the standard errors the chapter glues, and the spread of a single random
pool from the pair-wise independence of its overlaps.
"""

from __future__ import annotations

import math

import pytest
from chapters import expect_between, run_chapter

import semconc

SMOKE = {
    "d": 32,
    "n_values": [33, 64, 256],
    "k": 4,
    "trials": 2_000,
    "worst_k_values": [2, 4, 8],
    "steiner_v": 4,
    "spreads": [0.25, 1.0, 8.0],
    "sparse_n": 128,
    "sparse_k_values": [1, 2, 3, 4, 8, 16],
    "sparse_trials": 100,
}
CHAPTER = "structure"
Z = 5.0  # standard errors: a two-sided normal test at level 6e-7 per check


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_simulation_matches_exact_averages(glued):
    expect_between(
        CHAPTER,
        glued,
        "str_max_abs_z",
        0.0,
        Z,
        "every arrangement: simulated variance = exact average",
    )
    expect_between(
        CHAPTER,
        glued,
        "str_omp_linear_max_abs_z",
        0.0,
        Z,
        "linear readouts of the sparse pool = exact average",
    )


def test_tight_frames_attain_the_bound(glued):
    # tight_frame stops at relative tightness 1e-10; the simplex is exact.
    expect_between(
        CHAPTER,
        glued,
        "str_tight_ratio_min",
        1 - 1e-9,
        1 + 1e-9,
        "tight frames: variance / frame bound = 1",
    )
    expect_between(
        CHAPTER,
        glued,
        "str_tight_ratio_max",
        1 - 1e-9,
        1 + 1e-9,
        "tight frames: variance / frame bound = 1",
    )


def relative_spread_of_random_pool(n, d):
    # q-bar averages C(n, 2) pair-wise independent G_ij^2 of mean 1/d and
    # variance 3 / (d (d + 2)) - 1 / d^2.
    var = 3 / (d * (d + 2)) - 1 / d**2
    return math.sqrt(var / math.comb(n, 2)) * d


@pytest.mark.parametrize("which", ["n_two", "n_big", "n_small"])
def test_random_pools_sit_a_factor_above_the_bound(glued, which):
    d = SMOKE["d"]
    n = int(glued[f"str_{which}"])
    factor = (n - 1) / (n - d)
    # variance / bound = factor * (q-bar * d); q-bar * d has mean 1.
    tol = Z * relative_spread_of_random_pool(n, d)
    expect_between(
        CHAPTER,
        glued,
        f"str_random_ratio_{which}",
        factor * (1 - tol),
        factor * (1 + tol),
        "random pool: (N-1)/(N-d) times the bound, 5 pool-to-pool sd",
    )


@pytest.mark.parametrize("name", ["clustered", "aniso"])
def test_structure_that_lowers_d_eff_raises_interference(glued, name):
    d, n = SMOKE["d"], int(glued["str_n_big"])
    d_eff = expect_between(
        CHAPTER,
        glued,
        f"str_{name}_deff_n_big",
        1.0,
        d - 1,
        "clusters and anisotropy lower d_eff below d",
    )
    # Exact identity: variance / bound = d (N - d_eff) / (d_eff (N - d)).
    exact = d * (n - d_eff) / (d_eff * (n - d))
    value = float(glued[f"str_{name}_ratio_n_big"])
    assert value == pytest.approx(exact, rel=1e-9)
    assert value > 1


def test_cluster_identity_and_trend(glued):
    expect_between(
        CHAPTER,
        glued,
        "str_cluster_identity_error",
        0.0,
        1e-12,
        "sigma^2 = (k-1)(N - d_eff)/(d_eff (N-1)) holds to rounding",
    )
    expect_between(
        CHAPTER,
        glued,
        "str_cluster_tight_ratio",
        1.0,
        math.inf,
        "tight clusters interfere more than random directions",
    )


def test_worst_case(glued):
    v = SMOKE["steiner_v"]
    n, d = v * v, v * (v - 1) // 2
    mu = semconc.welch_bound(n, d)
    k_top = max(SMOKE["worst_k_values"])
    assert float(glued["str_worst_mu"]) == pytest.approx(mu)
    expect_between(
        CHAPTER,
        glued,
        "str_worst_etf",
        (k_top - 1) * mu * (1 - 1e-12),
        (k_top - 1) * mu * (1 + 1e-12),
        "equiangular frame: worst case (k-1) mu_W exactly",
    )
    for key in ("random", "tight", "etf"):
        expect_between(
            CHAPTER,
            glued,
            f"str_worst_{key}_ratio",
            1.0,
            math.inf,
            "every realised error is at most the worst case, so the rms average is too",
        )


def test_relu_never_loses_to_linear(glued):
    # b = 0 is in the grid and clipping at 0 moves no readout away from a
    # non-negative target: gain >= 1 exactly.
    expect_between(
        CHAPTER,
        glued,
        "str_relu_gain_sparse",
        1.0,
        math.inf,
        "rectifier with b = 0 is never worse than linear",
    )
    expect_between(
        CHAPTER,
        glued,
        "str_relu_gain_dense",
        1.0,
        math.inf,
        "rectifier with b = 0 is never worse than linear",
    )


def test_sparse_recovery_beats_every_linear_readout(glued):
    # One active direction: pursuit and thresholding pick the only readout of
    # size 1 (every other overlap is below 1), so recovery is certain.
    assert float(glued["str_omp_exact_k1"]) == 1.0
    assert float(glued["str_threshold_k1"]) == 1.0
    assert glued["str_omp_k_star"] >= 2
    bound = float(glued["str_omp_bound_demo"])
    assert bound == pytest.approx(
        math.sqrt(
            semconc.interference_lower_bound(
                SMOKE["sparse_n"], SMOKE["d"], int(glued["str_omp_k_demo"])
            )
        )
    )
    expect_between(
        CHAPTER,
        glued,
        "str_omp_rms_demo",
        0.0,
        bound,
        "below the transition pursuit beats the frame bound of any linear readout",
    )
    assert glued["str_half_d"] == SMOKE["d"] // 2
