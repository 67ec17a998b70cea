"""Regression test of the chapter *Hinges in a real model*.

The chapter runs MiniLM on sense-labelled sentences; at smoke size it embeds
two words at two layers. Where theory exists (the isotropic participation
ratio, counts that follow from the parameters) the check is exact; otherwise
it holds the chapter to the measurements it reports (the river-money cosine
of "bank", a hinge above unrelated senses, a sense readable from the
carrier), with ranges stated in each test.
"""

from __future__ import annotations

import pytest
from chapters import expect_between, run_chapter

import semconc

SMOKE = {
    "words": ["bank", "crane"],
    "max_per_sense": 8,
    "layers": [0, 6],
    "n_bootstrap": 20,
    "n_permutations": 39,
}
CHAPTER = "hinge_real"
N_CELLS = len(SMOKE["words"]) * len(SMOKE["layers"])


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def test_counts_follow_parameters(glued):
    # Every sense of these words has at least 8 contexts, so each is capped.
    expect_between(CHAPTER, glued, "rh_n_words", 2, 2, "two words")
    expect_between(CHAPTER, glued, "rh_n_contexts", 32, 32, "4 senses x 8")
    expect_between(CHAPTER, glued, "rh_max_per_sense", 8, 8, "cap")
    expect_between(CHAPTER, glued, "rh_n_cells", N_CELLS, N_CELLS, "words x layers")
    expect_between(CHAPTER, glued, "rh_last_layer", 6, 6, "last layer asked")


def test_bank_cosines(glued):
    # Measured for the project's sentences: the last-layer cosine of "bank"
    # between a river and a money context is about 0.76 (0.763 over all
    # 16 x 16 pairs at the book size); 8 x 8 pairs at smoke size move the mean
    # by a few hundredths. Same-sense pairs are more similar, but not much.
    cross = expect_between(CHAPTER, glued, "rh_bank_cross", 0.68, 0.84, "~0.76")
    within = expect_between(CHAPTER, glued, "rh_bank_within", cross, 0.95, "> cross")
    assert within - cross < 0.2


def test_hinge_is_token_specific(glued):
    # Each word's senses align far more than unrelated senses (book size: at
    # least 0.88 against at most 0.46 at the 95 % quantile).
    a_min = expect_between(CHAPTER, glued, "rh_A_min", 0.7, 1.0, "stored ~0.88")
    assert a_min > float(glued["rh_unrelated_max"])
    expect_between(CHAPTER, glued, "rh_hinge_pass", N_CELLS, N_CELLS, "every cell")
    expect_between(CHAPTER, glued, "rh_sharing_min", 0.9, 1.0, "h in every span")
    expect_between(CHAPTER, glued, "rh_share_min", 0.5, 1.0, "hinge carries energy")


def test_sense_in_carrier_not_on_hinge(glued):
    # After the embedding layer the carrier probe beats shuffled labels in
    # every cell at the book size; at the last layer its accuracy is far above
    # chance (0.5 for two senses) while the hinge load alone is near chance.
    cells = int(glued["rh_probe_cells_ctx"])
    expect_between(CHAPTER, glued, "rh_probe_pass_ctx", cells, cells, "every cell")
    expect_between(CHAPTER, glued, "rh_probe_carrier_last", 0.75, 1.0, "readable")
    expect_between(CHAPTER, glued, "rh_probe_hinge_last", 0.0, 0.75, "near chance")
    # chance is the share of the largest sense: 1/2 for two capped senses each
    expect_between(CHAPTER, glued, "rh_probe_chance_last", 0.5, 0.5, "two equal senses")


def test_sense_dimensions_against_isotropic_reference(glued):
    # Lemma lem-hm-isotropic, exactly: 7 centred contexts in the 383-dim
    # carrier. Real senses stay below it.
    ref = semconc.isotropic_dimension(7, 383)
    expect_between(CHAPTER, glued, "rh_deff_iso", ref - 1e-9, ref + 1e-9, "nD/(n+D-1)")
    expect_between(CHAPTER, glued, "rh_deff_max", 1.0, ref, "below isotropic")


def test_unsupervised_senses_are_hard(glued):
    # Measured: spectral clustering of last-layer carrier directions does not
    # recover the senses (book size: adjusted Rand index at most 0.1, weakest
    # for "crane"); an index of 0.6 would be a qualitative change.
    expect_between(CHAPTER, glued, "rh_ari_best", -0.5, 0.6, "no clusters")


def test_verdict_is_consistent(glued):
    holds = int(glued["rh_holds"])
    assert holds <= int(glued["rh_lowdim_pass"])
    assert int(glued["rh_weak_holds"]) <= int(glued["rh_probe_cells_ctx"])
    assert glued["rh_lowdim_compare"] in {"more often", "not more often"}
    assert (glued["rh_holds_words"] == "none") == (holds == 0)
    weak = int(glued["rh_weak_holds"])
    expect_between(CHAPTER, glued, "rh_weak_not_lowdim", 0, weak, "subset of weak")
    cells = int(glued["rh_probe_cells_ctx"])
    expect_between(CHAPTER, glued, "rh_hinge_pass_ctx", 0, cells, "cells after 0")
    expect_between(CHAPTER, glued, "rh_glove_r2_min", 0.0, 1.0, "an R^2")
    expect_between(CHAPTER, glued, "rh_glove_r2_max", 0.0, 1.0, "an R^2")
