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
    bad = not np.isfinite(value)
    if low is not None:
        bad |= value <= low if low_open else value < low
    if high is not None:
        bad |= value >= high if high_open else value > high
    if bad:
        raise ValueError(
            f"{name} must be a finite number"
            f"{_real_range(low, high, low_open, high_open)}, got {value!r}"
        )
    return value


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
    bad = ~np.isfinite(arr)
    if low is not None:
        bad |= arr <= low if low_open else arr < low
    if high is not None:
        bad |= arr >= high if high_open else arr > high
    if np.any(bad):
        first = arr[bad].flat[0]
        raise ValueError(
            f"{name} must lie in {_real_range(low, high, low_open, high_open)[4:]}, "
            f"got {first!r}"
        )
    return arr


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``."""
    choices = tuple(choices)
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


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


def _is_tensor(value: Any) -> bool:
    return type(value).__module__.split(".")[0] == "torch"
