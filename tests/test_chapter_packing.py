"""Regression test of the chapter *Packing nearly orthogonal directions*.

The glued numbers are checked against what is proven (the optimum of a known
configuration, the Welch, orthoplex and rank bounds) or against the exact law
of the largest random overlap, with the tolerance stated at each check.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from chapters import expect_between, run_chapter

import semconc

SMOKE = {
    "restarts": 4,
    "steps": 600,
    "trials": 60,
    "d_sweep": 8,
    "n_values": [9, 18, 36],
    "eps_values": [0.5],
    "capacity_d_values": [2, 3, 4],
}
CHAPTER = "packing"
EXACT = 1e-12  # float64 rounding of the constructions


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_known_configurations(glued):
    # Six ETFs (two simplices, icosahedron, 28 lines, two Steiner ETFs); seven
    # at the lower bound (those and the cube lines, at the orthoplex bound).
    assert glued["pack_known_count"] == 9
    assert glued["pack_known_etf"] == 6
    assert glued["pack_known_at_bound"] == 7
    planar = math.cos(math.pi / 5) - 1 / math.sqrt(2)
    expect_between(
        CHAPTER,
        glued,
        "pack_planar_gap",
        planar - EXACT,
        planar + EXACT,
        "cos(pi/5) minus the orthoplex bound 1/sqrt(2)",
    )
    e8 = 0.5 - 1 / math.sqrt(8)
    expect_between(
        CHAPTER,
        glued,
        "pack_e8_gap",
        e8 - EXACT,
        e8 + EXACT,
        "E8 lines at 1/2 minus the orthoplex bound 1/sqrt(8)",
    )


def test_optimiser_against_known_optima(glued):
    # Nothing beats a proven optimum: gaps are >= 0 up to rounding.
    expect_between(
        CHAPTER,
        glued,
        "pack_opt_min_gap",
        -EXACT,
        1.0,
        "no configuration beats a proven optimum",
    )
    # The two simplices, five planar lines, the icosahedron and the cube lines
    # are reached from every start in tests/test_packing.py, so at least five.
    expect_between(
        CHAPTER,
        glued,
        "pack_opt_matched",
        5,
        9,
        "optima reached from every start in the unit tests",
    )
    # The 64-line Steiner ETF: at or above 1/7, and far below random.
    expect_between(
        CHAPTER,
        glued,
        "pack_steiner8_opt",
        1 / 7 - EXACT,
        0.5 * float(glued["pack_steiner8_random"]),
        "Welch's bound 1/7 below, half the random median above",
    )
    found = int(glued["pack_etf16_found"])
    assert 0 <= found <= SMOKE["restarts"]
    assert int(glued["pack_etf16_needed"]) >= 1


@pytest.mark.parametrize("n", SMOKE["n_values"])
def test_random_sweep_follows_the_exact_law(glued, n):
    # The sample median m of `trials` draws has F(m) ~ 1/2 with standard
    # deviation 0.5 / sqrt(trials) (F the law of the largest overlap); F is
    # evaluated by the Poisson approximation, whose error bound is added.
    d, trials = SMOKE["d_sweep"], SMOKE["trials"]
    m = float(glued[f"pack_sweep_rand_n{n}"])
    F = float(semconc.max_overlap_cdf(m, n, d))
    err = float(semconc.max_overlap_poisson_error(m, n, d))
    tol = 4.5 * 0.5 / np.sqrt(trials) + err
    assert abs(F - 0.5) <= tol, (
        f"random median {m} of {n} directions in R^{d} sits at F = {F}, "
        f"expected 0.5 +- {tol} (4.5 sd of a sample median, Poisson error {err})"
    )


@pytest.mark.parametrize("n", SMOKE["n_values"])
def test_optimiser_sweep_between_bound_and_random(glued, n):
    d = SMOKE["d_sweep"]
    bound = semconc.coherence_lower_bound(n, d)
    assert float(glued[f"pack_sweep_bound_n{n}"]) == pytest.approx(bound, abs=EXACT)
    # Welch / orthoplex is a theorem; the random median is beaten by far at
    # every size tried (observed factor >= 2).
    expect_between(
        CHAPTER,
        glued,
        f"pack_sweep_opt_n{n}",
        bound - EXACT,
        float(glued[f"pack_sweep_rand_n{n}"]),
        "lower bound below, random median above",
    )
    if n == d + 1:  # the simplex, an ETF reached from every start
        expect_between(
            CHAPTER,
            glued,
            f"pack_sweep_opt_n{n}",
            1 / d - 1e-6,
            1 / d + 1e-6,
            "simplex at 1/d",
        )


def test_exercise_values_respect_the_optima(glued):
    # Seven lines in R^3: the orthoplex bound 1/sqrt(3) is the optimum and the
    # unit tests reach it from every start; 120 lines in R^8: no coherence
    # below 1/2 (kissing number 240).
    expect_between(
        CHAPTER,
        glued,
        "pack_cube_opt",
        1 / math.sqrt(3) - EXACT,
        1 / math.sqrt(3) + 1e-6,
        "optimiser on the cube lines' size reaches the orthoplex bound",
    )
    expect_between(
        CHAPTER, glued, "pack_e8_opt", 0.5 - EXACT, 1.0, "E8: coherence >= 1/2"
    )
    share = glued["pack_etf16_share"]
    assert share == glued["pack_etf16_found"] / SMOKE["restarts"]


def test_capacity_experiment(glued):
    # The rank bound holds for every packing, the optimiser's included.
    assert glued["pack_cap_violations"] == 0
    assert glued["pack_cap_runs"] == len(SMOKE["eps_values"]) * len(
        SMOKE["capacity_d_values"]
    )
    # At eps = 1/2: 3 lines in R^2 and 6 in R^3 are optimal (one more line
    # needs overlap >= 1/sqrt(d) > 1/2 by the orthoplex bound), 12 in R^4
    # (kissing number 24); the optimiser finds all three at smoke size.
    assert glued["pack_root_cases"] == 3
    assert glued["pack_root_matched"] == 3
    assert glued["pack_cap_nmax_0"] == 12
    # The random constant over d = 2..4 is the slope of an exact formula;
    # it lies above its large-d limit -ln(3/4) = 0.288 (finite-size effect)
    # and below the maximal-packing constant.
    limit = -math.log(0.75)
    expect_between(
        CHAPTER,
        glued,
        "pack_cap_rand_limit_0",
        limit - EXACT,
        limit + EXACT,
        "-ln(1 - eps^2) / (4 eps^2) at eps = 1/2",
    )
    expect_between(
        CHAPTER,
        glued,
        "pack_cap_rand_0",
        limit,
        float(glued["pack_cap_greedy_0"]),
        "between the large-d random constant and the maximal packing",
    )
    # With the optimal counts 3, 6, 12 at d = 2, 3, 4, ln N rises by ln 2 per
    # dimension, so the fitted constant is ln 2 / eps^2 = 4 ln 2 exactly.
    c = 4 * math.log(2)
    expect_between(
        CHAPTER,
        glued,
        "pack_cap_opt_0",
        c - 1e-9,
        c + 1e-9,
        "slope ln 2 of ln(3, 6, 12) over d = 2, 3, 4, divided by 1/4",
    )
