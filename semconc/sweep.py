r"""Parameter sweeps: one function over a grid, on any executor, into one table.

A sweep evaluates ``function(**point)`` at every point of a grid and returns
a tidy :class:`pandas.DataFrame`, one row per point: the parameters, then
the fields of the result. The work runs on any
``concurrent.futures.Executor``; by default it runs in this process, one
point after the other.

Running a sweep on a cluster
----------------------------
A Dask ``distributed`` client hands out an executor with the same interface,
so a sweep that outgrows one machine needs no other change::

    from distributed import Client

    client = Client("tcp://scheduler-address:8786")  # or Client(LocalCluster())
    table = semconc.sweep(run_point, grid, executor=client.get_executor())

The function and its results travel by (cloud)pickle, so the function must be
importable or picklable on the workers, and ``semconc`` installed there. The
chapter *Interference under concurrency* runs its grid through this function.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ._validation import check_bool

__all__ = ["sweep", "grid_points"]


def grid_points(grid: Any) -> list[dict[str, Any]]:
    """The points of a grid, in order.

    Parameters
    ----------
    grid : dict of sequences, or sequence of dicts
        A mapping ``{name: values}`` stands for the cartesian product of the
        value lists, the last name varying fastest (as in
        ``itertools.product``); a list of mappings is taken as the points
        themselves.

    Returns
    -------
    list of dict
        One keyword-argument dict per point.

    Examples
    --------
    >>> grid_points({"d": [16, 64], "k": [2, 3]})
    [{'d': 16, 'k': 2}, {'d': 16, 'k': 3}, {'d': 64, 'k': 2}, {'d': 64, 'k': 3}]
    >>> grid_points([{"d": 8}, {"d": 8, "k": 4}])
    [{'d': 8}, {'d': 8, 'k': 4}]
    """
    if isinstance(grid, Mapping):
        names = list(grid)
        values = []
        for name in names:
            _check_name(name)
            vals = grid[name]
            if isinstance(vals, (str, bytes)) or not isinstance(
                vals, (Sequence, np.ndarray, range)
            ):
                raise TypeError(
                    f"grid[{name!r}] must be a list of values, got {vals!r} of type "
                    f"{type(vals).__name__}"
                )
            values.append(list(vals))
        return [
            dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)
        ]
    if isinstance(grid, (str, bytes)) or not isinstance(grid, Sequence):
        raise TypeError(
            "grid must be a dict of value lists or a list of dicts, got "
            f"{grid!r} of type {type(grid).__name__}"
        )
    points = []
    for i, point in enumerate(grid):
        if not isinstance(point, Mapping):
            raise TypeError(
                f"grid[{i}] must be a dict of parameters, got {point!r} of type "
                f"{type(point).__name__}"
            )
        for name in point:
            _check_name(name)
        points.append(dict(point))
    return points


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(
            f"grid parameter names must be valid Python identifiers, got {name!r}"
        )


def _fields(result: Any) -> dict[str, Any]:
    """The columns a result contributes to its row."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        to_dict = getattr(result, "to_dict", None)
        return dict(to_dict()) if callable(to_dict) else dataclasses.asdict(result)
    if isinstance(result, Mapping):
        return dict(result)
    return {"result": result}


def _row(point: dict[str, Any], result: Any) -> dict[str, Any]:
    row = dict(point)
    for name, value in _fields(result).items():
        if name in row and not _same(row[name], value):
            row[f"{name}_result"] = value
        else:
            row[name] = value
    return row


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _fail(index: int, point: dict[str, Any], exc: BaseException) -> RuntimeError:
    return RuntimeError(
        f"sweep failed at grid point {index} {point!r}: {type(exc).__name__}: {exc}"
    )


def sweep(
    function: Callable[..., Any],
    grid: Any,
    *,
    executor: cf.Executor | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Evaluate ``function(**point)`` at every grid point; return one row per point.

    Parameters
    ----------
    function : callable
        Called with each point's parameters as keyword arguments. It may
        return a mapping (its items become columns), a dataclass instance
        (its fields, or its ``to_dict()``, become columns) or anything else
        (one column named ``result``).
    grid : dict of sequences, or sequence of dicts
        See :func:`grid_points`.
    executor : concurrent.futures.Executor, optional
        Where to run the points: a thread or process pool, or the executor of
        a Dask client (``client.get_executor()``) to run on a cluster. The
        default runs every point in this process, in order.
    progress : bool, default True
        Show a progress bar over grid points.

    Returns
    -------
    pandas.DataFrame
        One row per grid point, in grid order (not in order of completion):
        the parameters, then the result's fields. A result field with the
        same name as a parameter but a different value is kept as
        ``<name>_result``.

    Raises
    ------
    RuntimeError
        When a point fails; the message names the point, and the original
        exception is chained. Points not yet started are cancelled.

    Notes
    -----
    With a process pool or a Dask cluster, ``function`` and its results are
    pickled, so define ``function`` at module level (Dask also accepts
    closures and lambdas through cloudpickle).

    References
    ----------
    The chapter *Interference under concurrency* runs its ``(d, k)`` grid
    through this function; the module docstring shows the Dask set-up.

    Examples
    --------
    >>> def area(width, height):
    ...     return {"area": width * height}
    >>> sweep(area, {"width": [1, 2], "height": [10, 20]}, progress=False)
       width  height  area
    0      1      10    10
    1      1      20    20
    2      2      10    20
    3      2      20    40
    """
    if not callable(function):
        raise TypeError(f"function must be callable, got {function!r}")
    if executor is not None and not isinstance(executor, cf.Executor):
        raise TypeError(
            "executor must be None or a concurrent.futures.Executor (for Dask: "
            f"client.get_executor()), got {executor!r}"
        )
    progress = check_bool("progress", progress)
    points = grid_points(grid)
    rows: list[dict[str, Any] | None] = [None] * len(points)
    with tqdm(total=len(points), disable=not progress, unit="point") as bar:
        if executor is None:
            for i, point in enumerate(points):
                try:
                    result = function(**point)
                except Exception as exc:
                    raise _fail(i, point, exc) from exc
                rows[i] = _row(point, result)
                bar.update(1)
        else:
            futures = {executor.submit(function, **p): i for i, p in enumerate(points)}
            try:
                for future in cf.as_completed(futures):
                    i = futures[future]
                    try:
                        result = future.result()
                    except Exception as exc:
                        raise _fail(i, points[i], exc) from exc
                    rows[i] = _row(points[i], result)
                    bar.update(1)
            finally:
                for future in futures:
                    future.cancel()
    if not points:
        columns = list(grid) if isinstance(grid, Mapping) else []
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(rows)
