"""Tests of semconc.overlaps: the exact law of the overlap of random directions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

import semconc


def test_random_directions_are_unit_rows_and_reproducible():
    U = semconc.random_directions(50, 7, seed=3)
    assert U.shape == (50, 7)
    np.testing.assert_allclose(np.linalg.norm(U, axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(U, semconc.random_directions(50, 7, seed=3))
    assert not np.array_equal(U, semconc.random_directions(50, 7, seed=4))


def test_random_directions_float32():
    U = semconc.random_directions(10, 4, seed=0, dtype="float32")
    assert U.dtype == np.float32


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"n": 0, "d": 3}, ValueError, "n must be an integer >= 1, got 0"),
        ({"n": 2.5, "d": 3}, TypeError, "n must be an integer"),
        ({"n": True, "d": 3}, TypeError, "n must be an integer"),
        ({"n": 2, "d": 0}, ValueError, "d must be an integer >= 1, got 0"),
        ({"n": 2, "d": 3, "backend": "jax"}, ValueError, "backend must be one of"),
        ({"n": 2, "d": 3, "device": "tpu"}, ValueError, "device must be one of"),
        ({"n": 2, "d": 3, "device": "cuda"}, ValueError, "backend='numpy'"),
        ({"n": 2, "d": 3, "dtype": "float16"}, ValueError, "dtype must be one of"),
        ({"n": 2, "d": 3, "seed": -1}, ValueError, "seed must be an integer >= 0"),
        ({"n": 2, "d": 3, "seed": "a"}, TypeError, "seed must be None"),
    ],
)
def test_random_directions_rejects_bad_input(kwargs, error, fragment):
    with pytest.raises(error, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        semconc.random_directions(**kwargs)


@pytest.mark.parametrize("d", [2, 3, 4, 7, 50, 1000])
def test_pdf_integrates_to_one_with_variance_one_over_d(d):
    # For d = 2 the density has integrable singularities at +-1: quad handles
    # them with the algebraic weight (1 - t^2)^(-1/2) split at 0.
    mass = integrate.quad(
        lambda t: float(semconc.overlap_pdf(t, d)), -1, 1, limit=200, points=[0.0]
    )[0]
    var = integrate.quad(
        lambda t: t * t * float(semconc.overlap_pdf(t, d)),
        -1,
        1,
        limit=200,
        points=[0.0],
    )[0]
    assert mass == pytest.approx(1.0, abs=1e-6)
    assert var == pytest.approx(1.0 / d, rel=1e-6)


@settings(max_examples=60, deadline=None)
@given(d=st.integers(2, 5000), eps=st.floats(0.0, 1.0))
def test_tail_is_one_minus_cdf_mass_and_below_bound(d, eps):
    tail = float(semconc.overlap_tail(eps, d))
    assert 0.0 <= tail <= 1.0
    two_sided = 1 - (semconc.overlap_cdf(eps, d) - semconc.overlap_cdf(-eps, d))
    assert tail == pytest.approx(float(two_sided), abs=1e-12)
    assert tail <= float(semconc.overlap_tail_bound(eps, d)) * (1 + 1e-12)


def test_tail_matches_beta_law_of_t_squared():
    # t^2 ~ Beta(1/2, (d - 1)/2), so P(|t| >= eps) = sf of that Beta at eps^2.
    for d in (2, 5, 64):
        for eps in (0.05, 0.3, 0.9):
            expected = stats.beta(0.5, (d - 1) / 2).sf(eps**2)
            assert float(semconc.overlap_tail(eps, d)) == pytest.approx(
                expected, rel=1e-10
            )


def test_tail_special_cases():
    assert float(semconc.overlap_tail(0.0, 10)) == 1.0
    assert float(semconc.overlap_tail(1.0, 10)) == 0.0
    # d = 2: t = cos(theta), theta uniform, so P(|t| >= eps) = 2 arccos(eps) / pi
    assert float(semconc.overlap_tail(0.5, 2)) == pytest.approx(
        2 * np.arccos(0.5) / np.pi, rel=1e-12
    )


def test_log_tail_agrees_with_tail_and_extends_past_underflow():
    eps = np.linspace(0.05, 0.95, 19)
    for d in (10, 300, 3000):
        tail = semconc.overlap_tail(eps, d)
        ok = tail > 1e-290
        np.testing.assert_allclose(
            semconc.overlap_log_tail(eps, d)[ok], np.log(tail[ok]), rtol=1e-9
        )
    # Where betainc underflows, compare with the leading asymptotics of the
    # integral: log tail = log(2 c_d (1 - eps^2)^((d-1)/2) / ((d - 1) eps)) + o(1).
    d, e = 200_000, 0.3
    c = special.gammaln(d / 2) - special.gammaln((d - 1) / 2) - 0.5 * np.log(np.pi)
    lead = np.log(2) + c + 0.5 * (d - 1) * np.log1p(-e * e) - np.log((d - 1) * e)
    assert float(semconc.overlap_log_tail(e, d)) == pytest.approx(lead, abs=1e-3)


def test_gaussian_tail_approaches_exact_tail():
    eps = 2.0 / np.sqrt(np.array([100, 10_000]))
    ratios = [
        float(semconc.overlap_gaussian_tail(e, d) / semconc.overlap_tail(e, d))
        for e, d in zip(eps, [100, 10_000], strict=False)
    ]
    assert abs(ratios[1] - 1) < abs(ratios[0] - 1) < 0.05


@pytest.mark.parametrize(
    ("func", "args", "fragment"),
    [
        (semconc.overlap_pdf, (0.1, 1), "d must be an integer >= 2, got 1"),
        (semconc.overlap_pdf, (1.5, 3), "t must lie in"),
        (semconc.overlap_tail, (-0.1, 3), "eps must lie in"),
        (semconc.overlap_tail, (0.1, 2.0), "d must be an integer"),
        (semconc.overlap_log_tail, (1.0, 3), "eps must lie in"),
        (semconc.overlap_tail_bound, (np.nan, 3), "eps must lie in"),
    ],
)
def test_law_functions_reject_bad_input(func, args, fragment):
    with pytest.raises((ValueError, TypeError), match=fragment):
        func(*args)


def test_coherence_matches_dense_gram_for_any_block():
    U = np.random.default_rng(0).standard_normal((301, 9))
    Un = U / np.linalg.norm(U, axis=1, keepdims=True)
    G = np.abs(Un @ Un.T)
    np.fill_diagonal(G, 0)
    for block in (1, 7, 64, 301, 1000):
        assert semconc.coherence(U, block=block) == pytest.approx(G.max(), rel=1e-12)


def test_coherence_of_known_configurations():
    assert semconc.coherence(np.eye(5)) == 0.0
    simplex = np.eye(4) - 0.25  # 4 vectors spanning a 3-dimensional subspace
    assert semconc.coherence(simplex) == pytest.approx(1 / 3, rel=1e-12)
    assert semconc.coherence([[1.0, 0.0], [-3.0, 0.0]]) == 1.0


def test_coherence_on_torch_input():
    torch = pytest.importorskip("torch")
    U = semconc.random_directions(200, 6, seed=1)
    expected = semconc.coherence(U)
    got = semconc.coherence(torch.as_tensor(U), block=33)
    assert got == pytest.approx(expected, rel=1e-12)


def test_coherence_rejects_bad_input():
    with pytest.raises(ValueError, match="U must have at least 2 rows"):
        semconc.coherence(np.ones((1, 3)))
    with pytest.raises(ValueError, match="U must be 2-D"):
        semconc.coherence(np.ones(3))
    with pytest.raises(ValueError, match="no zero rows"):
        semconc.coherence(np.array([[1.0, 0.0], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="block must be an integer >= 1, got 0"):
        semconc.coherence(np.eye(3), block=0)


def test_random_directions_on_torch_cpu():
    torch = pytest.importorskip("torch")
    U = semconc.random_directions(20, 5, seed=2, backend="torch", device="cpu")
    assert isinstance(U, torch.Tensor)
    assert U.dtype == torch.float32
    np.testing.assert_allclose(U.norm(dim=1).numpy(), 1.0, rtol=1e-6)
    again = semconc.random_directions(20, 5, seed=2, backend="torch", device="cpu")
    assert torch.equal(U, again)
