"""Regression test of the chapter *Logits, softmax and temperature*.

Every check compares a glued number with the theorem it illustrates or with
float64 rounding analysis (unit roundoff u = 2**-53), not with a snapshot.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from chapters import expect_between, run_chapter

import semconc

SMOKE = {"n_random": 200, "n_samples": 20_000, "frame_d": 32}
CHAPTER = "softmax"
U = 2.0**-53


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_sigmoid_derivative(glued):
    # central difference, step 1e-5: truncation h^2 max|s'''| / 6 = 2e-12
    # (max |s'''| = 1/8), rounding about u / h = 1.1e-11
    expect_between(
        CHAPTER,
        glued,
        "smx_derivative_error",
        0.0,
        5e-11,
        "s' = s(1 - s) against a central difference",
    )
    expect_between(
        CHAPTER,
        glued,
        "smx_derivative_max",
        0.25 - 1e-12,
        0.25,
        "s' peaks at 1/4 at z = 0 (on the grid)",
    )


def test_sigmoid_saturates_at_53_ln_2(glued):
    # 1 + e^-z rounds to 1 once e^-z <= 2^-53 (half the spacing above 1)
    z = 53 * math.log(2)
    expect_between(
        CHAPTER,
        glued,
        "smx_z_saturate",
        z - 1e-9,
        z + 1e-9,
        "s(z) == 1 in float64 exactly from z = 53 ln 2",
    )


def test_roundtrip_error_grows_like_u_exp_z(glued):
    # the gap 1 - s(30) ~ e^-30 is known to within one rounding of s and one
    # of 1 - s, each at most 2^-53: error <= 2 * 2^-53 * e^30
    expect_between(
        CHAPTER,
        glued,
        "smx_roundtrip_err_30",
        0.0,
        2 * U * math.exp(30),
        "logit(s(30)) loses about u e^30",
    )
    expect_between(
        CHAPTER,
        glued,
        "smx_roundtrip_err_m30",
        0.0,
        4 * U * 31,
        "no loss for negative z beyond a few roundings of |z|",
    )


def test_softmax_properties(glued):
    C = 8
    expect_between(CHAPTER, glued, "smx_min_prob", 1e-300, 1.0, "positivity")
    expect_between(
        CHAPTER,
        glued,
        "smx_max_sum_error",
        0.0,
        4 * C * U,
        "sum of C terms each with relative error ~2u",
    )
    # logits up to ~5 * 10 plus shifts up to 100: rounding u * 150 ~ 2e-14
    expect_between(
        CHAPTER,
        glued,
        "smx_max_shift_error",
        0.0,
        1e-12,
        "shift invariance up to rounding of z + a",
    )
    expect_between(
        CHAPTER,
        glued,
        "smx_max_two_class_error",
        0.0,
        1e-13,
        "two classes: softmax = sigmoid of the difference",
    )


def test_stable_softmax_survives_huge_logits(glued):
    assert glued["smx_naive_nan_count"] == 2  # inf / inf twice, 0 / inf once
    exact = float(semconc.sigmoid(1.0))
    expect_between(
        CHAPTER,
        glued,
        "smx_stable_top",
        exact - 1e-15,
        exact + 1e-15,
        "softmax(1e4, 1e4 - 1, 0)_1 = s(1) by shift invariance",
    )


def test_temperature_limits_obey_their_bounds(glued):
    expect_between(
        CHAPTER,
        glued,
        "smx_argmax_defect",
        0.0,
        float(glued["smx_argmax_bound"]),
        "1 - p_max <= (C-1) e^(-gap/T)",
    )
    # the runner-up alone gives 1 - p_max = S / (1 + S) with S >= r = e^(-gap/T)
    # and S <= (C - 1) r; 1 - p_max is formed in float64, so allow 2^-52
    r = float(glued["smx_argmax_runner_up"])
    C = 8
    expect_between(
        CHAPTER,
        glued,
        "smx_argmax_defect",
        r / (1 + (C - 1) * r) - 2.0**-52,
        float(glued["smx_argmax_bound"]),
        "1 - p_max >= r / (1 + (C - 1) r), the runner-up's own share",
    )
    expect_between(
        CHAPTER,
        glued,
        "smx_uniform_defect",
        0.0,
        float(glued["smx_uniform_bound"]),
        "|p - 1/C| <= (e^(R/T) - 1)/C",
    )


def test_entropy_limits_and_monotonicity(glued):
    C = 8
    log_c = float(glued["smx_log_C"])
    assert log_c == pytest.approx(math.log(C), rel=1e-15)
    # log C - H = KL(p || uniform) <= log(C max p) <= C max|p - 1/C|
    expect_between(
        CHAPTER,
        glued,
        "smx_entropy_T_max",
        log_c - C * float(glued["smx_uniform_defect"]),
        log_c,
        "H -> log C as T -> inf",
    )
    # grouping: H <= h(eps) + eps log(C - 1) with eps = 1 - p_max
    eps = float(glued["smx_argmax_defect"])
    h = -eps * math.log(eps) - (1 - eps) * math.log1p(-eps)
    expect_between(
        CHAPTER,
        glued,
        "smx_entropy_T_min",
        0.0,
        h + eps * math.log(C - 1),
        "H -> 0 as T -> 0",
    )
    expect_between(
        CHAPTER,
        glued,
        "smx_entropy_min_increment",
        -1e-15,
        np.inf,
        "dH/dT = Var/T^3 >= 0",
    )
    # central difference with relative step r = 1e-4: truncation r^2 times
    # T^2 |H'''/H'| (below ~100 on this grid), rounding u H / (r T H')
    expect_between(
        CHAPTER,
        glued,
        "smx_entropy_derivative_rel_error",
        0.0,
        1e-5,
        "dH/dT = Var_p(z) / T^3",
    )


def test_born_rule_and_temperature_sampling(glued):
    expect_between(
        CHAPTER,
        glued,
        "smx_born_sum",
        1 - 1e-14,
        1 + 1e-14,
        "Parseval in an orthonormal context",
    )
    expect_between(
        CHAPTER,
        glued,
        "smx_born_T1_max_diff",
        0.0,
        1e-15,
        "softmax at T = 1 of log Born probabilities is the Born law",
    )
    # 8 classes x 4 samples = 32 binomial z-scores; 5 standard errors has
    # level 5.7e-7 each
    expect_between(CHAPTER, glued, "smx_born_max_z", 0.0, 5.0, "Born frequencies")
    expect_between(
        CHAPTER, glued, "smx_softmax_max_z", 0.0, 5.0, "softmax sample frequencies"
    )


def test_total_variation_matches_exact_recomputation(glued):
    # the chapter's probabilities are deterministic given seed = 0
    C = 8
    context = semconc.haar_unitary(C, seed=2)
    psi = np.random.default_rng(3).standard_normal(C)
    psi /= np.linalg.norm(psi)
    born = semconc.born_probabilities(psi, context)
    for T, name in [(0.5, "smx_tv_T05"), (2.0, "smx_tv_T2")]:
        p = born ** (1 / T) / np.sum(born ** (1 / T))  # the remark's power law
        tv = 0.5 * np.abs(p - born).sum()
        expect_between(
            CHAPTER,
            glued,
            name,
            tv - 1e-12,
            tv + 1e-12,
            "softmax_T(log p) = p^(1/T) / sum p^(1/T)",
        )


def test_vocabulary_frame_weights_sum_to_v_over_d(glued):
    se = float(glued["smx_frame_se"])
    expected = float(glued["smx_frame_expected"])
    assert expected == SMOKE["frame_d"] * 4 / SMOKE["frame_d"]
    expect_between(
        CHAPTER,
        glued,
        "smx_frame_sum",
        expected - 5 * se,
        expected + 5 * se,
        "E sum |<phi, psi>|^2 = V / d, 5 s.e.",
    )
