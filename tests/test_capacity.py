"""Tests of :mod:`semconc.capacity`: both sides of the kinetic capacity bound.

Deterministic checks compare each function with an independent computation
(quadrature instead of the incomplete beta function, brute-force loops
instead of closed forms, scikit-learn for the Johnson-Lindenstrauss
dimension); the Monte Carlo checks state the standard error their tolerance
comes from.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special

import semconc
from semconc import (
    alon_min_dim,
    gerzon_bound,
    jl_min_dim,
    kinetic_capacity,
    kinetic_min_dim,
    log_capacity_envelope,
    log_capacity_upper_bound,
    log_greedy_capacity,
    log_kinetic_capacity,
    max_overlap_cdf,
    max_overlap_poisson_error,
    max_overlap_quantile,
    polynomial_code_directions,
    prefix_coherence,
    welch_bound,
)


def tail_by_quadrature(eps: float, d: int) -> float:
    """P(|t| >= eps) by integrating the overlap density, without betainc."""
    log_c = (
        special.gammaln(d / 2) - 0.5 * math.log(math.pi) - special.gammaln((d - 1) / 2)
    )
    value, _ = integrate.quad(
        lambda t: math.exp(log_c + 0.5 * (d - 3) * math.log1p(-t * t)),
        eps,
        1.0,
        epsabs=0,
        epsrel=1e-12,
        limit=200,
    )
    return 2 * value


def union_bound_capacity(d: int, eps: float, delta: float) -> int:
    """Largest N with N (N - 1) / 2 * p <= delta, by counting upwards."""
    p = tail_by_quadrature(eps, d)
    n = 1
    while (n + 1) * n / 2 * p <= delta:
        n += 1
    return n


# ---------------------------------------------------------------- Welch bound


def test_welch_bound_known_optima():
    assert welch_bound(4, 3) == pytest.approx(1 / 3)
    assert welch_bound(6, 3) == pytest.approx(1 / math.sqrt(5))
    assert welch_bound(28, 7) == pytest.approx(1 / 3)
    assert welch_bound(5, 5) == 0.0


# ------------------------------------------------------- kinetic capacity


@pytest.mark.parametrize(
    ("d", "eps", "delta"),
    [
        (16, 0.5, 0.5),
        (64, 0.3, 0.5),
        (256, 0.2, 0.5),
        (256, 0.2, 0.01),
        (1024, 0.15, 0.1),
    ],
)
def test_kinetic_capacity_matches_union_bound_by_counting(d, eps, delta):
    assert kinetic_capacity(d, eps, delta=delta) == union_bound_capacity(d, eps, delta)


@pytest.mark.parametrize(("d", "eps"), [(512, 0.2), (1024, 0.2), (2048, 0.15)])
def test_kinetic_capacity_is_largest_allowed_integer(d, eps):
    n = kinetic_capacity(d, eps)
    assert isinstance(n, int)
    p = Fraction(float(semconc.overlap_tail(eps, d)))
    assert n * (n - 1) * p <= 1  # C(n, 2) p <= 1/2
    assert (n + 1) * n * p > 1


def test_kinetic_capacity_log_version_brackets_integer():
    for d, eps in [(64, 0.3), (1024, 0.2), (4000, 0.1)]:
        n = kinetic_capacity(d, eps)
        x = math.exp(float(log_kinetic_capacity(d, eps)))
        assert n <= x * (1 + 1e-12) and x < n + 1


def test_kinetic_capacity_small_and_huge():
    # eps = 0: every pair fails, one direction is all the guarantee allows
    assert kinetic_capacity(10, 0.0) == 1
    big = kinetic_capacity(4096, 0.3)
    assert isinstance(big, float) and big > 2**53
    assert big == pytest.approx(math.exp(float(log_kinetic_capacity(4096, 0.3))))
    assert kinetic_capacity(100_000, 0.5) == math.inf
    assert np.isfinite(log_kinetic_capacity(100_000, 0.5))


@settings(max_examples=40, deadline=None)
@given(
    d=st.integers(2, 3000),
    eps=st.floats(0.01, 0.9),
    delta=st.floats(1e-6, 0.99),
)
def test_envelope_is_below_exact_capacity(d, eps, delta):
    env = float(log_capacity_envelope(d, eps, delta=delta))
    exact = float(log_kinetic_capacity(d, eps, delta=delta))
    assert env <= exact + 1e-9
    if env < 30:  # the integer statement, where kinetic_capacity is an int
        assert math.floor(math.exp(env)) <= kinetic_capacity(d, eps, delta=delta)


@settings(max_examples=30, deadline=None)
@given(d=st.integers(2, 2000), eps=st.floats(0.02, 0.9), delta=st.floats(1e-4, 0.9))
def test_capacity_grows_with_d_eps_and_delta(d, eps, delta):
    base = float(log_kinetic_capacity(d, eps, delta=delta))
    assert float(log_kinetic_capacity(d + 1, eps, delta=delta)) >= base
    assert float(log_kinetic_capacity(d, min(eps * 1.05, 0.99), delta=delta)) >= base
    assert float(log_kinetic_capacity(d, eps, delta=min(delta * 1.5, 0.99))) >= base


def test_log_tail_follows_its_large_d_expansion():
    # Laplace's method at the end point eps of the exact tail gives
    #   -ln p = (d - 1) L / 2 + ln(d) / 2 + ln(eps) + ln(pi / 2) / 2
    #           + (1 - 5 eps^2 / 4) / x + O(1 / x^2),
    # with L = -ln(1 - eps^2) and x = d eps^2. The O(1/x^2) coefficient is
    # about -2.5 for these eps; the tolerance 3 / x^2 covers it, plus 1e-11
    # relative for the double-precision tail itself.
    for eps in (0.1, 0.3, 0.6):
        L = -math.log1p(-(eps**2))
        for d in (10**3, 10**4, 10**5):
            x = d * eps**2
            if x < 8:
                continue
            leading = (
                (d - 1) * L / 2
                + math.log(d) / 2
                + math.log(eps)
                + math.log(math.pi / 2) / 2
            )
            remainder = float(log_greedy_capacity(d, eps)) - leading
            tol = 3 / x**2 + 1e-11 * leading
            assert abs(remainder - (1 - 1.25 * eps**2) / x) <= tol


def test_log_capacity_is_half_log_of_two_delta_over_p():
    # ln x* = ln(M) / 2 + ln((h + sqrt(h^2 + 4)) / 2), M = 2 delta / p,
    # h = M^(-1/2); the last term lies in [0, h / 2].
    for d, eps, delta in [(64, 0.3, 0.5), (1024, 0.2, 0.01), (10**5, 0.05, 0.9)]:
        log_m = math.log(2 * delta) + float(log_greedy_capacity(d, eps))
        excess = float(log_kinetic_capacity(d, eps, delta=delta)) - log_m / 2
        assert 0 <= excess <= math.exp(-log_m / 2) / 2 + 1e-12


@pytest.mark.parametrize(("n", "eps", "delta"), [(10**6, 0.1, 0.5), (1000, 0.3, 0.01)])
def test_kinetic_min_dim_is_the_threshold(n, eps, delta):
    d = kinetic_min_dim(n, eps, delta=delta)
    assert kinetic_capacity(d, eps, delta=delta) >= n
    assert kinetic_capacity(d - 1, eps, delta=delta) < n
    assert kinetic_min_dim(1, 0.5) == 2


def test_greedy_capacity_is_inverse_tail_and_beats_sub_gaussian():
    d, eps = 300, np.linspace(0.05, 0.8, 16)
    np.testing.assert_allclose(
        np.exp(-log_greedy_capacity(d, eps)), semconc.overlap_tail(eps, d), rtol=1e-12
    )
    # 1/p >= exp(d eps^2 / 2) / 2 by the sub-Gaussian tail
    assert np.all(log_greedy_capacity(d, eps) >= d * eps**2 / 2 - math.log(2))


# --------------------------------------------------------------- converse


def naive_log_upper(d: int, eps: float, k_max: int = 5000) -> float:
    best = math.inf
    for k in range(1, k_max + 1):
        dim = math.comb(d + k - 1, k)
        a = dim * eps ** (2 * k)
        if a < 1:
            best = min(best, math.log(dim * (1 - eps ** (2 * k)) / (1 - a)))
    return best


@pytest.mark.parametrize(("d", "eps"), [(3, 0.1), (7, 1 / 3), (20, 0.3), (100, 0.2)])
def test_upper_bound_matches_naive_search_over_powers(d, eps):
    assert float(log_capacity_upper_bound(d, eps)) == pytest.approx(
        naive_log_upper(d, eps), rel=1e-10
    )


def test_upper_bound_at_first_power_is_welch():
    # For d eps^2 < 1 the k = 1 bound is N <= d (1 - eps^2) / (1 - d eps^2),
    # the largest N whose Welch bound does not exceed eps.
    d, eps = 10, 0.25
    n_max = math.floor(d * (1 - eps**2) / (1 - d * eps**2))
    assert welch_bound(n_max, d) <= eps < welch_bound(n_max + 1, d)
    bound, k = log_capacity_upper_bound(d, eps, return_power=True)
    assert int(k) == 1
    assert math.floor(math.exp(float(bound)) + 1e-9) == n_max


@pytest.mark.parametrize(
    ("n", "d", "eps"),
    [
        (4, 3, 1 / 3),  # regular simplex
        (6, 3, 1 / math.sqrt(5)),  # icosahedron diagonals
        (28, 7, 1 / 3),  # equiangular tight frame
    ],
)
def test_known_configurations_respect_the_converse(n, d, eps):
    assert n <= math.exp(float(log_capacity_upper_bound(d, eps))) * (1 + 1e-9)
    assert n <= gerzon_bound(d)
    assert alon_min_dim(n, eps) <= d


@pytest.mark.parametrize(("q", "degree"), [(5, 1), (7, 2), (13, 2)])
def test_polynomial_codes_respect_the_converse(q, degree):
    V = polynomial_code_directions(q, degree)
    assert V.shape == (q ** (degree + 1), q * q)
    np.testing.assert_allclose(np.linalg.norm(V, axis=1), 1.0)
    mu = semconc.coherence(V)
    assert mu == pytest.approx(degree / q)
    assert len(V) <= math.exp(float(log_capacity_upper_bound(q * q, mu)))


@settings(max_examples=25, deadline=None)
@given(d=st.integers(2, 400), eps=st.floats(0.05, 0.7))
def test_achievable_sizes_lie_below_the_converse(d, eps):
    upper = float(log_capacity_upper_bound(d, eps))
    assert float(log_greedy_capacity(d, eps)) <= upper + 1e-9
    assert float(log_kinetic_capacity(d, eps)) <= upper + 1e-9


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 10**9), eps=st.floats(0.02, 0.6))
def test_alon_min_dim_is_the_threshold(n, eps):
    d = alon_min_dim(n, eps)
    assert float(log_capacity_upper_bound(d, eps)) >= math.log(n) - 1e-9
    if d > 1:
        assert float(log_capacity_upper_bound(d - 1, eps)) < math.log(n)


def test_gerzon_values():
    assert [gerzon_bound(d) for d in (1, 2, 3, 7, 23)] == [1, 3, 6, 28, 276]


# -------------------------------------------------------- Johnson-Lindenstrauss


def test_jl_min_dim_agrees_with_scikit_learn():
    from sklearn.random_projection import johnson_lindenstrauss_min_dim

    for n in (2, 10, 1000, 10**6, 10**9):
        for eps in (0.05, 0.1, 0.3, 0.5, 0.9):
            exact = 4 * math.log(n) / (eps**2 / 2 - eps**3 / 3)
            ours = jl_min_dim(n, eps)
            theirs = int(johnson_lindenstrauss_min_dim(n, eps=eps))
            assert ours == math.ceil(exact)
            # scikit-learn truncates the same number
            assert ours - theirs == (0 if exact == int(exact) else 1)


# ----------------------------------------------------------- largest overlap


def test_two_directions_law_is_exact():
    eps = np.linspace(0.0, 0.9, 10)
    exact = 1 - semconc.overlap_tail(eps, 5)
    np.testing.assert_allclose(max_overlap_cdf(eps, 2, 5, method="union"), exact)
    np.testing.assert_allclose(max_overlap_cdf(eps, 2, 5, method="bonferroni"), exact)
    gap = np.abs(max_overlap_cdf(eps, 2, 5) - exact)
    assert np.all(gap <= max_overlap_poisson_error(eps, 2, 5) + 1e-15)


def test_bounds_are_ordered_and_quantile_inverts_poisson():
    eps = np.linspace(0.1, 0.3, 41)
    lo = max_overlap_cdf(eps, 5000, 1024, method="union")
    mid = max_overlap_cdf(eps, 5000, 1024)
    hi = max_overlap_cdf(eps, 5000, 1024, method="bonferroni")
    assert np.all(lo <= mid + 1e-15) and np.all(mid <= hi + 1e-15)
    q = np.array([0.01, 0.1, 0.5, 0.9, 0.99])
    np.testing.assert_allclose(
        max_overlap_cdf(max_overlap_quantile(q, 5000, 1024), 5000, 1024), q, rtol=1e-9
    )
    # far out, where the tail underflows, the quantile is still found
    far = float(max_overlap_quantile(0.5, 10**200, 100_000))
    assert 0 < far < 1


def test_simulated_max_overlap_follows_law():
    # 4000 independent sets of n = 40 directions in d = 16. At each threshold
    # the empirical P(M < eps) has standard error sqrt(P (1 - P) / 4000) <= 0.0079;
    # it must lie within 5 standard errors of [union, bonferroni] (exact bounds)
    # and of the Poisson law widened by its Chen-Stein error bound.
    trials, n, d = 4000, 40, 16
    U = semconc.random_directions(trials * n, d, seed=7).reshape(trials, n, d)
    G = np.abs(np.einsum("tid,tjd->tij", U, U))
    iu = np.triu_indices(n, k=1)
    M = G[:, iu[0], iu[1]].max(axis=1)
    for q in (0.1, 0.5, 0.9):
        eps = float(max_overlap_quantile(q, n, d))
        emp = float(np.mean(M < eps))
        se = math.sqrt(q * (1 - q) / trials)
        err = float(max_overlap_poisson_error(eps, n, d))
        assert abs(emp - q) <= err + 5 * se
    for eps in (0.85, 0.9):  # lambda small: union and Bonferroni nearly meet
        emp = float(np.mean(M < eps))
        lo = float(max_overlap_cdf(eps, n, d, method="union"))
        hi = float(max_overlap_cdf(eps, n, d, method="bonferroni"))
        se = math.sqrt(max(emp * (1 - emp), 1e-4) / trials)
        assert lo - 5 * se <= emp <= hi + 5 * se


# -------------------------------------------------------- prefix coherence


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 40), d=st.integers(1, 6), block=st.integers(1, 50))
def test_prefix_coherence_is_coherence_of_prefixes(n, d, block):
    U = np.random.default_rng(n * 100 + d).standard_normal((n, d))
    out = prefix_coherence(U, block=block)
    assert out.shape == (n,) and out[0] == 0.0
    expected = [0.0] + [semconc.coherence(U[: k + 1]) for k in range(1, n)]
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)


def test_prefix_coherence_torch_matches_numpy():
    torch = pytest.importorskip("torch")
    U = semconc.random_directions(300, 20, seed=3)
    expected = prefix_coherence(U, block=64)
    got = prefix_coherence(torch.as_tensor(U), block=17)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_prefix_coherence_rejects_zero_rows():
    with pytest.raises(ValueError, match="zero rows"):
        prefix_coherence(np.array([[1.0, 0.0], [0.0, 0.0]]))


# --------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (lambda: kinetic_capacity(1, 0.2), ValueError, "d"),
        (lambda: kinetic_capacity(10.5, 0.2), TypeError, "d"),
        (lambda: kinetic_capacity(10, 1.0), ValueError, "eps"),
        (lambda: kinetic_capacity(10, 0.2, delta=1.0), ValueError, "delta"),
        (lambda: kinetic_capacity(10, 0.2, delta=0.0), ValueError, "delta"),
        (lambda: log_kinetic_capacity(10, [0.1, -0.1]), ValueError, "eps"),
        (lambda: log_capacity_envelope(10, 0.2, delta=2), ValueError, "delta"),
        (lambda: log_greedy_capacity(10, 1.0), ValueError, "eps"),
        (lambda: log_capacity_upper_bound(0, 0.2), ValueError, "d"),
        (lambda: alon_min_dim(0, 0.2), ValueError, "n"),
        (lambda: kinetic_min_dim(10, 0.0), ValueError, "eps"),
        (lambda: kinetic_min_dim(10, 0.2, delta=1), ValueError, "delta"),
        (lambda: gerzon_bound(0), ValueError, "d"),
        (lambda: jl_min_dim(10, 0.0), ValueError, "eps"),
        (lambda: jl_min_dim(0, 0.1), ValueError, "n"),
        (lambda: max_overlap_cdf(0.2, 1, 10), ValueError, "n"),
        (lambda: max_overlap_cdf(0.2, 10, 10, method="exact"), ValueError, "method"),
        (lambda: max_overlap_quantile(1.0, 10, 10), ValueError, "q"),
        (lambda: max_overlap_poisson_error(0.2, 10, 1), ValueError, "d"),
        (lambda: prefix_coherence(np.ones(3)), ValueError, "U"),
        (lambda: prefix_coherence(np.eye(3), block=0), ValueError, "block"),
        (lambda: polynomial_code_directions(9, 1), ValueError, "q"),
        (lambda: polynomial_code_directions(5, 5), ValueError, "degree"),
        (lambda: polynomial_code_directions(101, 4), ValueError, "q"),
    ],
)
def test_validation_names_the_parameter(call, exc, name):
    with pytest.raises(exc, match=rf"^{name}\b"):
        call()
