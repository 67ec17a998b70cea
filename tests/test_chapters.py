"""Every chapter is in the toc, has a parameters cell and a smoke-size test."""

from __future__ import annotations

import importlib

import pytest
from chapters import (
    NOTEBOOKS,
    ROOT,
    parameter_names,
    read_chapter,
    toc_chapters,
    toc_files,
)

CHAPTERS = toc_chapters()


def test_toc_lists_every_chapter_and_only_existing_files():
    on_disk = sorted(p.stem for p in NOTEBOOKS.glob("*.md"))
    missing = sorted(set(on_disk) - set(CHAPTERS))
    assert not missing, f"chapters not listed in _toc.yml: {missing}"
    for entry in toc_files():
        candidates = [ROOT / f"{entry}{s}" for s in (".md", ".ipynb", ".rst")]
        assert any(p.exists() for p in candidates), f"_toc.yml names {entry!r}, absent"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_parameters_cell(name):
    names = parameter_names(read_chapter(name))
    assert names, f"chapter {name!r} has no code cell tagged 'parameters'"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_smoke_test(name):
    path = ROOT / "tests" / f"test_chapter_{name.replace('-', '_')}.py"
    assert path.exists(), f"chapter {name!r} has no regression test {path.name}"
    module = importlib.import_module(path.stem)
    smoke = getattr(module, "SMOKE", None)
    assert isinstance(smoke, dict), f"{path.name} defines no SMOKE parameters dict"
    unknown = set(smoke) - parameter_names(read_chapter(name))
    assert not unknown, f"{path.name}: SMOKE sets {unknown}, not in parameters cell"
