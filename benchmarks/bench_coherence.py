"""Benchmark: ``semconc.coherence`` against one plain Gram-matrix product.

Prints, for ``N`` random directions in ``R^d`` stored as float32,

* the time of ``coherence(U)`` as a ratio to the time of one ``U @ U.T``
  measured in the same run (goal: at most 1.5), and
* the peak memory ``coherence`` allocates, as a ratio to the ``N x N`` Gram
  matrix that ``U @ U.T`` materialises (goal: well under 1).

Timings are the best of ``--repeats`` runs, so a busy machine inflates them
less; they are still noisy on a shared machine. Run from the repository root::

    .venv/bin/python benchmarks/bench_coherence.py            # N = 20000, d = 256
    .venv/bin/python benchmarks/bench_coherence.py --n 5000   # quicker
    .venv/bin/python benchmarks/bench_coherence.py --backend torch --device cuda
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import numpy as np

import semconc


def best_time(fn, repeats: int, sync=None) -> float:
    """Shortest wall time of ``repeats`` calls of ``fn`` (after ``sync``)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        if sync is not None:
            sync()
        times.append(time.perf_counter() - t0)
    return min(times)


def peak_bytes(fn) -> int:
    """Peak bytes allocated through NumPy (traced by tracemalloc) during ``fn``."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--d", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backend", default="numpy", choices=["numpy", "torch"])
    parser.add_argument("--device", default="auto")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    U = semconc.random_directions(
        args.n,
        args.d,
        seed=args.seed,
        backend=args.backend,
        device=args.device,
        dtype="float32",
    )
    sync = None
    if args.backend == "torch" and U.device.type == "cuda":
        import torch

        sync = torch.cuda.synchronize

    def product() -> None:
        G = U @ U.T
        del G

    def coherence() -> None:
        semconc.coherence(U)

    product()  # warm up both (thread pools, kernels)
    mu = semconc.coherence(U)
    t_product = best_time(product, args.repeats, sync)
    t_coherence = best_time(coherence, args.repeats, sync)
    gram_bytes = args.n * args.n * 4
    print(f"N = {args.n}, d = {args.d}, float32, backend = {args.backend}")
    print(f"coherence                  = {mu:.6f}")
    print(f"one U @ U.T                = {t_product:8.3f} s (best of {args.repeats})")
    print(f"semconc.coherence(U)       = {t_coherence:8.3f} s (best of {args.repeats})")
    print(f"time ratio (goal <= 1.5)   = {t_coherence / t_product:8.3f}")
    if args.backend == "numpy":
        peak = peak_bytes(coherence)
        print(f"N x N Gram matrix          = {gram_bytes / 2**20:8.1f} MiB")
        print(f"peak memory of coherence   = {peak / 2**20:8.1f} MiB")
        print(f"memory ratio (goal << 1)   = {peak / gram_bytes:8.3f}")
    elif sync is not None:
        import torch

        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        coherence()
        peak = torch.cuda.max_memory_allocated() - base
        print(f"N x N Gram matrix          = {gram_bytes / 2**20:8.1f} MiB")
        print(f"peak GPU memory, coherence = {peak / 2**20:8.1f} MiB")
        print(f"memory ratio (goal << 1)   = {peak / gram_bytes:8.3f}")
    np.testing.assert_array_less(mu, 1.0 + 1e-6)


if __name__ == "__main__":
    main()
