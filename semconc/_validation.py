"""Argument checks shared by every public function of :mod:`semconc`.

Each check raises before any work starts, with a message that names the
parameter, the value it received and the range it accepts, for example::

    ValueError: d must be an integer >= 2, got 1

Integers reject ``bool`` and non-integral floats with :class:`TypeError`;
values of the right type outside their range raise :class:`ValueError`.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__: list[str] = []


def check_int(
    name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` as ``int`` if it is an integer within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer{_int_range(minimum, maximum)}, "
            f"got {value!r} of type {type(value).__name__}"
        )
    value = int(value)
    if (minimum is not None and value < minimum) or (
        maximum is not None and value > maximum
    ):
        raise ValueError(
            f"{name} must be an integer{_int_range(minimum, maximum)}, got {value}"
        )
    return value


def _int_range(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f" in [{minimum}, {maximum}]"
    if minimum is not None:
        return f" >= {minimum}"
    if maximum is not None:
        return f" <= {maximum}"
    return ""


def check_real(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as ``float`` if it is a finite real number in the interval.

    The interval is ``[low, high]``, with either end open when ``low_open`` or
    ``high_open`` is set; ``None`` leaves that side unbounded.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number{_real_range(low, high, low_open, high_open)}"
            f", got {value!r} of type {type(value).__name__}"
        )
    value = float(value)
    if _outside(value, low, high, low_open, high_open):
        raise ValueError(
            f"{name} must be a finite number"
            f"{_real_range(low, high, low_open, high_open)}, got {value!r}"
        )
    return value


def _outside(
    x: Any, low: float | None, high: float | None, low_open: bool, high_open: bool
) -> Any:
    """Where ``x`` (a number or an array) is not finite or lies outside the interval."""
    bad = ~np.isfinite(x)
    if low is not None:
        bad |= x <= low if low_open else x < low
    if high is not None:
        bad |= x >= high if high_open else x > high
    return bad


def _real_range(
    low: float | None, high: float | None, low_open: bool, high_open: bool
) -> str:
    if low is None and high is None:
        return ""
    left = "(" if (low_open or low is None) else "["
    right = ")" if (high_open or high is None) else "]"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    return f" in {left}{lo}, {hi}{right}"


def check_real_array(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float array whose entries all lie in the interval."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, got {value!r}"
        ) from None
    bad = _outside(arr, low, high, low_open, high_open)
    if np.any(bad):
        first = float(arr[bad].flat[0])
        raise ValueError(
            f"{name} must lie in {_real_range(low, high, low_open, high_open)[4:]}, "
            f"got {first!r}"
        )
    return arr


def check_array(
    name: str, value: Any, *, ndim: int, allow_complex: bool = False
) -> np.ndarray:
    """Return ``value`` as a finite float (or complex) NumPy array with ``ndim`` axes.

    Integers and floats are converted to float; complex input is accepted only
    with ``allow_complex`` and is then returned as complex.
    """
    kinds = "real or complex" if allow_complex else "real"
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a {ndim}-D {kinds} array, got {value!r}"
        ) from None
    if arr.dtype.kind in "iu":
        arr = arr.astype(float)
    elif arr.dtype.kind == "f":
        arr = arr.astype(float, copy=False)
    elif arr.dtype.kind == "c" and allow_complex:
        arr = arr.astype(complex, copy=False)
    else:
        raise TypeError(
            f"{name} must be a {ndim}-D {kinds} array, got dtype {arr.dtype}"
        )
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} must contain only finite numbers, got a non-finite entry"
        )
    return arr


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``."""
    choices = tuple(choices)
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def check_str(name: str, value: Any, *, nonempty: bool = True) -> str:
    """Return ``value`` if it is a string (non-empty after stripping, by default)."""
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string, got {value!r} of type {type(value).__name__}"
        )
    if nonempty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def check_str_sequence(name: str, value: Any, *, min_len: int = 1) -> list[str]:
    """Return ``value`` as a list of strings with at least ``min_len`` items.

    A bare string is rejected (it would otherwise be read as a sequence of
    characters).
    """
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(
            f"{name} must be a sequence of strings (a list, not a single string), "
            f"got {value!r} of type {type(value).__name__}"
        )
    items = list(value)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(
                f"{name} must contain only strings, got {item!r} of type "
                f"{type(item).__name__} at position {i}"
            )
    if len(items) < min_len:
        raise ValueError(
            f"{name} must contain at least {min_len} strings, got {len(items)}"
        )
    return items


def check_int_sequence(
    name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> list[int]:
    """Return ``value`` as a list of integers, each within ``[minimum, maximum]``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(
            f"{name} must be a sequence of integers, got {value!r} of type "
            f"{type(value).__name__}"
        )
    return [
        check_int(f"{name}[{i}]", v, minimum=minimum, maximum=maximum)
        for i, v in enumerate(value)
    ]


def check_matrix(name: str, value: Any, *, min_rows: int = 1, min_cols: int = 1) -> Any:
    """Check that ``value`` is a 2-D NumPy array or torch tensor of finite reals.

    Returns the input unchanged (NumPy arrays are converted with
    :func:`numpy.asarray`; tensors are left on their device).
    """
    if not _is_tensor(value):
        try:
            value = np.asarray(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a 2-D array, got {value!r}") from None
        if not (
            np.issubdtype(value.dtype, np.floating)
            or np.issubdtype(value.dtype, np.integer)
        ):
            raise TypeError(
                f"{name} must be a real-valued array, got dtype {value.dtype}"
            )
    shape = tuple(value.shape)
    if len(shape) != 2:
        raise ValueError(f"{name} must be 2-D (rows, columns), got shape {shape}")
    if shape[0] < min_rows or shape[1] < min_cols:
        raise ValueError(
            f"{name} must have at least {min_rows} rows and {min_cols} columns, "
            f"got shape {shape}"
        )
    return value


def check_seed(name: str, value: Any) -> Any:
    """Accept ``None``, a non-negative integer or a :class:`numpy.random.Generator`."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be None, an integer >= 0 or a numpy.random.Generator, "
            f"got {value!r} of type {type(value).__name__}"
        )
    if value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value}")
    return int(value)


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a ``bool`` (NumPy's ``bool_`` included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {value!r} of type "
            f"{type(value).__name__}"
        )
    return bool(value)


def check_float_array(
    name: str, value: Any, *, min_ndim: int = 0, allow_neg_inf: bool = False
) -> np.ndarray:
    """Return ``value`` as a float64 NumPy array with at least ``min_ndim`` axes.

    Accepts anything :func:`numpy.asarray` reads and torch tensors on any device
    (copied to the CPU). No axis may be empty; entries must be finite, except
    that ``-inf`` is allowed with ``allow_neg_inf`` (a masked logit).
    """
    if _is_tensor(value):
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real array, got {value!r}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real array, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} axes, got shape {arr.shape}"
        )
    if 0 in arr.shape:
        raise ValueError(f"{name} must have no empty axis, got shape {arr.shape}")
    finite = np.isfinite(arr)
    if allow_neg_inf:
        finite |= np.isneginf(arr)
    if not np.all(finite):
        where = tuple(int(i) for i in np.argwhere(~finite)[0])
        allowed = "finite or -inf" if allow_neg_inf else "finite"
        raise ValueError(
            f"{name} must be {allowed}, got {float(arr[where])!r} at index {where}"
        )
    return arr


def _is_tensor(value: Any) -> bool:
    """Whether ``value`` is a PyTorch tensor, without importing torch.

    The one test of it in the package; the backend's ``is_tensor`` calls it.
    """
    return type(value).__module__.split(".")[0] == "torch"
