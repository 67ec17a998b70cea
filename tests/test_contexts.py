"""Tests of semconc.contexts: contexts, hinges, the Born rule and token sampling.

Statistical checks use fixed seeds and tolerances of a stated number of
binomial (or Monte Carlo) standard errors; exact identities use 1e-12.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

import semconc
from semconc.contexts import (
    born_probabilities,
    complete_context,
    context_hypergraph,
    empirical_frequencies,
    haar_unitary,
    is_orthonormal_basis,
    logit_amplitudes,
    peres_vectors,
    quantum_token_scheme,
    sample_measurement,
    shared_vectors,
    softmax_sampling,
    two_valued_measures,
)

S = 1 / np.sqrt(2)
E = np.eye(3)
F = np.array([[S, -S, 0], [S, S, 0], [0, 0, 1]])
F1 = F[0]

finite = st.floats(-20, 20, allow_nan=False, allow_infinity=False)


def unit(x):
    x = np.asarray(x, dtype=float)
    return x / np.linalg.norm(x)


nonzero_vec3 = arrays(float, 3, elements=finite).filter(
    lambda x: np.linalg.norm(x) > 1e-3
)


def figure_one(angle=np.pi / 6):
    return [E, F, complete_context(F1, angle=angle)]


# --- contexts ---------------------------------------------------------------


def test_paper_bases_are_orthonormal():
    assert is_orthonormal_basis(E)
    assert is_orthonormal_basis(F)
    assert not is_orthonormal_basis(E[:2])  # not square
    assert not is_orthonormal_basis([[1, 0], [1, 1]])


def test_complex_basis_uses_hermitian_inner_product():
    n = 5
    dft = np.exp(2j * np.pi * np.outer(np.arange(n), np.arange(n)) / n) / np.sqrt(n)
    assert is_orthonormal_basis(dft)
    assert not is_orthonormal_basis(dft * np.sqrt(n))


def test_is_orthonormal_basis_validates():
    with pytest.raises(ValueError, match="vectors must be a 2-D array"):
        is_orthonormal_basis([1.0, 0.0])
    with pytest.raises(TypeError, match="vectors must be a 2-D real or complex"):
        is_orthonormal_basis([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match="atol must be a finite number in"):
        is_orthonormal_basis(E, atol=0.0)
    with pytest.raises(ValueError, match="vectors must contain only finite"):
        is_orthonormal_basis([[np.nan, 0], [0, 1]])


@settings(max_examples=50, deadline=None)
@given(v=nonzero_vec3, angle=st.floats(-7, 7))
def test_complete_context_keeps_the_hinge(v, angle):
    v = unit(v)
    C = complete_context(v, angle=angle)
    assert is_orthonormal_basis(C, atol=1e-12)
    np.testing.assert_allclose(C[0], v, atol=1e-12)


def test_complete_context_angle_rotates_inside_the_carrier():
    C0 = complete_context(F1)
    C1 = complete_context(F1, angle=0.3)
    # rows 1, 2 of both span the same plane, the carrier of F1
    P0 = C0[1:].T @ C0[1:]
    P1 = C1[1:].T @ C1[1:]
    np.testing.assert_allclose(P0, P1, atol=1e-12)
    np.testing.assert_allclose(C1[1] @ C0[1], np.cos(0.3), atol=1e-12)
    np.testing.assert_allclose(complete_context(np.array([1.0, 0, 0])), E)


def test_complete_context_validates():
    with pytest.raises(ValueError, match="vector must be a unit vector, got norm 2"):
        complete_context([2.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="vector must have length >= 2"):
        complete_context([1.0])
    with pytest.raises(TypeError, match="angle must be a real number"):
        complete_context(F1, angle="x")


@pytest.mark.parametrize("field", ["real", "complex"])
def test_haar_unitary_is_unitary_and_seeded(field):
    U = haar_unitary(6, field=field, seed=3)
    assert is_orthonormal_basis(U, atol=1e-12)
    assert is_orthonormal_basis(U.T, atol=1e-12)
    np.testing.assert_array_equal(U, haar_unitary(6, field=field, seed=3))


def test_haar_unitary_entry_moments():
    # For Haar orthogonal U in O(n), U_00 is the first coordinate of a uniform unit
    # vector: E U_00^2 = 1/n, Var U_00^2 = 3/(n(n+2)) - 1/n^2. Tolerance: 5 standard
    # errors of the mean over `reps` independent draws.
    n, reps = 3, 3000
    rng = np.random.default_rng(0)
    x = np.array([haar_unitary(n, seed=rng)[0, 0] ** 2 for _ in range(reps)])
    se = np.sqrt((3 / (n * (n + 2)) - 1 / n**2) / reps)
    assert abs(x.mean() - 1 / n) < 5 * se


def test_haar_unitary_validates():
    with pytest.raises(ValueError, match="field must be one of"):
        haar_unitary(3, field="quaternion")
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        haar_unitary(0)


# --- hypergraph and hinges ---------------------------------------------------


def test_figure_one_hinges():
    hinges = shared_vectors(figure_one())
    assert [h.contexts for h in hinges] == [(0, 1), (1, 2)]
    np.testing.assert_allclose(hinges[0].vector, [0, 0, 1])
    np.testing.assert_allclose(hinges[1].vector, F1)
    assert hinges[0].positions == (2, 2)
    assert hinges[1].positions == (0, 0)


def test_hypergraph_identifies_rays_up_to_sign_and_phase():
    B = F.copy()
    B[2] *= -1
    g = context_hypergraph([E, B, 1j * F])
    assert g.rays.shape == (5, 3)
    assert g.contexts == ((0, 1, 2), (3, 4, 2), (3, 4, 2))


@pytest.mark.parametrize("angle", [0.0, np.pi / 2])
def test_third_context_degenerates_at_quarter_turns(angle):
    # At multiples of pi/2 the third context is the second one (up to signs):
    # two contexts in R^3 that share two rays share the third.
    g = context_hypergraph(figure_one(angle))
    assert sorted(g.contexts[2]) == sorted(g.contexts[1])


def test_contexts_validation():
    with pytest.raises(TypeError, match="contexts must be a sequence"):
        shared_vectors(E)
    with pytest.raises(ValueError, match="contexts must contain at least 1"):
        shared_vectors([])
    with pytest.raises(ValueError, match="same dimension"):
        shared_vectors([E, np.eye(2)])
    with pytest.raises(ValueError, match=r"contexts\[1\] must have orthonormal rows"):
        shared_vectors([E, 2 * E])
    with pytest.raises(ValueError, match=r"contexts\[0\] must be square"):
        shared_vectors([E[:2]])


# --- Born rule ---------------------------------------------------------------


def test_born_probabilities_worked_example():
    psi = np.array([0.6, 0.0, 0.8])
    np.testing.assert_allclose(born_probabilities(psi, E), [0.36, 0, 0.64])
    np.testing.assert_allclose(born_probabilities(psi, F), [0.18, 0.18, 0.64])


@settings(max_examples=50, deadline=None)
@given(psi=nonzero_vec3, h=nonzero_vec3, a=st.floats(-4, 4), b=st.floats(-4, 4))
def test_hinge_probability_is_context_independent(psi, h, a, b):
    # Two different contexts through the same hinge h give h the same probability,
    # |<h, psi>|^2, and share the carrier probability 1 - |<h, psi>|^2.
    psi, h = unit(psi), unit(h)
    pa = born_probabilities(psi, complete_context(h, angle=a))
    pb = born_probabilities(psi, complete_context(h, angle=b))
    assert pa[0] == pytest.approx(pb[0], abs=1e-12)
    assert pa[0] == pytest.approx((h @ psi) ** 2, abs=1e-12)
    assert pa.sum() == pytest.approx(1.0, abs=1e-12)
    assert pa[1:].sum() == pytest.approx(pb[1:].sum(), abs=1e-12)


def test_born_probabilities_complex_state():
    psi = np.array([1, 1j]) / np.sqrt(2)
    np.testing.assert_allclose(born_probabilities(psi, np.eye(2)), [0.5, 0.5])
    plus = np.array([[S, S], [S, -S]])
    np.testing.assert_allclose(born_probabilities(psi, plus), [0.5, 0.5])
    circ = np.array([[S, 1j * S], [S, -1j * S]])
    np.testing.assert_allclose(born_probabilities(psi, circ), [1.0, 0.0], atol=1e-15)


def test_born_probabilities_validation():
    with pytest.raises(ValueError, match="state must be a unit vector.*got norm 2"):
        born_probabilities([2.0, 0, 0], E)
    with pytest.raises(ValueError, match="state must have length 3"):
        born_probabilities([1.0, 0], E)
    with pytest.raises(ValueError, match="context must have orthonormal rows"):
        born_probabilities([1.0, 0, 0], [[1, 0, 0], [1, 1, 0], [0, 0, 1]])
    with pytest.raises(TypeError, match="state must be a 1-D real or complex"):
        born_probabilities(["a", "b", "c"], E)


def test_sample_measurement_matches_born_rule():
    # Each frequency is within 4.5 binomial standard errors sqrt(p (1-p) / N) of
    # its probability (two-sided level about 7e-6 per outcome).
    psi = unit([1.0, 2.0, -0.5])
    N = 40_000
    for C in figure_one():
        p = born_probabilities(psi, C)
        f = empirical_frequencies(sample_measurement(psi, C, N, seed=1), 3)
        se = np.sqrt(p * (1 - p) / N)
        assert np.all(np.abs(f - p) <= 4.5 * se + 1e-15)


def test_sample_measurement_is_seeded_and_validates():
    psi = unit([1.0, 2.0, -0.5])
    a = sample_measurement(psi, F, 100, seed=5)
    np.testing.assert_array_equal(a, sample_measurement(psi, F, 100, seed=5))
    assert sample_measurement(psi, F, 0, seed=5).shape == (0,)
    with pytest.raises(ValueError, match="size must be an integer >= 0, got -1"):
        sample_measurement(psi, F, -1)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        sample_measurement(psi, F, 3, seed=-2)


def test_empirical_frequencies_validation():
    with pytest.raises(ValueError, match=r"samples must lie in \[0, 2\], got 3"):
        empirical_frequencies([0, 3], 3)
    with pytest.raises(ValueError, match=r"samples must lie in \[0, 2\], got -1"):
        empirical_frequencies([-1, 2], 3)
    with pytest.raises(TypeError, match="samples must be integers"):
        empirical_frequencies([0.5], 3)
    with pytest.raises(ValueError, match="samples must be a non-empty 1-D"):
        empirical_frequencies([], 3)


# --- tokens: Born rule against softmax ---------------------------------------

logit_vectors = arrays(float, st.integers(2, 12), elements=finite)


@settings(max_examples=60, deadline=None)
@given(z=logit_vectors, T=st.floats(0.05, 20), shift=finite)
def test_amplitude_encoding_reproduces_softmax(z, T, shift):
    a = logit_amplitudes(z, T)
    np.testing.assert_allclose(np.linalg.norm(a), 1.0, atol=1e-12)
    np.testing.assert_allclose(a**2, semconc.softmax(z, T), atol=1e-12)
    np.testing.assert_allclose(logit_amplitudes(z + shift, T), a, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(z=logit_vectors, seed=st.integers(0, 2**31))
def test_phases_leave_token_probabilities_unchanged(z, seed):
    theta = np.random.default_rng(seed).uniform(0, 2 * np.pi, z.shape)
    a = logit_amplitudes(z, 1.0, phases=theta)
    np.testing.assert_allclose(np.abs(a) ** 2, semconc.softmax(z), atol=1e-12)


def test_phases_change_probabilities_in_another_context():
    # Two tokens, equal logits: a = (1, e^{i theta}) / sqrt 2. In the basis
    # (1, +-1)/sqrt 2 the Born probabilities are (1 +- cos theta) / 2.
    plus = np.array([[S, S], [S, -S]])
    for theta in [0.0, np.pi / 3, np.pi]:
        a = logit_amplitudes([0.0, 0.0], phases=[0.0, theta])
        p = born_probabilities(a, plus)
        np.testing.assert_allclose(
            p, [(1 + np.cos(theta)) / 2, (1 - np.cos(theta)) / 2], atol=1e-12
        )


def test_extreme_logits_are_stable():
    a = logit_amplitudes([1e4, 0.0, -1e4], temperature=0.01)
    np.testing.assert_allclose(a, [1.0, 0.0, 0.0])


def test_logit_amplitudes_validation():
    with pytest.raises(ValueError, match="temperature must be a finite number in"):
        logit_amplitudes([1.0, 2.0], temperature=0.0)
    with pytest.raises(ValueError, match="phases must have the shape of logits"):
        logit_amplitudes([1.0, 2.0], phases=[0.0])
    with pytest.raises(ValueError, match="logits must be a 1-D array"):
        logit_amplitudes(1.0)


@pytest.mark.parametrize("field", ["real", "complex"])
def test_token_scheme_equals_softmax_on_the_same_logits(field):
    z = np.random.default_rng(2).normal(size=9)
    for T in [0.3, 1.0, 4.0]:
        U = haar_unitary(9, field=field, seed=7)
        psi = U.conj().T @ logit_amplitudes(z, T)
        r = quantum_token_scheme(psi, U, size=500, seed=11)
        np.testing.assert_allclose(r.probabilities, semconc.softmax(z, T), atol=1e-12)
        # same sampler, same seed, same probabilities: same tokens
        np.testing.assert_array_equal(
            r.samples, softmax_sampling(z, T, size=500, seed=11)
        )


def test_token_scheme_in_a_rotated_token_basis():
    psi = unit([1.0, 2.0, 2.0])
    U = haar_unitary(3, seed=0)
    r = quantum_token_scheme(psi, U, tokens=F)
    np.testing.assert_allclose(r.output_state, U @ psi)
    np.testing.assert_allclose(r.probabilities, (F @ U @ psi) ** 2, atol=1e-12)
    assert r.samples.shape == (0,)


def test_token_scheme_validation():
    psi = unit([1.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="evolution must be unitary"):
        quantum_token_scheme(psi, 2 * np.eye(3))
    with pytest.raises(ValueError, match=r"evolution must have shape \(3, 3\)"):
        quantum_token_scheme(psi, np.eye(2))
    with pytest.raises(ValueError, match=r"tokens must have shape \(3, 3\)"):
        quantum_token_scheme(psi, tokens=np.eye(2))
    with pytest.raises(ValueError, match="state must be a unit vector"):
        quantum_token_scheme([1.0, 1.0, 0.0])


def test_softmax_sampling_frequencies():
    # Chi-square goodness of fit at level 1e-4 with a fixed seed.
    z = np.array([1.5, 0.3, -0.2, -1.0, 0.0])
    x = softmax_sampling(z, temperature=0.7, size=50_000, seed=3)
    counts = np.bincount(x, minlength=5)
    p = semconc.softmax(z, 0.7)
    assert stats.chisquare(counts, 50_000 * p).pvalue > 1e-4


def test_softmax_sampling_validation():
    with pytest.raises(ValueError, match="temperature must be a finite number in"):
        softmax_sampling([0.0, 1.0], temperature=-1.0)
    with pytest.raises(TypeError, match="size must be an integer"):
        softmax_sampling([0.0, 1.0], size=2.5)


# --- Kochen-Specker ---------------------------------------------------------


def test_figure_one_admits_two_valued_measures():
    # Chain of contexts A = {e1, e2, e3}, B = {f1, f2, e3}, C = {f1, g2, g3}:
    # e3 = 1 forces f1 = 0, leaving g2 or g3 (2 ways); e3 = 0 leaves e1 or e2 (2)
    # times f1 (then C is settled) or f2 (then g2 or g3): 2 * 3 = 6. Total 8.
    g = context_hypergraph(figure_one())
    measures = two_valued_measures(g.rays)
    assert len(measures) == 8
    for s in measures:
        for edge in g.contexts:
            assert s[list(edge)].sum() == 1


def test_peres_rays_have_no_two_valued_measure():
    P = peres_vectors()
    assert P.shape == (33, 3)
    G = np.abs(P @ P.T)
    assert np.all(G[~np.eye(33, dtype=bool)] < 1 - 1e-9)  # 33 distinct rays
    assert int(np.sum(G < 1e-9) // 2) == 72  # orthogonal pairs
    assert two_valued_measures(P) == []


def test_two_valued_measures_explicit_contexts_and_limit():
    rays = np.vstack([E, F[:2]])
    assert len(two_valued_measures(rays, contexts=[(0, 1, 2), (3, 4, 2)])) == 5
    assert len(two_valued_measures(rays, limit=2)) == 2
    # With no complete contexts only "no two orthogonal ones" remains: the
    # independent sets of two triangles {e1, e2, e3}, {f1, f2, e3} glued at e3:
    # {e3} alone, or at most one of e1, e2 times at most one of f1, f2: 1 + 9.
    assert len(two_valued_measures(rays, contexts=[])) == 10
    with pytest.raises(ValueError, match="must list mutually orthogonal rays"):
        two_valued_measures(rays, contexts=[(0, 3, 2)])
    with pytest.raises(ValueError, match=r"contexts\[0\] entry must be an integer"):
        two_valued_measures(rays, contexts=[(0, 1, 9)])
    with pytest.raises(ValueError, match="vectors must have no zero rows"):
        two_valued_measures(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="limit must be an integer >= 1"):
        two_valued_measures(rays, limit=0)
