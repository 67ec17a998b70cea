"""Tests of semconc.hinge: the planted model, the estimators, the diagnostics and
the falsification test.

Tolerances come from the model's own scales: angles from the delta-method
formula of the mean estimator, dimensions from the participation ratio of an
isotropic sample, sizes of tests from the binomial standard error of a
rejection rate.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from semconc import effective_dimension
from semconc.hinge import (
    HingeFit,
    _group_dim,
    _variance_pr,
    bootstrap_contexts,
    carrier_projection,
    cluster_senses,
    fit_hinge,
    hinge_alignment,
    hinge_bootstrap,
    hinge_share,
    hinge_test,
    isotropic_dimension,
    planted_hinge,
    sense_angles,
    sense_decodability,
    sense_dimensions,
)


def angle(u, v):
    c = abs(float(u @ v)) / np.linalg.norm(u) / np.linalg.norm(v)
    return float(np.degrees(np.arccos(min(1.0, c))))


# --------------------------------------------------------------------------
# The planted model
# --------------------------------------------------------------------------


def test_planted_shapes_and_ground_truth():
    X, labels, truth = planted_hinge([3, 4, 5], 12, n_senses=3, sense_dim=[1, 2, 3])
    assert X.shape == (12, 12)
    assert np.bincount(labels).tolist() == [3, 4, 5]
    assert np.isclose(np.linalg.norm(truth.hinge), 1.0)
    for k, B in truth.sense_bases.items():
        assert B.shape == ([1, 2, 3][k], 12)
        np.testing.assert_allclose(B @ B.T, np.eye(B.shape[0]), atol=1e-12)
        np.testing.assert_allclose(B @ truth.hinge, 0.0, atol=1e-12)
        # The sense offset lies in its subspace and has the requested length.
        c = truth.sense_centroids[k]
        np.testing.assert_allclose(c, (c @ B.T) @ B, atol=1e-12)
        assert np.isclose(np.linalg.norm(c), 0.5)
    assert truth.orthogonal_senses
    B = np.vstack(list(truth.sense_bases.values()))
    np.testing.assert_allclose(B @ B.T, np.eye(6), atol=1e-12)


def test_planted_without_noise_is_exactly_the_model():
    X, labels, truth = planted_hinge(20, 10, n_senses=2, noise=0.0, seed=3)
    for k, B in truth.sense_bases.items():
        R = X[labels == k] - np.outer(truth.coefficients[labels == k], truth.hinge)
        # Residual after the hinge lies in the sense subspace exactly.
        np.testing.assert_allclose(R, (R @ B.T) @ B, atol=1e-12)


def test_planted_moments():
    # Mean load hinge_strength and rms noise length: averages over 20,000 rows
    # have standard errors below 0.002 (load sd 0.1) and 0.01 respectively.
    X, labels, truth = planted_hinge(
        10_000, 30, sense_shift=0.0, sense_spread=0.0, noise=0.5, seed=0
    )
    assert abs(truth.coefficients.mean() - 1.0) < 0.01
    resid = X - np.outer(truth.coefficients, truth.hinge)
    assert abs(np.sqrt(np.mean(np.sum(resid**2, axis=1))) - 0.5) < 0.01


def test_planted_is_reproducible_and_random_subspaces_when_too_large():
    a = planted_hinge(4, 8, seed=1)[0]
    b = planted_hinge(4, 8, seed=1)[0]
    np.testing.assert_array_equal(a, b)
    _, _, truth = planted_hinge(4, 8, n_senses=2, sense_dim=7, seed=1)
    assert not truth.orthogonal_senses


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"d": 2}, ValueError, r"d must be an integer >= 3, got 2"),
        ({"n_senses": 0}, ValueError, r"n_senses must be an integer >= 1"),
        ({"sense_dim": 10}, ValueError, r"sense_dim must be an integer in \[1, 9\]"),
        ({"sense_dim": [1, 2, 3]}, ValueError, r"sense_dim must be .* n_senses=2"),
        ({"hinge_strength": -1.0}, ValueError, r"hinge_strength must be"),
        ({"noise": float("nan")}, ValueError, r"noise must be a finite number"),
        ({"sense_spread": "big"}, TypeError, r"sense_spread must be a real number"),
        ({"orthogonal_senses": 1}, TypeError, r"orthogonal_senses must be None or"),
        (
            {"sense_dim": 6, "orthogonal_senses": True},
            ValueError,
            r"orthogonal_senses=True needs sum\(sense_dim\) <= d - 1 = 9, got 12",
        ),
        ({"seed": -1}, ValueError, r"seed must be an integer >= 0"),
    ],
)
def test_planted_validation(kwargs, exc, match):
    args = {"n_per_sense": 5, "d": 10} | kwargs
    with pytest.raises(exc, match=match):
        planted_hinge(**args)


# --------------------------------------------------------------------------
# Estimators
# --------------------------------------------------------------------------


def test_mean_hinge_tilt_matches_theory():
    # With orthogonal senses the population mean is a h + mean offset, so the
    # mean estimator is tilted by atan(|c_bar| / a). At n = 2000 per sense the
    # sampling error of the angle is ~sqrt(0.3 / 4000) rad ~ 0.5 deg; allow 1.5.
    X, labels, truth = planted_hinge(2000, 30, n_senses=3, seed=4)
    tilt = np.degrees(np.arctan(np.linalg.norm(truth.mean_offset)))
    est = angle(fit_hinge(X, labels).hinge, truth.hinge)
    assert abs(est - tilt) < 1.5


@pytest.mark.parametrize("n_senses", [2, 3, 4])
def test_intersection_recovers_hinge_and_sense_dims(n_senses):
    dims = [1, 2, 3, 2][:n_senses]
    X, labels, truth = planted_hinge(80, 40, n_senses=n_senses, sense_dim=dims, seed=5)
    fit = fit_hinge(X, labels, method="intersection")
    # Error of order noise / sqrt(n) / a ~ 0.2 / sqrt(80) rad ~ 1.3 deg.
    assert angle(fit.hinge, truth.hinge) < 4.0
    assert fit.sense_ranks == dict(enumerate(dims))
    assert 0.9 < fit.sharing <= 1.0 + 1e-12
    for k, B in fit.sense_subspaces.items():
        np.testing.assert_allclose(B @ B.T, np.eye(B.shape[0]), atol=1e-10)
        np.testing.assert_allclose(B @ fit.hinge, 0.0, atol=1e-10)
        # Largest principal angle to the planted subspace: small.
        cos = np.linalg.svd(B @ truth.sense_bases[k].T, compute_uv=False)
        assert np.degrees(np.arccos(min(1.0, cos.min()))) < 10.0


def test_hinge_is_oriented_along_mean_and_carrier_is_projector():
    X, labels, truth = planted_hinge(30, 20, seed=6)
    for method in ["mean", "svd", "intersection"]:
        fit = fit_hinge(X, labels, method=method)
        assert fit.hinge @ X.mean(axis=0) > 0
        P = fit.carrier
        np.testing.assert_allclose(P @ P, P, atol=1e-12)
        np.testing.assert_allclose(P @ fit.hinge, 0.0, atol=1e-12)
        np.testing.assert_allclose(fit.project_carrier(X), X @ P, atol=1e-12)
        np.testing.assert_allclose(fit.coefficients, X @ fit.hinge)


def test_strong_offsets_tilt_mean_and_svd_but_not_intersection():
    # Offsets of length 2 against a hinge of 1: the population mean (and the top
    # singular vector, which it dominates) is tilted by atan(|c_bar|) = atan(sqrt 2)
    # = 54.7 deg. The intersection estimator needs the load to vary (jitter 0.3)
    # so that each sense's span contains h; its error is then ~ a few degrees at
    # n = 200 (sd of the load 0.3, spread 0.3).
    X, labels, truth = planted_hinge(
        200,
        30,
        sense_dim=1,
        sense_shift=2.0,
        sense_spread=0.3,
        hinge_jitter=0.3,
        seed=7,
    )
    tilt = np.degrees(np.arctan(np.linalg.norm(truth.mean_offset)))
    for method in ["mean", "svd"]:
        est = angle(fit_hinge(X, labels, method=method).hinge, truth.hinge)
        assert abs(est - tilt) < 1.5
    inter = angle(fit_hinge(X, labels, method="intersection").hinge, truth.hinge)
    assert inter < 4.0


def test_fit_rank_and_energy_rules():
    X, labels, _ = planted_hinge(50, 20, sense_dim=3, noise=0.0, seed=8)
    assert fit_hinge(X, labels, rank=1).sense_ranks == {0: 1, 1: 1}
    ranks = fit_hinge(X, labels, method="intersection", rank=2).sense_ranks
    assert ranks == {0: 2, 1: 2}
    assert set(fit_hinge(X, labels, energy=1.0).sense_ranks.values()) <= {3, 4}
    assert fit_hinge(X).sense_subspaces == {}


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"method": "median"}, ValueError, r"method must be one of 'mean', 'svd'"),
        ({"rank": 0}, ValueError, r"rank must be an integer >= 1, got 0"),
        ({"energy": 0.0}, ValueError, r"energy must be a finite number in \(0, 1\]"),
        ({"labels": [0, 1]}, ValueError, r"labels must be 1-D with one entry per row"),
        (
            {"labels": None, "method": "intersection"},
            ValueError,
            r"method='intersection' needs labels with at least 2 senses, got 0",
        ),
    ],
)
def test_fit_validation(kwargs, exc, match):
    X, labels, _ = planted_hinge(5, 6, seed=0)
    args = {"labels": labels} | kwargs
    with pytest.raises(exc, match=match):
        fit_hinge(X, **args)


def test_fit_rejects_bad_matrix():
    with pytest.raises(ValueError, match=r"X must be 2-D"):
        fit_hinge(np.ones(5))
    with pytest.raises(ValueError, match=r"mean direction is zero"):
        fit_hinge(np.array([[1.0, 0.0], [-1.0, 0.0]]))


def test_carrier_projection_validation():
    with pytest.raises(ValueError, match=r"hinge must have length d = 3"):
        carrier_projection(np.ones((2, 3)), [1.0, 0.0])
    with pytest.raises(ValueError, match=r"hinge must be a finite, non-zero"):
        carrier_projection(np.ones((2, 2)), [0.0, 0.0])


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(2, 12),
    d=st.integers(2, 9),
    seed=st.integers(0, 10_000),
)
def test_carrier_projection_properties(n, d, seed):
    rng = np.random.default_rng(seed)
    X, h = rng.standard_normal((n, d)), rng.standard_normal(d)
    Y = carrier_projection(X, h)
    np.testing.assert_allclose(Y @ h, 0.0, atol=1e-9 * (1 + np.abs(X).max()))
    np.testing.assert_allclose(carrier_projection(Y, h), Y, atol=1e-12)
    # Pythagoras: energy splits into hinge and carrier parts.
    share = hinge_share(X, h)
    hh = h / np.linalg.norm(h)
    assert np.isclose(share, np.sum((X @ hh) ** 2) / np.sum(X**2))
    assert -1e-12 <= share <= 1 + 1e-12


def test_cluster_senses_recovers_planted_subspaces():
    from scipy.optimize import linear_sum_assignment

    X, labels, _ = planted_hinge(40, 40, n_senses=3, sense_shift=0.0, seed=9)
    found = cluster_senses(X, 3, seed=0)
    # Accuracy under the best matching of clusters to senses (chance ~ 1/3).
    table = np.zeros((3, 3), dtype=int)
    np.add.at(table, (labels, found), 1)
    rows, cols = linear_sum_assignment(-table)
    assert table[rows, cols].sum() / len(labels) > 0.95
    with pytest.raises(ValueError, match=r"n_senses must be an integer in \[1, 120\]"):
        cluster_senses(X, 121)
    with pytest.raises(ValueError, match=r"power must be a finite number in \(0"):
        cluster_senses(X, 3, power=0.0)


# --------------------------------------------------------------------------
# Diagnostics
# --------------------------------------------------------------------------


def test_bootstrap_angles_match_delta_method():
    # E theta^2 ~ tr(P Sigma P) / (n |mu|^2) for the unlabelled mean estimator.
    # With 400 replicates the rms angle has a relative Monte Carlo error of
    # ~1/sqrt(2 * 400) ~ 3.5 %; the delta method itself is accurate to O(1/n).
    X, _, _ = planted_hinge(200, 20, n_senses=2, seed=10)
    mu = X.mean(axis=0)
    P = np.eye(20) - np.outer(mu, mu) / (mu @ mu)
    Sigma = np.cov(X.T, bias=True)
    theory = np.degrees(np.sqrt(np.trace(P @ Sigma @ P) / (X.shape[0] * (mu @ mu))))
    angles = hinge_bootstrap(X, n_bootstrap=400, seed=0)
    rms = float(np.sqrt(np.mean(angles**2)))
    assert abs(rms / theory - 1) < 0.15
    assert angles.min() >= 0 and angles.max() <= 90


def test_bootstrap_contexts_resamples_within_senses():
    X, labels, _ = planted_hinge([5, 9], 6, seed=0)
    counts = bootstrap_contexts(
        X, labels, lambda Xb, lb: np.bincount(lb), n_bootstrap=20, seed=0
    )
    assert counts.shape == (20, 2)
    assert np.all(counts == [5, 9])
    with pytest.raises(TypeError, match=r"statistic must be callable"):
        bootstrap_contexts(X, labels, 3)
    with pytest.raises(ValueError, match=r"n_bootstrap must be an integer >= 1"):
        bootstrap_contexts(X, labels, np.mean, n_bootstrap=0)


def test_hinge_share_matches_planted_energy():
    # Energy share = E a^2 / (E a^2 + |offset|^2 + spread^2 + noise^2 (d-1)/d);
    # at 10,000 rows the standard error is below 0.003.
    X, _, truth = planted_hinge(5000, 20, seed=11)
    Ea2 = 1.0 + 0.1**2
    expect = (Ea2 + 0.2**2 / 20) / (Ea2 + 0.5**2 + 0.5**2 + 0.2**2)
    assert abs(hinge_share(X, truth.hinge) - expect) < 0.01
    with pytest.raises(ValueError, match=r"X must not be all zero"):
        hinge_share(np.ones((3, 2)), [1.0, 0.0], center=True)


def test_sense_dimensions_low_and_isotropic():
    # A 2-dimensional sense without noise has d_eff ~ 2 (sample of 300);
    # an isotropic sense in the 29-dimensional carrier matches the formula
    # n D / (n + D - 1) with n = 299 (centred) to within 5 %.
    X, labels, truth = planted_hinge(300, 30, sense_dim=2, noise=0.0, seed=12)
    for v in sense_dimensions(X, labels, truth.hinge).values():
        assert 1.9 < v <= 2.0 + 1e-9
    X, labels, truth = planted_hinge(
        300, 30, sense_dim=29, sense_shift=0.0, noise=0.0, seed=12
    )
    for weighting in ["direction", "variance"]:
        ref = isotropic_dimension(299, 29, weighting=weighting)
        dims = sense_dimensions(X, labels, truth.hinge, weighting=weighting)
        for v in dims.values():
            assert abs(v / ref - 1) < 0.05


def test_isotropic_dimension_by_simulation():
    # Mean over 3000 samples; the participation ratio's sd is < 1, so the
    # standard error is < 0.02; the formula is a ratio of expectations with
    # relative error O(1/(nD)) ~ 0.5 %.
    rng = np.random.default_rng(0)
    n, D = 12, 15
    direc = [effective_dimension(rng.standard_normal((n, D))) for _ in range(3000)]
    var = [_variance_pr(rng.standard_normal((n, D))) for _ in range(3000)]
    assert abs(np.mean(direc) - isotropic_dimension(n, D)) < 0.1
    assert abs(np.mean(var) - isotropic_dimension(n, D, weighting="variance")) < 0.1
    with pytest.raises(ValueError, match=r"weighting must be one of"):
        isotropic_dimension(3, 3, weighting="energy")


def test_group_dim_matches_direct_computation():
    rng = np.random.default_rng(1)
    Y = rng.standard_normal((20, 7))
    idx = np.array([rng.permutation(20)[:6] for _ in range(4)])
    fast = _group_dim(Y @ Y.T, idx)
    for b in range(4):
        assert np.isclose(fast[b], _variance_pr(Y[idx[b]]))


def test_sense_angles_of_planted_subspaces():
    # Orthogonal planted senses: every principal angle near 90 deg; identical
    # subspaces (the same data twice): all angles 0.
    X, labels, _ = planted_hinge(200, 30, n_senses=3, seed=13)
    ang = sense_angles(fit_hinge(X, labels, method="intersection"))
    assert set(ang) == {(0, 1), (0, 2), (1, 2)}
    for a in ang.values():
        assert a.min() > 75 and np.all(np.diff(a) >= 0)
    same = fit_hinge(np.vstack([X, X]), np.r_[labels, labels + 3], method="mean")
    np.testing.assert_allclose(sense_angles(same)[(0, 3)], 0.0, atol=1e-5)
    with pytest.raises(TypeError, match=r"fit must be a HingeFit"):
        sense_angles(X)


def test_probe_carrier_beats_hinge_and_shuffled_is_chance():
    # Planted: sense lives in the carrier, the load is independent of it.
    X, labels, _ = planted_hinge(100, 20, seed=14)
    carrier = sense_decodability(X, labels)
    hinge = sense_decodability(X, labels, features="hinge")
    assert carrier.accuracy > 0.8
    # Hinge-only accuracy: chance 0.5 +- 3 binomial SE (0.035 at n = 200).
    assert abs(hinge.accuracy - 0.5) < 3 * 0.036
    assert carrier.chance == 0.5
    assert np.isclose(
        carrier.se, np.sqrt(carrier.accuracy * (1 - carrier.accuracy) / 200)
    )


def test_probe_matches_direct_ridge_solution():
    # The dual (kernel) smoother equals the primal ridge fit with intercept.
    rng = np.random.default_rng(2)
    F = rng.standard_normal((30, 4))
    codes = rng.integers(0, 3, 30)
    from semconc.hinge import _probe_accuracy, _probe_smoothers

    folds = [np.arange(0, 30, 3), np.arange(1, 30, 3), np.arange(2, 30, 3)]
    sm = _probe_smoothers(F, folds, 0.5)
    Y = np.eye(3)[codes]
    hits = 0
    for test in folds:
        train = np.setdiff1d(np.arange(30), test)
        mu, ybar = F[train].mean(0), Y[train].mean(0)
        Fc = F[train] - mu
        lam = 0.5 * np.trace(Fc @ Fc.T) / len(train)
        W = np.linalg.solve(Fc.T @ Fc + lam * np.eye(4), Fc.T @ (Y[train] - ybar))
        pred = ((F[test] - mu) @ W + ybar).argmax(1)
        hits += np.sum(pred == codes[test])
    assert _probe_accuracy(sm, codes, 3) == hits / 30


def test_probe_validation():
    X, labels, _ = planted_hinge(5, 6, seed=0)
    with pytest.raises(ValueError, match=r"features must be one of 'carrier'"):
        sense_decodability(X, labels, features="all")
    with pytest.raises(ValueError, match=r"n_folds must be an integer in \[2, 10\]"):
        sense_decodability(X, labels, n_folds=11)
    with pytest.raises(ValueError, match=r"ridge must be a finite number in \(0"):
        sense_decodability(X, labels, ridge=0.0)


# --------------------------------------------------------------------------
# The falsification test
# --------------------------------------------------------------------------


def test_alignment_theory():
    # Two orthogonal senses with offsets 0.5 and hinge 1: A = 1/(1 + 0.25) = 0.8;
    # with 5000 contexts per sense the centroid errors are ~0.01 in length.
    X, labels, _ = planted_hinge(5000, 30, seed=15)
    assert abs(hinge_alignment(X, labels) - 0.8) < 0.02
    X0, labels0, _ = planted_hinge(5000, 30, hinge_strength=0.0, seed=15)
    assert abs(hinge_alignment(X0, labels0)) < 0.05
    with pytest.raises(ValueError, match=r"at least 2 senses, got 1"):
        hinge_alignment(X, np.zeros(len(labels)))


def test_hinge_test_accepts_planted_and_rejects_nulls():
    kw = {"n_permutations": 99, "n_bootstrap": 99, "seed": 0}
    X, labels, _ = planted_hinge(25, 40, n_senses=3, seed=16)
    res = hinge_test(X, labels, **kw)
    assert res.holds and res.p_value == 0.01
    assert res.accuracy_excess > 0.3 and res.dimension_ratio < 1
    assert res.alignment_ci[0] <= res.alignment <= res.alignment_ci[1]
    # No hinge: component 1 fails.
    X, labels, _ = planted_hinge(25, 40, n_senses=3, hinge_strength=0.0, seed=16)
    res = hinge_test(X, labels, **kw)
    assert not res.holds and res.p_hinge > 0.05
    # Senses fill the carrier: component 3 fails.
    X, labels, _ = planted_hinge(25, 40, n_senses=3, sense_dim=39, seed=16)
    res = hinge_test(X, labels, **kw)
    assert not res.holds and res.p_lowdim > 0.05
    # Shuffled labels: the two permutation components fail.
    X, labels, _ = planted_hinge(25, 40, n_senses=3, seed=16)
    shuffled = np.random.default_rng(0).permutation(labels)
    res = hinge_test(X, shuffled, **kw)
    assert not res.holds and res.p_carrier > 0.05


def test_permutation_components_have_size_alpha():
    # Under shuffled labels p_carrier and p_lowdim are exact permutation
    # p-values, and so is p_lowdim when every sense fills the carrier
    # isotropically: P(p <= 0.05) = 1/20 with 19 shuffles (p takes values k/20).
    # Over 300 data sets a rejection rate has SE sqrt(.05 * .95 / 300) = 0.0126;
    # accept within 3 SE.
    rates = np.zeros(3)
    trials = 300
    for s in range(trials):
        X, labels, _ = planted_hinge(6, 10, n_senses=2, seed=s)
        labels = np.random.default_rng(s).permutation(labels)
        r = hinge_test(X, labels, n_permutations=19, n_bootstrap=1, seed=s)
        X, labels, _ = planted_hinge(6, 10, n_senses=2, sense_dim=9, seed=s)
        iso = hinge_test(X, labels, n_permutations=19, n_bootstrap=1, seed=s)
        rates += [r.p_carrier <= 0.05, r.p_lowdim <= 0.05, iso.p_lowdim <= 0.05]
    rates /= trials
    se = np.sqrt(0.05 * 0.95 / trials)
    assert np.all(np.abs(rates - 0.05) < 3 * se), rates


def test_hinge_test_validation():
    X, labels, _ = planted_hinge(5, 6, seed=0)
    with pytest.raises(ValueError, match=r"at least 4 contexts, got 3 for sense 1"):
        hinge_test(X[:8], labels[:8])
    with pytest.raises(ValueError, match=r"X must have at least 8 rows"):
        hinge_test(X[:7], labels[:7])
    with pytest.raises(ValueError, match=r"at least 2 senses, got 1"):
        hinge_test(X, np.zeros(10))
    with pytest.raises(ValueError, match=r"alpha must be a finite number in \(0, 1\)"):
        hinge_test(X, labels, alpha=1.0)
    with pytest.raises(ValueError, match=r"hinge_margin must be a finite number"):
        hinge_test(X, labels, hinge_margin=1.0)
    with pytest.raises(ValueError, match=r"n_permutations must be an integer >= 1"):
        hinge_test(X, labels, n_permutations=0)


def test_result_types():
    X, labels, _ = planted_hinge(5, 6, seed=0)
    assert isinstance(fit_hinge(X, labels), HingeFit)
    r = hinge_test(X, labels, n_permutations=9, n_bootstrap=9, seed=0)
    assert r.null_accuracy.shape == (9,) and r.null_alignment.shape == (9,)
    assert 0 < r.p_value <= 1 and isinstance(r.holds, bool)


def test_intersection_with_a_direction_common_to_all_senses():
    # Every sense also varies along one common carrier direction u (zero mean):
    # span(h, u) lies in every sense's span, the spans alone do not single out
    # h, and the estimator falls back to the mean's direction inside that
    # common subspace, which removes the tilt by the (orthogonal) offsets.
    X, labels, truth = planted_hinge(200, 30, n_senses=2, seed=17)
    rng = np.random.default_rng(17)
    used = np.vstack([truth.hinge, *truth.sense_bases.values()])
    u = rng.standard_normal(30)
    u -= used.T @ (used @ u)
    u /= np.linalg.norm(u)
    X = X + np.outer(0.5 * rng.standard_normal(len(X)), u)
    fit = fit_hinge(X, labels, method="intersection")
    assert fit.sharing > 0.95
    assert angle(fit.hinge, truth.hinge) < 4.0
    assert angle(fit_hinge(X, labels).hinge, truth.hinge) > 10.0  # mean is tilted
