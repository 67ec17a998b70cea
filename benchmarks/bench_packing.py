"""Benchmark: seconds for ``semconc.pack_directions`` to come within 1e-3 of Welch.

For configurations whose optimum meets Welch's bound (the simplex,
``n = d + 1``; the six icosahedron diagonals in ``R^3``; the 28 lines in
``R^7``), run the optimiser with ``target = welch_bound(n, d) + tol`` and
report, over several seeds, the median wall time, the median number of steps
and how many seeds reached the target within the step budget. Times are noisy
on a shared machine. Run from the repository root::

    .venv/bin/python benchmarks/bench_packing.py
    .venv/bin/python benchmarks/bench_packing.py --backend torch --device cuda
"""

from __future__ import annotations

import argparse
import statistics
import time

import semconc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tol", type=float, default=1e-3)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--restarts", type=int, default=8)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--backend", default="numpy", choices=["numpy", "torch"])
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()

    cases = [(f"simplex d={d}", d + 1, d) for d in range(3, 9)]
    cases += [("icosahedron", 6, 3), ("28 lines in R^7", 28, 7)]
    # Warm up (imports, thread pools, kernels) outside the timings.
    semconc.pack_directions(
        4, 3, seed=0, steps=20, backend=args.backend, device=args.device
    )
    print(
        f"target: coherence <= Welch + {args.tol:g}; restarts = {args.restarts}, "
        f"at most {args.steps} steps, {args.seeds} seeds, backend = {args.backend}"
    )
    print(
        f"{'case':<18}{'n':>4}{'d':>4}{'welch':>10}{'median s':>10}"
        f"{'max s':>8}{'steps':>7}{'reached':>9}"
    )
    for name, n, d in cases:
        welch = semconc.welch_bound(n, d)
        times, steps, reached = [], [], 0
        for seed in range(args.seeds):
            t0 = time.perf_counter()
            res = semconc.pack_directions(
                n,
                d,
                seed=seed,
                restarts=args.restarts,
                steps=args.steps,
                target=welch + args.tol,
                backend=args.backend,
                device=args.device,
                full_output=True,
            )
            times.append(time.perf_counter() - t0)
            steps.append(res.steps)
            reached += res.coherence <= welch + args.tol
        print(
            f"{name:<18}{n:>4}{d:>4}{welch:>10.6f}{statistics.median(times):>10.3f}"
            f"{max(times):>8.3f}{int(statistics.median(steps)):>7}"
            f"{reached:>6}/{args.seeds}"
        )


if __name__ == "__main__":
    main()
