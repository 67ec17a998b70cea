"""Regression test of the chapter *The hinge model*.

Each check compares a number the chapter glues with what the chapter's
theory predicts (the tilt of the mean hinge, the delta method, the planted
energy share, the isotropic participation ratio, the size of a valid test),
with a tolerance built from a standard error the chapter glues too; the
remaining checks hold the planted ground truth to what the estimators must
recover.
"""

from __future__ import annotations

import pytest
from chapters import expect_between, run_chapter

SMOKE = {
    "d": 24,
    "n_per_sense": 30,
    "shift_grid": [0.0, 1.0, 2.0],
    "n_bootstrap": 60,
    "n_values": [8, 16],
    "power_trials": 12,
    "n_permutations": 39,
}
CHAPTER = "hinge_model"


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_mean_hinge_follows_tilt(glued):
    # Proposition prop-hm-tilt: the mean hinge sits at atan(|c_bar| / a) from h,
    # up to its sampling error, whose rms the delta method gives (hm_delta_rms,
    # same n and d); the worst of len(shift_grid) errors stays below 4 rms.
    rms = float(glued["hm_delta_rms"])
    expect_between(CHAPTER, glued, "hm_tilt_gap", 0.0, 4 * rms, "tilt + 4 delta rms")
    # The planted tilt at the largest offset (2, K = 3 orthogonal offsets):
    # atan(2 / sqrt 3) = 49.1 deg exactly.
    expect_between(CHAPTER, glued, "hm_tilt_max", 49.10, 49.11, "atan(2/sqrt(3))")


def test_intersection_hinge_and_subspaces_recovered(glued):
    # No tilt: the intersection estimator's error is sampling error only, of
    # the order of the delta-method rms of a mean over the same contexts.
    rms = float(glued["hm_delta_rms"])
    expect_between(CHAPTER, glued, "hm_intersection_max", 0.0, 4 * rms, "sampling only")
    expect_between(CHAPTER, glued, "hm_hinge_error", 0.0, 4 * rms, "sampling only")
    # Every planted dimension (2) found; orthogonal planted senses.
    expect_between(CHAPTER, glued, "hm_rank_hits", 3, 3, "all K = 3 ranks exact")
    expect_between(CHAPTER, glued, "hm_sharing", 0.9, 1.0, "h in every span")
    expect_between(
        CHAPTER, glued, "hm_between_min", 70.0, 90.0, "orthogonal planted senses"
    )
    expect_between(
        CHAPTER, glued, "hm_subspace_angle_max", 0.0, 20.0, "estimated near planted"
    )


def test_unsupervised_senses(glued):
    # Stored reference for the planted geometry: chance gives an adjusted Rand
    # index of 0 (sd about 0.01 for 90 contexts); at the smoke size (d = 24, so
    # noise directions overlap a sense subspace by about sqrt(2 / 24)) the
    # clustering reaches 0.6, at the book size (d = 64) 0.9 and more.
    expect_between(CHAPTER, glued, "hm_ari_offset", 0.3, 1.0, "far above chance")
    expect_between(CHAPTER, glued, "hm_ari_no_offset", 0.3, 1.0, "far above chance")


def test_bootstrap_matches_delta_method(glued):
    # Proposition prop-hm-delta: the bootstrap rms angle equals the delta-method
    # value up to 4 Monte Carlo standard errors (hm_boot_rel_se) and the O(1/n)
    # remainder of the delta method, allowed at 10 % for n = 90 contexts.
    rms = float(glued["hm_delta_rms"])
    tol = 4 * float(glued["hm_boot_rel_se"]) + 0.10
    expect_between(
        CHAPTER, glued, "hm_boot_rms", rms * (1 - tol), rms * (1 + tol), "delta"
    )


def test_energy_share_matches_planted(glued):
    # Share of the energy on the hinge: planted value up to 4 bootstrap SE.
    theory, se = float(glued["hm_share_theory"]), float(glued["hm_share_se"])
    expect_between(
        CHAPTER, glued, "hm_share", theory - 4 * se, theory + 4 * se, "planted share"
    )
    lo, hi = float(glued["hm_share_lo"]), float(glued["hm_share_hi"])
    assert lo <= float(glued["hm_share"]) <= hi
    # The load jitter (0.1) is the only hinge variance: a small share.
    expect_between(CHAPTER, glued, "hm_var_share", 0.0, 0.1, "jitter only")


def test_senses_low_dimensional(glued):
    # Lemma lem-hm-isotropic: 29 isotropic centred contexts in 23 dims give
    # 29 * 23 / 51 = 13.08; planted senses of dimension 2 plus weak noise stay
    # far below it.
    expect_between(
        CHAPTER, glued, "hm_deff_reference", 13.078, 13.079, "n D / (n + D - 1)"
    )
    expect_between(CHAPTER, glued, "hm_deff_max", 1.0, 6.0, "planted r = 2 + noise")


def test_probe_reads_carrier_not_hinge(glued):
    # Hinge-only probe at chance (1/3) within 3 binomial SE; carrier probe far
    # above it.
    chance, se = float(glued["hm_probe_chance"]), float(glued["hm_probe_hinge_se"])
    expect_between(
        CHAPTER, glued, "hm_probe_hinge", chance - 3 * se, chance + 3 * se, "chance"
    )
    expect_between(CHAPTER, glued, "hm_probe_carrier", 0.6, 1.0, "sense in carrier")


def test_size_of_the_test(glued):
    # Exact permutation components: rejection rate alpha +- 3 binomial SE over
    # the glued number of null data sets; the conservative alignment (K = 3)
    # and the whole test only need to stay below alpha + 3 SE.
    alpha, se = float(glued["hm_alpha"]), float(glued["hm_size_se"])
    assert glued["hm_size_N"] == len(SMOKE["n_values"]) * SMOKE["power_trials"]
    for name in [
        "hm_size_probe",
        "hm_size_dim_shuffled",
        "hm_size_dim_iso",
        "hm_size_alignment_two",
    ]:
        expect_between(
            CHAPTER, glued, name, max(0, alpha - 3 * se), alpha + 3 * se, "exact"
        )
    for name in ["hm_size_alignment", "hm_size_combined_max"]:
        expect_between(CHAPTER, glued, name, 0.0, alpha + 3 * se, "level alpha")


def test_power_at_the_planted_effect(glued):
    # At 16 contexts per sense the planted effect is detected essentially
    # always (book run: 1.00 of 25 data sets); with 12 data sets a true power
    # of 0.95 gives >= 9 rejections with probability 0.998.
    expect_between(CHAPTER, glued, "hm_power_big", 0.75, 1.0, "power near 1")
    # the sentence quoted in the prose follows the glued sample size
    n90 = int(glued["hm_power_n90"])
    text = glued["hm_power_n90_text"]
    if n90 > 0:
        assert text == f"reaches 90 % power at {n90} contexts per sense"
    else:
        assert text.startswith("does not reach")
