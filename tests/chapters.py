"""Run the book's chapters under papermill and read back what they glued.

A chapter is a MyST Markdown notebook in ``notebooks/`` listed in
``_toc.yml``. Its test module, ``tests/test_chapter_<name>.py``, defines a
``SMOKE`` dict of parameters that make it run in seconds, calls
:func:`run_chapter` once per module and checks the glued values, against
theory where theory exists.
"""

from __future__ import annotations

import ast
import json
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import papermill
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def toc_files() -> list[str]:
    """Every file named in ``_toc.yml``, without suffix, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return files


def toc_chapters() -> list[str]:
    """Names of the executable chapters (files under ``notebooks/``) in the toc."""
    return [f.split("/", 1)[1] for f in toc_files() if f.startswith("notebooks/")]


def read_chapter(name: str) -> nbformat.NotebookNode:
    """The chapter ``notebooks/<name>.md`` as a notebook."""
    return jupytext.read(NOTEBOOKS / f"{name}.md")


def parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The code cell tagged ``parameters``, or ``None``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return cell
    return None


def parameter_names(nb: nbformat.NotebookNode) -> set[str]:
    """Names assigned at top level in the parameters cell."""
    cell = parameters_cell(nb)
    if cell is None:
        return set()
    names = set()
    for node in ast.parse(cell.source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


_NUMPY_SCALAR = re.compile(r"^np\.(?:float|int|uint|bool_?)\w*\((.*)\)$", re.S)


def _parse_plain(text: str) -> Any:
    text = text.strip()
    m = _NUMPY_SCALAR.match(text)
    if m:
        text = m.group(1)
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def glued_values(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Map each name glued with ``myst_nb.glue`` to its value.

    Values are read from the ``text/plain`` representation, so numbers,
    strings, lists and dicts come back as Python objects; anything else
    (a figure, a table) comes back as its text.
    """
    values: dict[str, Any] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            text = out.get("data", {}).get(prefix + "text/plain")
            if text is not None:
                values[meta["name"]] = _parse_plain(text)
    return values


@cache
def _run(name: str, frozen: str) -> dict[str, Any]:
    nb = read_chapter(name)
    with tempfile.TemporaryDirectory(prefix=f"chapter-{name}-") as tmp:
        src = Path(tmp) / f"{name}.ipynb"
        out = Path(tmp) / f"{name}.out.ipynb"
        nbformat.write(nb, src)
        papermill.execute_notebook(
            str(src),
            str(out),
            parameters=json.loads(frozen),
            kernel_name="python3",
            cwd=str(NOTEBOOKS),
            progress_bar=False,
            log_output=False,
        )
        executed = nbformat.read(out, as_version=4)
    return glued_values(executed)


def run_chapter(name: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Execute chapter ``name`` with ``parameters``; return its glued values.

    Runs are cached per process, so several test modules may ask for the
    same chapter at the same size without running it twice.
    """
    return _run(name, json.dumps(parameters, sort_keys=True))


def expect_between(
    chapter: str, glued: dict[str, Any], name: str, low: float, high: float, why: str
) -> float:
    """Assert that glued value ``name`` lies in ``[low, high]``; return it.

    ``why`` says where the range comes from (the theory and the standard
    error behind the tolerance); the failure message names the chapter, the
    value and the expected range.
    """
    assert name in glued, f"chapter {chapter!r} glued no value named {name!r}"
    value = float(glued[name])
    assert low <= value <= high, (
        f"chapter {chapter!r}: {name} = {value!r}, expected in "
        f"[{low!r}, {high!r}] ({why})"
    )
    return value
