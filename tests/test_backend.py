"""Tests of the backend module and the argument checks."""

from __future__ import annotations

import numpy as np
import pytest

from semconc import _backend, _validation


def test_numpy_backend_defaults():
    be = _backend.get_backend()
    assert (be.name, be.device, be.dtype) == ("numpy", "cpu", "float64")
    gen = be.generator(5)
    assert isinstance(gen, np.random.Generator)
    x = be.standard_normal((3, 2), gen)
    assert x.shape == (3, 2) and x.dtype == np.float64


def test_auto_device_is_first_available():
    pytest.importorskip("torch")
    be = _backend.get_backend("torch")
    assert be.device == _backend.available_devices()[0]
    assert _backend.available_devices()[-1] == "cpu"


def test_torch_generator_is_seeded_and_on_device():
    torch = pytest.importorskip("torch")
    be = _backend.get_backend("torch", "cpu", "float64")
    a = be.standard_normal((4,), be.generator(1))
    b = be.standard_normal((4,), be.generator(1))
    assert torch.equal(a, b) and a.dtype == torch.float64
    with pytest.raises(TypeError, match="seed must be None or an integer"):
        be.generator(np.random.default_rng(0))


def test_backend_of_and_to_numpy_round_trip():
    torch = pytest.importorskip("torch")
    t = torch.ones(2, 3, dtype=torch.float64)
    assert _backend.backend_of(t).name == "torch"
    assert _backend.backend_of(np.ones(2)).name == "numpy"
    np.testing.assert_array_equal(_backend.to_numpy(t), np.ones((2, 3)))


def test_unavailable_device_is_named():
    pytest.importorskip("torch")
    if "cuda" in _backend.available_devices():
        pytest.skip("a CUDA device is present")
    with pytest.raises(ValueError, match="device 'cuda' is not available here"):
        _backend.get_backend("torch", "cuda")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: _validation.check_int("k", 3, minimum=4),
            ValueError,
            "k must be an integer >= 4, got 3",
        ),
        (
            lambda: _validation.check_int("k", 9, minimum=1, maximum=8),
            ValueError,
            "k must be an integer in [1, 8], got 9",
        ),
        (
            lambda: _validation.check_int("k", 2.0),
            TypeError,
            "k must be an integer, got 2.0 of type float",
        ),
        (
            lambda: _validation.check_real(
                "eps", 0.0, low=0.0, high=1.0, low_open=True
            ),
            ValueError,
            "eps must be a finite number in (0, 1], got 0.0",
        ),
        (
            lambda: _validation.check_real("eps", float("inf")),
            ValueError,
            "eps must be a finite number, got inf",
        ),
        (
            lambda: _validation.check_real("eps", "x"),
            TypeError,
            "eps must be a real number, got 'x' of type str",
        ),
        (
            lambda: _validation.check_choice("mode", "b", ["a"]),
            ValueError,
            "mode must be one of 'a', got 'b'",
        ),
        (
            lambda: _validation.check_real_array("p", [0.5, 2.0], low=0, high=1),
            ValueError,
            "p must lie in [0, 1], got 2.0",
        ),
        (
            lambda: _validation.check_matrix("X", np.ones((2, 2, 2))),
            ValueError,
            "X must be 2-D (rows, columns), got shape (2, 2, 2)",
        ),
        (
            lambda: _validation.check_matrix("X", np.array([["a"]])),
            TypeError,
            "X must be a real-valued array, got dtype <U1",
        ),
    ],
)
def test_validation_messages_name_parameter_value_and_range(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_validation_accepts_good_values():
    assert _validation.check_int("n", np.int64(3), minimum=1) == 3
    assert _validation.check_real("x", 1, low=0) == 1.0
    assert _validation.check_seed("seed", None) is None
    rng = np.random.default_rng()
    assert _validation.check_seed("seed", rng) is rng
