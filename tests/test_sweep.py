"""Tests of :func:`semconc.sweep`: grid order, result shapes, executors, errors."""

from __future__ import annotations

import concurrent.futures as cf
import time
from dataclasses import dataclass

import pandas as pd
import pytest

import semconc
from semconc.sweep import grid_points, sweep


def product(a, b):
    return {"product": a * b, "sum": a + b}


def slow_then_fast(delay):
    # Later points finish first, so completion order differs from grid order.
    time.sleep(delay)
    return delay


def fails_on_three(x):
    if x == 3:
        raise ZeroDivisionError("three is not allowed")
    return {"y": x}


@dataclass(frozen=True)
class Point:
    y: float
    z: str


def test_cartesian_grid_order_last_name_fastest():
    table = sweep(product, {"a": [1, 2, 3], "b": [10, 20]}, progress=False)
    assert list(table.columns) == ["a", "b", "product", "sum"]
    assert table[["a", "b"]].values.tolist() == [
        [1, 10],
        [1, 20],
        [2, 10],
        [2, 20],
        [3, 10],
        [3, 20],
    ]
    assert (table["product"] == table["a"] * table["b"]).all()


def test_list_of_points_and_result_kinds():
    table = sweep(lambda x: Point(x / 2, "p"), [{"x": 1}, {"x": 4}], progress=False)
    assert table.to_dict("list") == {"x": [1, 4], "y": [0.5, 2.0], "z": ["p", "p"]}
    table = sweep(lambda x: x * x, {"x": [3]}, progress=False)
    assert table.to_dict("list") == {"x": [3], "result": [9]}


def test_interference_result_becomes_one_row_per_point():
    table = sweep(
        semconc.simulate_interference,
        {"directions_or_d": [16, 64], "k": [3], "trials": [500], "seed": [0]},
        progress=False,
    )
    assert len(table) == 2
    assert table["theory_sigma"].tolist() == pytest.approx(
        [(2 / 16) ** 0.5, (2 / 64) ** 0.5]
    )
    # Equal parameter and field values share one column.
    assert "k_result" not in table and "trials_result" not in table


def test_clashing_field_is_kept_separately():
    table = sweep(lambda k: {"k": k + 1}, {"k": [1, 2]}, progress=False)
    assert table.to_dict("list") == {"k": [1, 2], "k_result": [2, 3]}


def test_thread_pool_keeps_grid_order():
    with cf.ThreadPoolExecutor(max_workers=3) as pool:
        table = sweep(
            slow_then_fast, {"delay": [0.2, 0.1, 0.0]}, executor=pool, progress=False
        )
    assert table["delay"].tolist() == [0.2, 0.1, 0.0]
    assert table["result"].tolist() == [0.2, 0.1, 0.0]


def test_process_pool_runs_module_level_functions():
    with cf.ProcessPoolExecutor(max_workers=1) as pool:
        table = sweep(
            semconc.interference_std,
            {"k": [1, 17], "d_eff": [64.0]},
            executor=pool,
            progress=False,
        )
    assert table["result"].tolist() == [0.0, 0.5]


@pytest.mark.parametrize("executor", [None, "threads"])
def test_error_names_the_failing_point(executor):
    pool = cf.ThreadPoolExecutor(max_workers=2) if executor else None
    try:
        with pytest.raises(RuntimeError, match=r"grid point 2 \{'x': 3\}") as info:
            sweep(fails_on_three, {"x": [1, 2, 3, 4]}, executor=pool, progress=False)
    finally:
        if pool is not None:
            pool.shutdown()
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert "three is not allowed" in str(info.value)


def test_progress_bar_is_switchable(capsys):
    sweep(product, {"a": [1], "b": [2]}, progress=False)
    assert capsys.readouterr().err == ""
    sweep(product, {"a": [1], "b": [2]}, progress=True)
    assert "point" in capsys.readouterr().err


def test_empty_grid_gives_empty_table():
    table = sweep(product, {"a": [], "b": [1]}, progress=False)
    assert isinstance(table, pd.DataFrame) and table.empty
    assert list(table.columns) == ["a", "b"]


@pytest.mark.parametrize(
    ("grid", "exc", "fragment"),
    [
        ({"a": 3}, TypeError, r"grid\['a'\] must be a list of values"),
        ({"a": "abc"}, TypeError, r"grid\['a'\] must be a list of values"),
        ({"not valid": [1]}, TypeError, "valid Python identifiers"),
        (42, TypeError, "grid must be a dict of value lists or a list of dicts"),
        ([{"a": 1}, 5], TypeError, r"grid\[1\] must be a dict of parameters"),
    ],
)
def test_grid_validation(grid, exc, fragment):
    with pytest.raises(exc, match=fragment):
        grid_points(grid)


def test_argument_validation():
    with pytest.raises(TypeError, match="function must be callable"):
        sweep(3, {"a": [1]})
    with pytest.raises(TypeError, match="executor must be None or a concurrent"):
        sweep(product, {"a": [1]}, executor="dask")
    with pytest.raises(TypeError, match="progress must be True or False"):
        sweep(product, {"a": [1]}, progress=1)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    # Threads in this process, but a real scheduler and worker talking TCP
    # on the loopback interface. The scheduler's HTTP server takes a free
    # loopback port (dashboard_address=None would still claim port 8787).
    cluster = distributed.LocalCluster(
        n_workers=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_local_cluster_executor(dask_client):
    executor = dask_client.get_executor()
    assert isinstance(executor, cf.Executor)
    table = sweep(
        semconc.interference_std,
        {"k": [1, 5, 17], "d_eff": [4.0, 16.0]},
        executor=executor,
        progress=False,
    )
    assert table["result"].tolist() == [0.0, 0.0, 1.0, 0.5, 2.0, 1.0]
    with pytest.raises(RuntimeError, match=r"grid point 1 \{'x': 3\}"):
        sweep(fails_on_three, {"x": [1, 3]}, executor=executor, progress=False)


@pytest.mark.slow
def test_dask_local_cluster_with_worker_processes():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        table = sweep(
            semconc.simulate_interference,
            {"directions_or_d": [16, 64], "k": [2, 5], "trials": [2_000], "seed": [0]},
            executor=client.get_executor(),
            progress=False,
        )
    assert table["directions_or_d"].tolist() == [16, 16, 64, 64]
    # Each sigma within 5 of its own standard errors of the theory.
    z = (table["sigma"] - table["theory_sigma"]) / table["sigma_se"]
    assert (z.abs() < 5).all()
