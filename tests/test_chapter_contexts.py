"""Regression test of the chapter *Contexts, hinges and measurement*.

Exact identities (orthonormality, the hinge theorem, Born equals softmax) are
checked to rounding; Monte Carlo numbers against theory with tolerances from
their binomial standard errors, Bonferroni-corrected to a family-wise level of
1e-4 per check; combinatorial counts against hand counts and Peres (1991).
"""

from __future__ import annotations

import pytest
from chapters import expect_between, run_chapter
from scipy import stats

SMOKE = {"n_measurements": 4_000, "n_tokens": 4_000, "n_phase_draws": 300}
CHAPTER = "contexts"
LEVEL = 1e-4  # family-wise false-alarm probability of each statistical check


def bonferroni_z(m: int) -> float:
    """Two-sided normal critical value for m tests at family-wise level LEVEL."""
    return float(stats.norm.isf(LEVEL / (2 * m)))


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_contexts_are_orthonormal_and_meet_at_two_hinges(glued):
    expect_between(
        CHAPTER,
        glued,
        "ctx_gram_error",
        0.0,
        1e-12,
        "A, B, C are orthonormal bases (exact up to rounding)",
    )
    expect_between(
        CHAPTER,
        glued,
        "ctx_n_hinges",
        2,
        2,
        "e3 joins A and B, f1 joins B and C; nothing else is shared",
    )


def test_hinge_probability_is_context_free(glued):
    expect_between(
        CHAPTER,
        glued,
        "ctx_hinge_exact_diff",
        0.0,
        1e-12,
        "theorem: |<h, psi>|^2 does not depend on the context",
    )
    # psi = (3, 1, 2) / sqrt 14: p(e3) = 4/14, p(f1) = (3 - 1)^2 / 2 / 14 = 2/14
    expect_between(
        CHAPTER,
        glued,
        "ctx_p_e3",
        4 / 14 - 1e-12,
        4 / 14 + 1e-12,
        "Born rule for the default state",
    )
    expect_between(
        CHAPTER,
        glued,
        "ctx_p_f1",
        2 / 14 - 1e-12,
        2 / 14 + 1e-12,
        "Born rule for the default state",
    )


def test_hinge_frequencies_agree_across_contexts(glued):
    # Each z is a difference of two independent binomial frequencies divided by
    # its standard error; two such tests.
    c = bonferroni_z(2)
    for name in ["ctx_hinge_z_e3", "ctx_hinge_z_f1"]:
        expect_between(
            CHAPTER,
            glued,
            name,
            -c,
            c,
            f"N(0, 1) under the hinge theorem, |z| <= {c:.2f}",
        )


def test_born_frequencies_match_probabilities(glued):
    m = int(glued["ctx_n_born_tests"])
    c = bonferroni_z(m)
    expect_between(
        CHAPTER,
        glued,
        "ctx_born_max_abs_z",
        0.0,
        c,
        f"max of {m} binomial z-scores, Bonferroni bound {c:.2f}",
    )


def test_kochen_specker_counts(glued):
    expect_between(CHAPTER, glued, "ctx_fig1_rays", 7, 7, "3 contexts, 2 hinges")
    expect_between(
        CHAPTER,
        glued,
        "ctx_fig1_measures",
        8,
        8,
        "hand count in the chapter's last exercise: 2 + 6",
    )
    expect_between(CHAPTER, glued, "ctx_peres_rays", 33, 33, "Peres (1991)")
    expect_between(CHAPTER, glued, "ctx_peres_triads", 16, 16, "Peres (1991)")
    expect_between(
        CHAPTER,
        glued,
        "ctx_peres_orthogonal_pairs",
        72,
        72,
        "48 pairs inside the 16 triads plus 24 more",
    )
    expect_between(
        CHAPTER,
        glued,
        "ctx_peres_measures",
        0,
        0,
        "Kochen-Specker: no two-valued measure on Peres' rays",
    )


def test_token_scheme_equals_softmax(glued):
    expect_between(
        CHAPTER,
        glued,
        "ctx_token_max_prob_diff",
        0.0,
        1e-12,
        "theorem: Born probabilities of a(z, T) are softmax_T(z)",
    )
    expect_between(
        CHAPTER,
        glued,
        "ctx_same_seed_mismatches",
        0,
        0,
        "same sampler and seed; probabilities differ by ~1e-16, so a "
        "draw lands in a rounding gap with probability ~1e-15",
    )


def test_token_frequencies_match_softmax(glued):
    m = int(glued["ctx_n_token_tests"])
    expect_between(
        CHAPTER,
        glued,
        "ctx_token_min_binom_p",
        LEVEL / m,
        1.0,
        f"smallest of {m} exact binomial p-values, Bonferroni",
    )
    k = int(glued["ctx_n_chi2_tests"])
    expect_between(
        CHAPTER,
        glued,
        "ctx_token_min_chi2_p",
        LEVEL / k,
        1.0,
        f"smallest of {k} chi-square p-values, Bonferroni",
    )


def test_fourier_interference(glued):
    p0 = float(glued["ctx_fourier_p0_formula"])
    expect_between(
        CHAPTER,
        glued,
        "ctx_fourier_p0",
        p0 - 1e-12,
        p0 + 1e-12,
        "zero phases: p_0 = (sum_j sqrt p_j)^2 / V",
    )
    expect_between(
        CHAPTER,
        glued,
        "ctx_fourier_p0",
        float(glued["ctx_fourier_uniform"]) + 1e-9,
        1.0,
        "interference piles probability onto k = 0 "
        "(Cauchy-Schwarz, strict for non-uniform p)",
    )
    expect_between(
        CHAPTER,
        glued,
        "ctx_fourier_classical_dev",
        0.0,
        1e-12,
        "|w_kj|^2 = 1/V: the classical mixture is uniform",
    )
    # V outcomes, phase average against the classical mixture, standard error
    # sqrt((1 - sum p^2) / R) / V from the variance over uniform phases.
    c = bonferroni_z(int(glued["ctx_vocab_size"]))
    expect_between(
        CHAPTER,
        glued,
        "ctx_phase_max_abs_z",
        0.0,
        c,
        f"random phases average the interference away, |z| <= {c:.2f}",
    )


def test_temperature_is_not_unitary(glued):
    expect_between(
        CHAPTER,
        glued,
        "ctx_overlap_spread",
        1e-3,
        2.0,
        "overlaps of encoded states change with T",
    )
