"""Regression test of the chapter *The capacity bound*.

Every check compares a glued number with theory computed here independently
(the union bound by counting with a quadrature tail, the Poisson law of the
largest overlap with its Chen-Stein error, Dasgupta-Gupta's formula), not
with a stored snapshot.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from chapters import expect_between, run_chapter
from scipy import stats
from test_capacity import tail_by_quadrature, union_bound_capacity

import semconc

SMOKE = {
    "d_table": [64, 256],
    "d_sim": [64, 256],
    "n_sim": 300,
    "sim_trials": 40,
    "region_d_max": 256,
    "n_jl": 10_000,
}
CHAPTER = "capacity"
D_EX, EPS_EX, DELTA = 1024, 0.2, 0.5  # the chapter's defaults, kept by SMOKE


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_example_capacity_is_the_union_bound_answer(glued):
    assert glued["cap_d_example"] == D_EX and glued["cap_eps_example"] == EPS_EX
    assert glued["cap_ex_kinetic"] == union_bound_capacity(D_EX, EPS_EX, DELTA)
    envelope = math.floor(math.sqrt(DELTA) * math.exp(D_EX * EPS_EX**2 / 4))
    assert glued["cap_ex_envelope"] == envelope
    assert envelope <= glued["cap_ex_kinetic"]  # part (3) of the theorem


def test_effective_constants(glued):
    x = D_EX * EPS_EX**2
    log_p = math.log(tail_by_quadrature(EPS_EX, D_EX))
    assert glued["cap_ex_c_maximal"] == pytest.approx(-log_p / x, rel=1e-9)
    limit = -math.log1p(-(EPS_EX**2)) / (4 * EPS_EX**2)
    assert glued["cap_ex_c_limit"] == pytest.approx(limit, rel=1e-12)
    # The exact constant exceeds its limit by about ln(d) / (4 x) > 0.
    expect_between(
        CHAPTER,
        glued,
        "cap_ex_c_exact",
        limit,
        limit + math.log(D_EX) / (4 * x),
        "Proposition: ln N = (d - 1) L / 4 + ln(d) / 4 + (negative terms at d = 1024)",
    )


def test_expansion_remainder_is_second_order(glued):
    # test_capacity checks the O(x^-2) coefficient of -ln p to be below 3 in
    # absolute value; ln N takes half of it, and theta is below 1e-100 here.
    expect_between(
        CHAPTER,
        glued,
        "cap_expansion_max_scaled",
        0.0,
        1.5,
        "remainder of ln N_delta times (d eps^2)^2, half of the tail's bound 3",
    )


def test_union_bound_loss(glued):
    n = glued["cap_ex_kinetic"]
    lam = n * (n - 1) / 2 * tail_by_quadrature(EPS_EX, D_EX)
    assert glued["cap_true_failure"] == pytest.approx(-math.expm1(-lam), rel=1e-8)
    assert glued["cap_true_failure"] <= DELTA
    assert glued["cap_union_loss_factor"] == pytest.approx(
        math.sqrt(-math.log1p(-DELTA) / DELTA)
    )


@pytest.mark.parametrize("d", SMOKE["d_sim"])
def test_measured_median_matches_poisson_law(glued, d):
    # Under the exact law the fraction of sets below the true median is
    # Binomial(trials, 1/2) / trials; the Poisson median is off from the true
    # one by at most the Chen-Stein error in probability. 4.5 standard errors
    # make a two-sided test at level about 7e-6.
    n, trials = SMOKE["n_sim"], SMOKE["sim_trials"]
    median = float(semconc.max_overlap_quantile(0.5, n, d))
    assert glued[f"cap_sim_d{d}_predicted_median"] == pytest.approx(median)
    err = float(semconc.max_overlap_poisson_error(median, n, d))
    tol = err + 4.5 * 0.5 / math.sqrt(trials)
    expect_between(
        CHAPTER,
        glued,
        f"cap_sim_d{d}_fraction_below_median",
        0.5 - tol,
        0.5 + tol,
        "P(M < Poisson median) = 1/2 within Chen-Stein error + 4.5 binomial SE",
    )


def test_transformed_maxima_are_uniform(glued):
    # exp(-lambda(M)) is uniform up to the Chen-Stein error (a sup-norm bound
    # on the CDFs), so the KS statistic is below the level-1e-4 critical value
    # plus the largest Chen-Stein error over the simulated dimensions.
    n_sets = glued["cap_sim_sets"]
    assert n_sets == SMOKE["sim_trials"] * len(SMOKE["d_sim"])
    critical = stats.kstwobign.isf(1e-4) / math.sqrt(n_sets)
    expect_between(
        CHAPTER,
        glued,
        "cap_sim_ks_statistic",
        0.0,
        critical + glued["cap_sim_chen_stein_max"],
        "KS of the probability-integral transform, level 1e-4, + Chen-Stein error",
    )


def test_measured_medians_inside_predicted_band(glued):
    # If the Poisson law were exact, the median of T sets would leave the
    # 10%-90% band only if at least T/2 sets fell outside one side:
    # P <= 2 P(Binomial(T, 0.1) >= T/2), below 1e-9 per point for T = 40. The
    # Chen-Stein bound does not promise the law at N = 10; the prose claims it
    # holds anyway, and this checks that claim at every point of the figure.
    trials = SMOKE["sim_trials"]
    per_point = 2 * stats.binom.sf(math.ceil(trials / 2) - 1, trials, 0.1)
    assert per_point < 1e-9
    assert glued["cap_band_n_min"] == 10
    assert glued["cap_band_hits"] == glued["cap_band_points"]


def test_converse_is_below_achievable(glued):
    # A random packing exists in kinetic_min_dim dimensions, so the rank bound
    # must allow it: the least dimension is at most that.
    converse, random = glued["cap_jl_converse_dims"], glued["cap_jl_random_dims"]
    assert all(c <= r for c, r in zip(converse, random, strict=True))
    assert glued["cap_alon_c_min"] > 0
    # and at the example the converse exceeds what maximal packings reach
    assert glued["cap_ex_c_upper"] > glued["cap_ex_c_maximal"]


def test_polynomial_code(glued):
    q, r = glued["cap_code_q"], glued["cap_code_r"]
    assert glued["cap_code_n"] == q ** (r + 1) and glued["cap_code_d"] == q * q
    assert glued["cap_code_coherence"] == pytest.approx(r / q, abs=1e-12)
    assert glued["cap_code_random"] == union_bound_capacity(q * q, r / q, DELTA)
    assert glued["cap_code_random"] < glued["cap_code_n"]
    # the centred code of the exercise: coherence max(r - 1, 1) / (q - 1)
    assert glued["cap_ex2_coherence"] == pytest.approx(max(r - 1, 1) / (q - 1))


def test_jl_dimension_against_scikit_learn(glued):
    n = SMOKE["n_jl"]
    exact = 4 * math.log(n) / (EPS_EX**2 / 2 - EPS_EX**3 / 3)
    assert glued["cap_jl_ours"] == math.ceil(exact)
    assert glued["cap_jl_sklearn"] == math.floor(exact)


def test_exercise_quantiles_invert_the_law(glued):
    q = [glued[f"cap_ex4_q{k}"] for k in (10, 50, 90)]
    np.testing.assert_allclose(
        semconc.max_overlap_cdf(q, 10**5, 1024), [0.1, 0.5, 0.9], rtol=1e-9
    )
