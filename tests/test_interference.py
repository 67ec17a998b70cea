"""Tests of the interference engine and the structure helpers.

Monte Carlo checks use fixed seeds and tolerances of a stated number of
standard errors; exact identities are checked against brute-force
enumeration on small pools.
"""

from __future__ import annotations

import itertools
import math
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import semconc
from semconc import interference as itf
from semconc.interference import (
    anisotropic_directions,
    average_interference_variance,
    clustered_directions,
    effective_dimension,
    fit_scaling_exponent,
    interference_errors,
    interference_lower_bound,
    interference_std,
    simulate_interference,
    tight_frame,
    worst_case_interference,
)

LAWS = ["sign", "uniform", "gaussian"]
# Mean and second moment of each amplitude law, written out independently.
MOMENTS = {"sign": (0.0, 1.0), "uniform": (0.5, 1 / 3), "gaussian": (0.0, 1.0)}


def traced_peak(run):
    """Peak of the allocations ``tracemalloc`` traces while ``run()`` runs, in bytes."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --------------------------------------------------------------------------
# brute-force references


def brute_pool_variance(U, k, law, *, inactive=False):
    """Var of the readout error by enumerating every active set of a small pool."""
    m1, m2 = MOMENTS[law]
    U = U / np.linalg.norm(U, axis=1, keepdims=True)
    G = U @ U.T
    n = len(U)
    first, second, count = 0.0, 0.0, 0
    for S in itertools.combinations(range(n), k):
        targets = [i for i in range(n) if i not in S] if inactive else S
        for i in targets:
            g = np.array([G[i, j] for j in S if j != i])
            first += m1 * g.sum()
            second += m2 * (g * g).sum() + m1 * m1 * (g.sum() ** 2 - (g * g).sum())
            count += 1
    mean = first / count
    return second / count - mean * mean


def brute_worst_case(U, k):
    U = U / np.linalg.norm(U, axis=1, keepdims=True)
    G = U @ U.T
    n = len(U)
    worst = 0.0
    for i in range(n):
        others = [j for j in range(n) if j != i]
        for S in itertools.combinations(others, k - 1):
            for signs in itertools.product([-1.0, 1.0], repeat=k - 1):
                e = sum(s * G[i, j] for s, j in zip(signs, S, strict=True))
                worst = max(worst, abs(e))
    return worst


# --------------------------------------------------------------------------
# validation


@pytest.mark.parametrize(
    ("kwargs", "exc", "fragment"),
    [
        ({"directions_or_d": 1}, ValueError, "directions_or_d must be an integer >= 2"),
        ({"directions_or_d": True}, TypeError, "directions_or_d"),
        ({"directions_or_d": 2.5}, TypeError, "directions_or_d"),
        ({"directions_or_d": np.ones(3)}, ValueError, "directions_or_d must be 2-D"),
        ({"k": 0}, ValueError, "k must be an integer >= 1, got 0"),
        ({"k": 2.0}, TypeError, "k must be an integer"),
        ({"trials": 1}, ValueError, "trials must be an integer >= 2, got 1"),
        ({"amplitudes": "binary"}, ValueError, "amplitudes must be one of"),
        ({"method": "fast"}, ValueError, "method must be one of"),
        ({"readout": "all"}, ValueError, "readout must be 'active' for fresh"),
        ({"chunk": 0}, ValueError, "chunk must be an integer >= 1, got 0"),
        ({"dtype": "float16"}, ValueError, "dtype must be one of"),
        ({"seed": -1}, ValueError, "seed must be an integer >= 0, got -1"),
        ({"backend": "jax"}, ValueError, "backend must be one of"),
        ({"device": "cuda"}, ValueError, "device must be 'auto' or 'cpu'"),
        ({"theory": 1}, TypeError, "theory must be True or False"),
        ({"progress": "no"}, TypeError, "progress must be True or False"),
    ],
)
def test_simulate_validation(kwargs, exc, fragment):
    args = {"directions_or_d": 16, "k": 3, "trials": 10}
    args.update(kwargs)
    with pytest.raises(exc, match=fragment):
        simulate_interference(
            args.pop("directions_or_d"), args.pop("k"), args.pop("trials"), **args
        )


def test_pool_validation():
    U = np.eye(4)
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 4\], got 5"):
        simulate_interference(U, 5, 10)
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 3\], got 4"):
        simulate_interference(U, 4, 10, readout="all")
    with pytest.raises(ValueError, match="method must be 'auto' or 'vectors'"):
        simulate_interference(U, 2, 10, method="exact")
    with pytest.raises(ValueError, match="zero row at index 2"):
        simulate_interference(np.array([[1.0, 0], [0, 1], [0, 0]]), 2, 10)
    with pytest.raises(ValueError, match="at least 2 rows"):
        simulate_interference(np.ones((1, 3)), 1, 10)
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 4\], got 5"):
        interference_errors(U, 5, 10)


def test_helper_validation():
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 3\], got 4"):
        average_interference_variance(np.eye(3), 4)
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        interference_lower_bound(1, 3, 1)
    with pytest.raises(ValueError, match="amplitudes must be one of"):
        interference_lower_bound(5, 3, 2, amplitudes="x")
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 3\], got 4"):
        worst_case_interference(np.eye(3), 4)
    with pytest.raises(ValueError, match="no zero rows"):
        worst_case_interference(np.array([[1.0, 0.0], [0.0, 0.0]]), 2)
    with pytest.raises(ValueError, match="n must be an integer >= d = 5"):
        tight_frame(4, 5)
    with pytest.raises(ValueError, match="tol must be a finite number"):
        tight_frame(8, 4, tol=0.0)
    with pytest.raises(ValueError, match="spectrum must be a non-empty 1-D"):
        anisotropic_directions(5, [0.0, 0.0])
    with pytest.raises(ValueError, match="spectrum must lie in"):
        anisotropic_directions(5, [1.0, -1.0])
    with pytest.raises(ValueError, match=r"clusters must be an integer in \[1, 5\]"):
        clustered_directions(5, 3, 6, 0.1)
    with pytest.raises(ValueError, match="spread must be a finite number"):
        clustered_directions(5, 3, 2, -0.1)
    with pytest.raises(ValueError, match="x must hold at least two distinct"):
        fit_scaling_exponent([2, 2], [1, 1], [0.1, 0.1])
    with pytest.raises(ValueError, match="same length"):
        fit_scaling_exponent([1, 2], [1, 1, 1], [0.1, 0.1])
    with pytest.raises(ValueError, match="y_se must lie in"):
        fit_scaling_exponent([1, 2], [1, 1], [0.1, 0.0])


# --------------------------------------------------------------------------
# fresh uniform directions


@pytest.mark.parametrize("law", LAWS)
@pytest.mark.parametrize("method", ["exact", "vectors"])
def test_fresh_variance_matches_theorem(law, method):
    d, k = 24, 7
    trials = 60_000 if method == "exact" else 20_000
    res = simulate_interference(d, k, trials, amplitudes=law, method=method, seed=11)
    assert res.theory_variance == pytest.approx((k - 1) * MOMENTS[law][1] / d)
    assert res.d_eff == d and res.n is None and res.readouts == trials
    assert res.method == method
    # 4.5 standard errors: a two-sided test at level about 7e-6 per case.
    assert abs(res.z_score) < 4.5
    # Isotropic directions: the error has mean 0 for every amplitude law.
    assert abs(res.mean) < 4.5 * res.mean_se


@pytest.mark.parametrize("method", ["exact", "vectors"])
def test_single_overlap_follows_chapter_one_law(method):
    # k = 2 with random signs: e = +-t has exactly the law of the overlap t.
    d, n = 7, 40_000
    e = interference_errors(d, 2, n, method=method, seed=3)
    ks = stats.kstest(e, lambda t: semconc.overlap_cdf(np.clip(t, -1, 1), d))
    # Asymptotic Kolmogorov critical value at level 1e-4.
    assert ks.statistic < stats.kstwobign.isf(1e-4) / math.sqrt(n)


@pytest.mark.parametrize("law", ["sign", "uniform"])
def test_exact_and_vectors_methods_agree_in_law(law):
    # Small d keeps the law far from Gaussian, so the test has teeth.
    d, k, n = 5, 4, 30_000
    e1 = interference_errors(d, k, n, amplitudes=law, method="exact", seed=1)
    e2 = interference_errors(d, k, n, amplitudes=law, method="vectors", seed=2)
    ks = stats.ks_2samp(e1, e2)
    # Two-sample Kolmogorov critical value at level 1e-4: c(1e-4) sqrt(2 / n).
    assert ks.statistic < stats.kstwobign.isf(1e-4) * math.sqrt(2 / n)


@pytest.mark.parametrize("method", ["exact", "vectors"])
def test_fourth_moment_matches_theory(method):
    # Sign amplitudes: e = sum of k - 1 iid overlaps with E t^2 = 1/d,
    # E t^4 = 3 / (d (d + 2)), so E e^4 = (k-1) E t^4 + 3 (k-1)(k-2) / d^2.
    d, k, n = 6, 5, 60_000
    e = interference_errors(d, k, n, method=method, seed=5)
    m4 = (k - 1) * 3 / (d * (d + 2)) + 3 * (k - 1) * (k - 2) / d**2
    se = np.std(e**4) / math.sqrt(n)
    assert abs(np.mean(e**4) - m4) < 4.5 * se


def test_fresh_exact_is_fast_path_and_k1_has_no_error():
    res = simulate_interference(10, 1, 100, seed=0)
    assert res.sigma == 0.0 and res.variance == 0.0 and res.theory_sigma == 0.0


def test_same_seed_same_numbers_and_seed_matters():
    a = simulate_interference(32, 9, 5_000, seed=7)
    b = simulate_interference(32, 9, 5_000, seed=7)
    c = simulate_interference(32, 9, 5_000, seed=8)
    assert a == b
    assert a.sigma != c.sigma


def test_result_is_independent_of_trials_memory():
    # The chunk, not the number of trials, bounds the temporaries: the peak
    # of traced allocations grows by less than 20% when trials grow 8-fold
    # (the remainder is per-trial float64 statistics of one chunk).
    def peak(trials):
        return traced_peak(
            lambda: simulate_interference(
                64, 16, trials, method="vectors", chunk=256, seed=0
            )
        )

    small, large = peak(2_048), peak(16_384)
    assert large < 1.2 * small
    # One chunk of 256 x 16 x 64 float64 normals is 2 MB; allow a few copies.
    assert large < 8 * 256 * 16 * 64 * 8


def test_errors_and_summary_agree():
    e = interference_errors(20, 6, 3_000, amplitudes="gaussian", seed=4)
    res = simulate_interference(20, 6, 3_000, amplitudes="gaussian", seed=4)
    assert res.variance == pytest.approx(np.var(e, ddof=1), rel=1e-10)
    assert res.mean == pytest.approx(np.mean(e), abs=1e-12)


# --------------------------------------------------------------------------
# backends


def test_torch_cpu_float64_equals_numpy():
    pytest.importorskip("torch")
    for source in (32, np.random.default_rng(0).standard_normal((200, 16))):
        for law in LAWS:
            a = simulate_interference(
                source, 5, 3_000, amplitudes=law, seed=2, dtype="float64"
            )
            b = simulate_interference(
                source,
                5,
                3_000,
                amplitudes=law,
                seed=2,
                dtype="float64",
                backend="torch",
                device="cpu",
            )
            assert b.backend == "torch" and b.device == "cpu"
            assert b.sigma == pytest.approx(a.sigma, rel=1e-12)
            assert b.mean == pytest.approx(a.mean, rel=1e-9, abs=1e-14)


def test_torch_float32_agrees_within_float_tolerance():
    torch = pytest.importorskip("torch")
    U = np.random.default_rng(1).standard_normal((300, 24)).astype(np.float32)
    a = simulate_interference(U, 6, 2_000, seed=3, readout="all")
    b = simulate_interference(
        torch.from_numpy(U),
        6,
        2_000,
        seed=3,
        readout="all",
        backend="torch",
        device="cpu",
    )
    assert a.dtype == b.dtype == "float32"
    # float32 rounding of sums of about k d = 144 products: relative 1e-5.
    assert b.sigma == pytest.approx(a.sigma, rel=1e-5)
    assert b.leak_sigma == pytest.approx(a.leak_sigma, rel=1e-5)
    assert b.top_k_recovery == a.top_k_recovery
    c = simulate_interference(16, 4, 2_000, seed=3, method="vectors", dtype="float32")
    d = simulate_interference(
        16, 4, 2_000, seed=3, method="vectors", backend="torch", device="cpu"
    )
    assert d.sigma == pytest.approx(c.sigma, rel=1e-5)


# --------------------------------------------------------------------------
# fixed pool


@pytest.mark.parametrize("law", LAWS)
def test_pool_theory_equals_brute_force(law):
    U = np.random.default_rng(2).standard_normal((7, 3)) + 0.4  # a mean direction
    for k in (1, 2, 3, 5):
        exact = brute_pool_variance(U, k, law)
        assert average_interference_variance(U, k, amplitudes=law) == pytest.approx(
            exact, rel=1e-10, abs=1e-14
        )
    P = itf._prepare_pool(semconc._backend.get_backend(), U, theory=True, need_c2=True)
    m1, m2 = MOMENTS[law]
    assert itf._pool_theory(P, 3, m1, m2, inactive=True) == pytest.approx(
        brute_pool_variance(U, 3, law, inactive=True), rel=1e-10
    )


@pytest.mark.parametrize("law", LAWS)
def test_pool_simulation_matches_pool_theory(law):
    U = np.random.default_rng(3).standard_normal((60, 8)) + 0.3
    res = simulate_interference(U, 6, 20_000, amplitudes=law, seed=9, readout="all")
    assert res.readouts == 6 * 20_000 and res.n == 60 and res.method == "pool"
    assert res.theory_variance == pytest.approx(
        average_interference_variance(U, 6, amplitudes=law), rel=1e-12
    )
    assert res.d_eff == pytest.approx(effective_dimension(U), rel=1e-12)
    assert abs(res.z_score) < 4.5
    leak_z = (res.leak_sigma - res.leak_theory_sigma) / res.leak_sigma_se
    assert abs(leak_z) < 4.5


def test_pool_dense_active_sets_use_the_other_sampler():
    # k (k - 1) > 4 n: the subsets come from random keys, not rejection.
    U = np.random.default_rng(4).standard_normal((12, 4))
    res = simulate_interference(U, 9, 20_000, seed=1)
    assert abs(res.z_score) < 4.5


@pytest.mark.parametrize(("n", "k"), [(10, 3), (6, 5)])
def test_subsets_are_uniform_and_distinct(n, k):
    gen = np.random.default_rng(0)
    rows = 30_000
    idx = itf._draw_subsets(gen, n, k, rows)
    assert idx.shape == (rows, k)
    assert (np.sort(idx, axis=1)[:, 1:] != np.sort(idx, axis=1)[:, :-1]).all()
    counts = np.bincount(idx.ravel(), minlength=n)
    chi2 = stats.chisquare(counts)
    assert chi2.pvalue > 1e-4
    pairs = np.zeros((n, n))
    s = np.sort(idx, axis=1)
    for a, b in itertools.combinations(range(k), 2):
        np.add.at(pairs, (s[:, a], s[:, b]), 1)
    iu = np.triu_indices(n, 1)
    assert stats.chisquare(pairs[iu]).pvalue > 1e-4


def test_orthonormal_pool_reads_out_exactly():
    res = simulate_interference(np.eye(8), 3, 500, seed=0, readout="all")
    assert res.sigma == 0 and res.theory_sigma == 0 and res.leak_sigma == 0
    assert res.top_k_recovery == 1.0 and res.top_k_recovery_se == 0.0
    e = interference_errors(np.eye(8), 3, 50, seed=0)
    assert e.shape == (50, 3) and np.abs(e).max() == 0.0


def test_rescaling_rows_changes_nothing():
    U = np.random.default_rng(5).standard_normal((40, 6))
    scales = np.random.default_rng(6).uniform(0.1, 10, size=(40, 1))
    a = simulate_interference(U, 4, 2_000, seed=1, readout="all")
    b = simulate_interference(U * scales, 4, 2_000, seed=1, readout="all")
    for field in ("sigma", "leak_sigma", "theory_sigma", "d_eff"):
        assert getattr(b, field) == pytest.approx(getattr(a, field), rel=1e-10)
    assert a.top_k_recovery == b.top_k_recovery


def test_pool_memory_is_bounded_by_chunk_not_pool_times_trials():
    # A pool of 20,000 x 32 float32 (2.6 MB) read out in full: n * trials
    # float32 readouts would be 80 MB at 1,000 trials; the engine keeps one
    # block of chunk x (2**20 // chunk) entries.
    U = semconc.random_directions(20_000, 32, seed=0, dtype="float32")

    def peak(trials):
        return traced_peak(
            lambda: simulate_interference(
                U, 8, trials, chunk=128, seed=0, readout="all", theory=False
            )
        )

    small, large = peak(256), peak(1_024)
    assert large < 1.2 * small
    assert large < 3 * (1 << 20) * 4 + 4 * 20_000 * 8


def test_recovery_by_threshold_is_a_probability_with_binomial_error():
    U = tight_frame(64, 32, seed=0)
    res = simulate_interference(U, 2, 4_000, seed=0, readout="all")
    assert 0.0 < res.top_k_recovery <= 1.0
    p = res.top_k_recovery
    assert res.top_k_recovery_se == pytest.approx(math.sqrt(p * (1 - p) / 4_000))


# --------------------------------------------------------------------------
# structure: lower bound, tight frames, worst case


@pytest.mark.parametrize(
    ("n", "d"), [(4, 4), (5, 4), (7, 3), (12, 4), (40, 8), (9, 1), (30, 20)]
)
def test_tight_frames_are_tight_unit_and_attain_the_bound(n, d):
    U = tight_frame(n, d, seed=1)
    assert U.shape == (n, d)
    np.testing.assert_allclose(np.linalg.norm(U, axis=1), 1.0, atol=1e-9)
    np.testing.assert_allclose(U.T @ U, n / d * np.eye(d), atol=1e-8 * n / d)
    for k in (2, min(5, n)):
        for law in ("sign", "gaussian"):
            assert average_interference_variance(U, k, amplitudes=law) == (
                pytest.approx(
                    interference_lower_bound(n, d, k, amplitudes=law),
                    rel=1e-7,
                    abs=1e-12,
                )
            )


def test_tight_frame_warns_when_not_converged():
    with pytest.warns(RuntimeWarning, match="tightness"):
        tight_frame(40, 8, seed=0, max_iter=1)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 12),
    d=st.integers(1, 6),
    k=st.integers(1, 12),
    law=st.sampled_from(LAWS),
    seed=st.integers(0, 2**16),
)
def test_no_arrangement_beats_the_bound(n, d, k, law, seed):
    k = min(k, n)
    U = np.random.default_rng(seed).standard_normal((n, d))
    bound = interference_lower_bound(n, d, k, amplitudes=law)
    assert average_interference_variance(U, k, amplitudes=law) >= bound - 1e-12


def test_random_directions_sit_a_factor_above_the_bound_on_average():
    # E sum_{i != j} G_ij^2 = n (n - 1) / d for uniform directions, so the
    # average over pools of the variance is (k - 1)/d = bound (n-1)/(n-d).
    n, d, k, pools = 30, 10, 4, 400
    values = [
        average_interference_variance(semconc.random_directions(n, d, seed=s), k)
        for s in range(pools)
    ]
    se = np.std(values) / math.sqrt(pools)
    assert abs(np.mean(values) - (k - 1) / d) < 4.5 * se
    assert (k - 1) / d == pytest.approx(
        interference_lower_bound(n, d, k) * (n - 1) / (n - d)
    )


def test_lower_bound_values():
    assert interference_lower_bound(3, 2, 2) == pytest.approx(0.25)
    assert interference_lower_bound(10, 10, 5) == 0.0
    # Uniform amplitudes: variance 1/3 - 1/4 = 1/12.
    assert interference_lower_bound(3, 2, 3, amplitudes="uniform") == (
        pytest.approx(2 / 12 * 1 / 4)
    )


def test_exact_value_in_terms_of_participation_ratio():
    U = anisotropic_directions(50, np.linspace(1, 0.1, 12), seed=2)
    n, k = 50, 6
    d_eff = effective_dimension(U)
    assert average_interference_variance(U, k) == pytest.approx(
        (k - 1) * (n - d_eff) / (d_eff * (n - 1)), rel=1e-10
    )


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_worst_case_equals_brute_force(k):
    U = np.random.default_rng(7).standard_normal((6, 3))
    assert worst_case_interference(U, k) == pytest.approx(brute_worst_case(U, k))
    assert worst_case_interference(U, k, block=2) == pytest.approx(
        brute_worst_case(U, k)
    )


def test_worst_case_of_equiangular_frame_is_k_minus_one_times_coherence():
    U = np.array([[1.0, 0.0], [-0.5, 3**0.5 / 2], [-0.5, -(3**0.5) / 2]])
    mu = semconc.coherence(U)
    for k in (2, 3):
        assert worst_case_interference(U, k) == pytest.approx((k - 1) * mu)


def test_anisotropic_and_clustered_directions():
    U = anisotropic_directions(5_000, [4.0, 1.0, 1.0, 0.0], seed=0)
    assert U.shape == (5_000, 4)
    np.testing.assert_allclose(np.linalg.norm(U, axis=1), 1.0)
    assert np.all(U[:, 3] == 0)
    assert 1.0 < effective_dimension(U) < 3.0
    V = clustered_directions(30, 16, 3, 0.0, seed=1)
    np.testing.assert_allclose(V[0], V[3])
    np.testing.assert_allclose(V[1], V[4])
    W = clustered_directions(4_000, 16, 3, 50.0, seed=1)
    assert effective_dimension(W) > 14.0


def test_helpers_run_on_torch():
    torch = pytest.importorskip("torch")
    U = anisotropic_directions(10, [1.0, 2.0], seed=0, backend="torch", device="cpu")
    assert isinstance(U, torch.Tensor) and U.shape == (10, 2)
    V = clustered_directions(10, 3, 2, 0.5, seed=0, backend="torch", device="cpu")
    assert torch.allclose(V.norm(dim=1), torch.ones(10))
    assert average_interference_variance(V, 3) == pytest.approx(
        average_interference_variance(V.numpy().astype(float), 3), rel=1e-5
    )


# --------------------------------------------------------------------------
# exponent fits


def test_fit_recovers_an_exact_power_law():
    x = np.array([1, 2, 4, 8, 16, 32])
    y = 0.3 * x**0.5
    fit = fit_scaling_exponent(x, y, 0.01 * y)
    assert fit.exponent == pytest.approx(0.5, abs=1e-12)
    assert fit.log_prefactor == pytest.approx(math.log(0.3), abs=1e-12)
    assert fit.chi2 == pytest.approx(0.0, abs=1e-18) and fit.dof == 4
    # Equal relative errors s: se(b) = s / sqrt(sum (log x - mean)^2).
    xi = np.log(x)
    assert fit.exponent_se == pytest.approx(
        0.01 / np.sqrt(((xi - xi.mean()) ** 2).sum())
    )
    assert fit.ci_low < 0.5 < fit.ci_high


def test_fit_confidence_interval_covers_at_its_level():
    rng = np.random.default_rng(0)
    x = np.arange(1, 9)
    s = 0.05
    covered = 0
    reps = 2_000
    for _ in range(reps):
        y = x**0.5 * np.exp(s * rng.standard_normal(x.size))
        fit = fit_scaling_exponent(x, y, s * y)
        covered += fit.ci_low <= 0.5 <= fit.ci_high
    # Coverage 0.95, binomial standard error sqrt(0.95 * 0.05 / 2000) = 0.005.
    assert abs(covered / reps - 0.95) < 4.5 * 0.0049
    assert 0 <= fit.chi2_pvalue <= 1


def test_simulated_exponent_in_k_minus_one_is_one_half():
    ks = np.array([2, 3, 5, 9, 17, 33])
    res = [simulate_interference(64, int(k), 20_000, seed=int(k)) for k in ks]
    fit = fit_scaling_exponent(
        ks - 1, [r.sigma for r in res], [r.sigma_se for r in res]
    )
    assert abs(fit.exponent - 0.5) < 4.5 * fit.exponent_se
    assert interference_std(17, 64) == pytest.approx(res[4].theory_sigma)


def test_progress_bar_is_switchable(capsys):
    simulate_interference(8, 2, 100, seed=0)
    assert capsys.readouterr().err == ""
    simulate_interference(8, 2, 100, seed=0, progress=True)
    assert "trial" in capsys.readouterr().err


def test_result_to_dict_has_every_field():
    res = simulate_interference(8, 2, 100, seed=0)
    row = res.to_dict()
    assert row["sigma"] == res.sigma and row["k"] == 2 and row["method"] == "exact"
    assert math.isnan(row["leak_sigma"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert all(not isinstance(v, np.generic) for v in row.values())
