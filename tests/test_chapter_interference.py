"""Regression test of the chapter *Interference under concurrency*.

Every check compares a glued number with the theory of the chapter, with a
tolerance in units of the Monte Carlo standard error the chapter glues too.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from chapters import expect_between, run_chapter
from scipy import stats

SMOKE = {
    "d_values": [16, 64],
    "k_values": [2, 5, 9, 17],
    "trials": 4_000,
    "pool_size": 3_000,
    "d_aniso": 64,
    "power_trials": [60],  # at or above the predicted count (55) for this grid
    "power_reps": 60,
}
CHAPTER = "interference"
# Five standard errors: a two-sided normal test at level 6e-7 per check.
Z = 5.0


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_exact_and_vector_samplers_agree(glued):
    n = SMOKE["trials"]
    critical = stats.kstwobign.isf(1e-4) * math.sqrt(2 / n)
    expect_between(
        CHAPTER,
        glued,
        "int_ks_statistic",
        0.0,
        critical,
        "two-sample Kolmogorov-Smirnov distance, level 1e-4",
    )


def test_grid_matches_theorem(glued):
    assert glued["int_grid_points"] == len(SMOKE["d_values"]) * len(SMOKE["k_values"])
    expect_between(
        CHAPTER,
        glued,
        "int_max_abs_z",
        0.0,
        Z,
        "variance = (k-1)/d within 5 standard errors at every point",
    )


@pytest.mark.parametrize("law", ["sign", "uniform", "gaussian"])
def test_amplitude_laws(glued, law):
    expect_between(
        CHAPTER,
        glued,
        f"int_law_{law}_z",
        -Z,
        Z,
        "variance = (k-1) m2 / d within 5 standard errors",
    )
    se = float(glued[f"int_law_{law}_mean_se"])
    expect_between(
        CHAPTER,
        glued,
        f"int_law_{law}_mean",
        -Z * se,
        Z * se,
        "isotropic directions: mean error 0 within 5 standard errors",
    )


def test_anisotropic_pool(glued):
    expect_between(
        CHAPTER,
        glued,
        "int_aniso_max_abs_z",
        0.0,
        Z,
        "exact pool variance within 5 standard errors at every k",
    )
    # Participation ratio of the spectrum i^-1, i = 1..64: the pool estimate
    # is close to (sum 1/i)^2 / sum 1/i^2 = 13.8 but normalising the rows
    # raises it; it must lie well below d.
    d_eff = expect_between(
        CHAPTER,
        glued,
        "int_aniso_d_eff",
        10.0,
        32.0,
        "d_eff of an i^-1 spectrum in d = 64",
    )
    naive = math.sqrt(SMOKE["d_aniso"] / d_eff)
    expect_between(
        CHAPTER,
        glued,
        "int_aniso_naive_ratio",
        0.85 * naive,
        1.15 * naive,
        "sigma / sqrt((k-1)/d) = sqrt(d / d_eff) within "
        "15% (Monte Carlo at ~250 trials and the finite-pool factor)",
    )


def test_exponents_are_one_half(glued):
    se = float(glued["int_alpha_k_se"])
    expect_between(
        CHAPTER,
        glued,
        "int_alpha_k",
        0.5 - Z * se,
        0.5 + Z * se,
        "exponent of sigma in k - 1 is 1/2",
    )
    se_d = float(glued["int_alpha_d_se"])
    expect_between(
        CHAPTER,
        glued,
        "int_alpha_d",
        -0.5 - Z * se_d,
        -0.5 + Z * se_d,
        "exponent of sigma in d is -1/2",
    )
    ideal = float(glued["int_alpha_naive_ideal"])
    k = np.asarray(SMOKE["k_values"], dtype=float)
    xi = np.log(k)
    assert ideal == pytest.approx(
        ((xi - xi.mean()) * np.log(np.sqrt(k - 1))).sum()
        / ((xi - xi.mean()) ** 2).sum()
    )
    se_n = float(glued["int_alpha_naive_se"])
    expect_between(
        CHAPTER,
        glued,
        "int_alpha_naive",
        ideal - Z * se_n,
        ideal + Z * se_n,
        "fit in k reproduces the noiseless slope",
    )


def test_power_analysis(glued):
    k = np.asarray(SMOKE["k_values"], dtype=float)
    x = np.log(k - 1)
    s_xx = ((x - x.mean()) ** 2).sum()
    kappa = np.mean(3 - 6 / ((k - 1) * (64 + 2)))
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.95)
    needed = math.ceil(z**2 * (kappa - 1) / (4 * (1 / 6) ** 2 * s_xx))
    assert glued["int_power_t_needed"] == needed
    assert float(glued["int_power_sxx"]) == pytest.approx(s_xx)
    # At T >= the predicted count the power is about 0.95 or more; allow five
    # binomial standard errors of the repeated experiments.
    reps = SMOKE["power_reps"]
    low = 0.95 - Z * math.sqrt(0.95 * 0.05 / reps)
    if glued["int_power_t_check"] >= needed:
        expect_between(
            CHAPTER,
            glued,
            "int_power_reject_low",
            low,
            1.0,
            "power against 1/3 at the predicted trial count",
        )
        expect_between(
            CHAPTER,
            glued,
            "int_power_reject_high",
            low,
            1.0,
            "power against 2/3 at the predicted trial count",
        )


def test_mean_direction_breaks_the_square_root(glued):
    expect_between(
        CHAPTER,
        glued,
        "int_mean_max_abs_z",
        0.0,
        Z,
        "exact pool formula with the mean terms, 5 standard errors",
    )
    se = float(glued["int_mean_exponent_se"])
    expect_between(
        CHAPTER,
        glued,
        "int_mean_exponent",
        0.5 + Z * se,
        1.0 + Z * se,
        "a shared mean direction with non-zero-mean amplitudes pushes the "
        "exponent above 1/2 (towards 1)",
    )
    assert float(glued["int_mean_ratio_last"]) > 1.0


def test_exercise_trial_counts(glued):
    # Deterministic: T = (z_.975 + z_.95)^2 (kappa - 1) / (4 (1/6)^2 S_xx) in
    # d = 64, for k in {2, 65} and for the seven-point grid; two points need
    # more trials each (smaller S_xx) but fewer in all.
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.95)

    def needed(ks):
        x = np.log(np.asarray(ks, dtype=float) - 1)
        kappa = np.mean([3 - 6 / ((k - 1) * 66) for k in ks])
        return math.ceil(z**2 * (kappa - 1) / (4 / 36 * ((x - x.mean()) ** 2).sum()))

    two, grid = needed([2, 65]), needed([2, 3, 5, 9, 17, 33, 65])
    assert glued["int_ex2_t_two"] == two and glued["int_ex2_t_grid"] == grid
    assert two > grid and 2 * two < 7 * grid
