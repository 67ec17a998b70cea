"""The array backend: NumPy by default, PyTorch on request.

Every compute module of :mod:`semconc` asks this module for its arrays, its
device and its random numbers; none decides those on its own.

* ``backend="numpy"`` (the default) needs nothing beyond NumPy.
* ``backend="torch"`` imports PyTorch lazily, so :mod:`semconc` imports and
  every NumPy path runs without it installed.
* ``device="auto"`` picks ``"cuda"`` when a CUDA device is visible, then
  ``"mps"``, then ``"cpu"``. NumPy arrays always live on the CPU.
* ``seed`` may be ``None``, a non-negative integer, or (NumPy only) a
  :class:`numpy.random.Generator`, which the backend turns into a generator of
  its own kind.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from ._validation import _is_tensor, check_choice, check_seed

__all__ = ["available_devices", "to_numpy"]

BACKENDS = ("numpy", "torch")
DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("float32", "float64")


def import_torch() -> ModuleType:
    """Import PyTorch, or raise an :class:`ImportError` that says how to install it."""
    try:
        return importlib.import_module("torch")
    except ImportError as exc:  # pragma: no cover - exercised only without torch
        raise ImportError(
            "backend='torch' needs PyTorch, which is not installed; install it with "
            "pip install 'semconc[torch]' (or pip install torch)"
        ) from exc


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a PyTorch tensor (checked without importing torch)."""
    return _is_tensor(x)


def available_devices() -> list[str]:
    """The devices ``semconc`` can compute on here, in the order ``auto`` tries them.

    Returns
    -------
    list of str
        Always ends with ``"cpu"``; ``"cuda"`` and ``"mps"`` appear only when
        PyTorch is installed and sees them.

    Examples
    --------
    >>> available_devices()[-1]
    'cpu'
    """
    devices = []
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        return ["cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    devices.append("cpu")
    return devices


def resolve_device(backend: str, device: str) -> str:
    """Turn ``device`` (possibly ``"auto"``) into a concrete device name."""
    check_choice("device", device, DEVICES)
    if backend == "numpy":
        if device not in ("auto", "cpu"):
            raise ValueError(
                f"device must be 'auto' or 'cpu' when backend='numpy', got {device!r}; "
                "use backend='torch' for GPU devices"
            )
        return "cpu"
    if device == "auto":
        return available_devices()[0]
    if device != "cpu" and device not in available_devices():
        raise ValueError(
            f"device {device!r} is not available here; available devices are "
            f"{available_devices()}"
        )
    return device


@dataclass(frozen=True)
class Backend:
    """A resolved choice of array library, device and floating-point type.

    Build one with :func:`get_backend`; compute modules use its methods so
    that the same code runs on NumPy and on PyTorch.
    """

    name: str
    device: str
    dtype: str

    @property
    def xp(self) -> ModuleType:
        """The array module (``numpy`` or ``torch``)."""
        return np if self.name == "numpy" else import_torch()

    @property
    def native_dtype(self) -> Any:
        """The dtype object of the array library."""
        return getattr(self.xp, self.dtype)

    def generator(self, seed: Any = None) -> Any:
        """A random generator for this backend seeded by ``seed``.

        With NumPy this is :func:`numpy.random.default_rng`; with PyTorch a
        :class:`torch.Generator` on :attr:`device`, seeded by ``seed`` (or by
        fresh entropy when ``seed`` is ``None``).
        """
        seed = check_seed("seed", seed)
        if self.name == "numpy":
            return np.random.default_rng(seed)
        if isinstance(seed, np.random.Generator):
            raise TypeError(
                "seed must be None or an integer >= 0 when backend='torch', "
                "got a numpy.random.Generator"
            )
        torch = self.xp
        gen = torch.Generator(device=self.device)
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
            seed &= (1 << 63) - 1
        gen.manual_seed(seed)
        return gen

    def standard_normal(self, shape: tuple[int, ...], gen: Any) -> Any:
        """An array of independent standard normals of the given shape."""
        if self.name == "numpy":
            return gen.standard_normal(shape, dtype=self.native_dtype)
        return self.xp.randn(
            shape, generator=gen, device=self.device, dtype=self.native_dtype
        )

    def normalise_rows(self, X: Any) -> Any:
        """``X`` with every row (its last axis) scaled to unit length.

        A zero row stays zero instead of becoming ``nan``.
        """
        if self.name == "numpy":
            norms = np.sqrt((X * X).sum(axis=-1, keepdims=True))
            return X / np.where(norms == 0, 1.0, norms)
        return X / X.norm(dim=-1, keepdim=True).clamp_min(1e-30)

    def asarray(self, x: Any) -> Any:
        """Convert ``x`` to an array of this backend, device and dtype."""
        if self.name == "numpy":
            return np.asarray(to_numpy(x), dtype=self.native_dtype)
        torch = self.xp
        return torch.as_tensor(x, dtype=self.native_dtype, device=self.device)


def get_backend(
    backend: str = "numpy", device: str = "auto", dtype: str | None = None
) -> Backend:
    """Validate a backend request and resolve it.

    Parameters
    ----------
    backend : {"numpy", "torch"}
        Array library.
    device : {"auto", "cpu", "cuda", "mps"}
        Where to compute; ``"auto"`` prefers CUDA, then MPS, then the CPU.
    dtype : {"float32", "float64"} or None
        Floating-point type; ``None`` means float64 for NumPy and float32 for
        PyTorch.
    """
    check_choice("backend", backend, BACKENDS)
    if dtype is None:
        dtype = "float64" if backend == "numpy" else "float32"
    check_choice("dtype", dtype, DTYPES)
    if backend == "torch":
        import_torch()
    device = resolve_device(backend, device)
    if device == "mps" and dtype == "float64":
        raise ValueError("dtype must be 'float32' on device 'mps', got 'float64'")
    return Backend(backend, device, dtype)


def backend_of(x: Any) -> Backend:
    """The :class:`Backend` an existing array or tensor lives on."""
    if is_tensor(x):
        dtype = str(x.dtype).removeprefix("torch.")
        return Backend("torch", x.device.type, dtype if dtype in DTYPES else "float32")
    arr = np.asarray(x)
    dtype = arr.dtype.name if arr.dtype.name in DTYPES else "float64"
    return Backend("numpy", "cpu", dtype)


def to_numpy(x: Any) -> np.ndarray:
    """Return ``x`` as a NumPy array, moving a tensor to the CPU first.

    Parameters
    ----------
    x : array_like or torch.Tensor
        Anything :func:`numpy.asarray` accepts, or a tensor on any device.

    Returns
    -------
    numpy.ndarray
        The same values on the CPU (detached from any autograd graph).

    Examples
    --------
    >>> to_numpy([1.0, 2.0])
    array([1., 2.])
    """
    if is_tensor(x):
        return x.detach().cpu().numpy()
    return np.asarray(x)
