"""Speed and memory of the interference engine, as ratios measured in one run.

Run by hand (not a test)::

    .venv/bin/python benchmarks/bench_interference.py            # full size
    .venv/bin/python benchmarks/bench_interference.py --quick    # seconds

Three measurements, each against a reference timed in the same process:

1. **Fixed pool, every direction read out** (``readout="all"``): achieved
   floating-point throughput of :func:`semconc.simulate_interference` as a
   fraction of plain float32 matrix products of the same shapes (the same
   ``(chunk, d) x (d, block)`` blocks). Goal: at least 0.5.
2. **Fresh uniform directions**: the engine (``method="exact"``, and
   ``method="vectors"`` for comparison) against a straightforward per-trial
   NumPy loop that draws ``k`` directions, superposes them and reads one
   out; same trials, and the two estimates of ``sigma`` must agree within
   their standard errors. Goal: at least 30 times faster.
3. **Peak memory** with a pool of ``--pool-size`` directions (default
   ``10**6``) in ``d = 256`` (float32: 1 GB for the pool itself): traced
   allocations of the engine for two numbers of trials, which must not grow
   with the trials.

Timings on a shared machine are noisy: each engine timing is the best of
``--repeats`` runs, and the script prints what it measured rather than
asserting.
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc

import numpy as np

import semconc
from semconc import interference as itf


def interleaved_best(fns, repeats):
    """Best time of each function, alternating them so load drifts hit both."""
    best = [math.inf] * len(fns)
    outs = [None] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            outs[i] = fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best, outs


def best_time(fn, repeats):
    best = math.inf
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench_pool(n, d, k, trials, repeats):
    print(
        f"\n[1] fixed pool, readout of all n = {n:,} directions, d = {d}, k = {k}, "
        f"trials = {trials:,}, float32"
    )
    U = semconc.random_directions(n, d, seed=0, dtype="float32")
    chunk = itf._chunk_size(None, trials, k * d)
    nb = max(1, min(n, itf._READOUT_BUDGET // chunk))

    def engine():
        return semconc.simulate_interference(
            U, k, trials, seed=1, readout="all", theory=False
        )

    rng = np.random.default_rng(2)
    X = rng.standard_normal((chunk, d), dtype=np.float32)

    def plain():
        # The same (chunk, d) x (d, nb) products, nothing else.
        done = 0
        while done < trials:
            for start in range(0, n, nb):
                X @ U[start : start + nb].T
            done += chunk

    engine()  # warm up
    (t_mm, t_eng), (_, res) = interleaved_best([plain, engine], repeats)
    flops = 2.0 * trials * d * n
    print(f"  blocks: chunk = {chunk} trials x {nb} directions")
    print(f"  plain float32 matmul : {t_mm:8.3f} s  {flops / t_mm / 1e9:7.1f} GFLOP/s")
    print(
        f"  simulate_interference: {t_eng:8.3f} s  {flops / t_eng / 1e9:7.1f} GFLOP/s"
    )
    print(f"  throughput ratio engine / matmul = {t_mm / t_eng:.2f}   (goal >= 0.5)")
    print(
        f"  sigma = {res.sigma:.4f} +- {res.sigma_se:.4f}, "
        f"leak sigma = {res.leak_sigma:.4f}, top-k recovery = {res.top_k_recovery:.3f}"
    )
    return t_mm / t_eng


def loop_sigma(d, k, trials, seed):
    """The straightforward per-trial loop: draw, superpose, read one out."""
    rng = np.random.default_rng(seed)
    errors = np.empty(trials)
    for t in range(trials):
        U = rng.standard_normal((k, d))
        U /= np.linalg.norm(U, axis=1, keepdims=True)
        a = rng.choice([-1.0, 1.0], size=k)
        x = a @ U
        errors[t] = U[0] @ x - a[0]
    var = errors.var(ddof=1)
    se = math.sqrt(np.var((errors - errors.mean()) ** 2, ddof=1) / trials)
    return math.sqrt(var), se / (2 * math.sqrt(var))


def bench_fresh(d, k, trials, repeats):
    print(f"\n[2] fresh uniform directions, d = {d}, k = {k}, trials = {trials:,}")
    t_loop, (s_loop, se_loop) = best_time(lambda: loop_sigma(d, k, trials, 3), 1)
    t_exact, r_exact = best_time(
        lambda: semconc.simulate_interference(d, k, trials, seed=4), repeats
    )
    t_vec, r_vec = best_time(
        lambda: semconc.simulate_interference(d, k, trials, seed=5, method="vectors"),
        repeats,
    )
    theory = semconc.interference_std(k, d)
    print(
        f"  per-trial loop : {t_loop:8.3f} s ({1e6 * t_loop / trials:6.1f} us/trial) "
        f"sigma = {s_loop:.4f} +- {se_loop:.4f}"
    )
    print(
        f"  engine exact   : {t_exact:8.4f} s ({1e6 * t_exact / trials:6.2f} us/trial) "
        f"sigma = {r_exact.sigma:.4f} +- {r_exact.sigma_se:.4f}"
    )
    print(
        f"  engine vectors : {t_vec:8.4f} s ({1e6 * t_vec / trials:6.2f} us/trial) "
        f"sigma = {r_vec.sigma:.4f} +- {r_vec.sigma_se:.4f}"
    )
    print(f"  theory sqrt((k-1)/d) = {theory:.4f}")
    z = (r_exact.sigma - s_loop) / math.hypot(r_exact.sigma_se, se_loop)
    print(f"  same answer: exact vs loop differ by {z:+.2f} combined standard errors")
    print(
        f"  speed-up exact / loop = {t_loop / t_exact:.0f}x   (goal >= 30x); "
        f"vectors / loop = {t_loop / t_vec:.1f}x"
    )
    return t_loop / t_exact


def bench_memory(n, d, k, trials_small, trials_large, all_small, all_large):
    print(
        f"\n[3] peak memory, pool n = {n:,} x d = {d} float32 "
        f"({n * d * 4 / 2**20:,.0f} MiB for the pool itself)"
    )
    t0 = time.perf_counter()
    U = semconc.random_directions(n, d, seed=0, dtype="float32")
    print(f"  pool drawn in {time.perf_counter() - t0:.1f} s")

    def peak(**kwargs):
        tracemalloc.start()
        t0 = time.perf_counter()
        res = semconc.simulate_interference(U, k, seed=6, **kwargs)
        elapsed = time.perf_counter() - t0
        p = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return p / 2**20, elapsed, res

    rows = [
        ("active", trials_small, True),
        ("active", trials_large, False),
        ("all", all_small, False),
        ("all", all_large, False),
    ]
    for readout, trials, theory in rows:
        mib, elapsed, res = peak(trials=trials, readout=readout, theory=theory)
        if readout == "all":
            naive, what = trials * n * 4 / 2**20, "every readout"
        else:
            naive, what = trials * k * d * 4 / 2**20, "every active vector"
        print(
            f"  readout={readout:6s} trials={trials:>9,} theory={theory!s:5s}: "
            f"peak {mib:7.1f} MiB in {elapsed:6.1f} s "
            f"(holding {what} would take {naive:,.0f} MiB); "
            f"sigma = {res.sigma:.4f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds")
    parser.add_argument(
        "--pool-size",
        type=int,
        default=None,
        help="directions in the memory test (default 10**6)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--parts", default="123", help="which measurements to run, e.g. 13"
    )
    args = parser.parse_args()
    if args.quick:
        pool = dict(n=20_000, d=256, k=32, trials=1_024)
        fresh = dict(d=256, k=32, trials=2_000)
        memory = dict(
            n=args.pool_size or 100_000,
            d=256,
            k=32,
            trials_small=10_000,
            trials_large=40_000,
            all_small=64,
            all_large=256,
        )
    else:
        pool = dict(n=100_000, d=256, k=32, trials=4_096)
        fresh = dict(d=256, k=32, trials=10_000)
        memory = dict(
            n=args.pool_size or 1_000_000,
            d=256,
            k=32,
            trials_small=100_000,
            trials_large=400_000,
            all_small=128,
            all_large=512,
        )
    print(f"semconc {semconc.__version__}, numpy {np.__version__}")
    summary = []
    if "1" in args.parts:
        r1 = bench_pool(**pool, repeats=args.repeats)
        summary.append(f"pool throughput ratio {r1:.2f} (goal 0.5)")
    if "2" in args.parts:
        r2 = bench_fresh(**fresh, repeats=args.repeats)
        summary.append(f"fresh speed-up {r2:.0f}x (goal 30x)")
    if "3" in args.parts:
        bench_memory(**memory)
    print("\nsummary: " + ", ".join(summary))


if __name__ == "__main__":
    main()
