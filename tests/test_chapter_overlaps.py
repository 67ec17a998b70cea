"""Regression test of the chapter *Overlaps of random directions*.

Each check compares a number the chapter glues with what the theory of the
chapter predicts, not with a stored snapshot.
"""

from __future__ import annotations

import numpy as np
import pytest
from chapters import expect_between, run_chapter
from scipy import stats

import semconc

# bound_d_max reaches dimensions where 2 exp(-d eps^2 / 2) underflows near eps = 1.
SMOKE = {"d_values": [3, 40], "n_pairs": 20_000, "d_tail": 64, "bound_d_max": 2048}
CHAPTER = "overlaps"


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


@pytest.mark.parametrize("d", SMOKE["d_values"])
def test_second_moment_is_one_over_d(glued, d):
    # d * mean(t^2) has mean 1 and the standard error the chapter glues (from
    # E t^4 = 3 / (d (d + 2))); 4.5 standard errors is a two-sided test at
    # level about 7e-6 per dimension.
    se = float(glued[f"ovl_d{d}_second_moment_se"])
    expected_se = d * np.sqrt(3 / (d * (d + 2)) - 1 / d**2) / np.sqrt(SMOKE["n_pairs"])
    assert se == pytest.approx(expected_se, rel=1e-12)
    expect_between(
        CHAPTER,
        glued,
        f"ovl_d{d}_second_moment",
        1 - 4.5 * se,
        1 + 4.5 * se,
        "E t^2 = 1/d, tolerance 4.5 Monte Carlo standard errors",
    )


@pytest.mark.parametrize("d", SMOKE["d_values"])
def test_sample_follows_exact_law(glued, d):
    # The asymptotic Kolmogorov critical value at level 1e-4 is about
    # 2.0 / sqrt(n); the sample is drawn from the exact law.
    critical = stats.kstwobign.isf(1e-4) / np.sqrt(SMOKE["n_pairs"])
    expect_between(
        CHAPTER,
        glued,
        f"ovl_d{d}_ks_statistic",
        0.0,
        critical,
        "Kolmogorov-Smirnov distance to the exact CDF, level 1e-4",
    )


def test_tail_bound_holds_on_grid(glued):
    expect_between(
        CHAPTER,
        glued,
        "ovl_bound_max_ratio",
        0.0,
        1.0,
        "exact tail <= 2 exp(-d eps^2 / 2) everywhere (theorem)",
    )


def test_exercise_pair_count_is_the_expectation(glued):
    # Deterministic: C(N, 2) P(|t| >= eps) at the exercise's N, d, eps.
    n, d, eps = 10_000, 512, 0.25
    expected = n * (n - 1) / 2 * float(semconc.overlap_tail(eps, d))
    assert glued["ovl_ex3_expected_pairs"] == pytest.approx(expected, rel=1e-12)
    assert glued["ovl_sim_floor"] == pytest.approx(1 / SMOKE["n_pairs"])


def test_quantiles_invert_the_exact_tail(glued):
    # Deterministic: the glued quantile must put exactly 1e-2 and 1e-6 in the tail.
    for name, p in [("ovl_eps99_d1024", 1e-2), ("ovl_eps1e6_d1024", 1e-6)]:
        eps = float(glued[name])
        assert float(semconc.overlap_tail(eps, 1024)) == pytest.approx(p, rel=1e-6)
    # and lie close to the Gaussian quantile, which they approach from below
    gauss = stats.norm.isf(0.005) / np.sqrt(1024)
    expect_between(
        CHAPTER,
        glued,
        "ovl_eps99_d1024",
        0.97 * gauss,
        gauss,
        "exact 1% quantile just below the Gaussian 2.576 / sqrt(d)",
    )


def test_gaussian_limit_and_bound_overstate_far_tail(glued):
    ratio_gauss = expect_between(
        CHAPTER,
        glued,
        "ovl_gauss_over_exact",
        1.0,
        np.inf,
        "the Gaussian limit exceeds the exact tail far out",
    )
    eps, d = float(glued["ovl_eps_far"]), SMOKE["d_tail"]
    # The bound / Gaussian ratio is x sqrt(2 pi) (1 + O(1/x^2)), x = eps sqrt(d).
    x = eps * np.sqrt(d)
    expect_between(
        CHAPTER,
        glued,
        "ovl_bound_over_exact",
        ratio_gauss * x * np.sqrt(2 * np.pi),
        ratio_gauss * x * np.sqrt(2 * np.pi) / (1 - 1 / x**2),
        "Mills ratio: bound / Gaussian within [x sqrt(2 pi), that / (1 - 1/x^2)]",
    )
