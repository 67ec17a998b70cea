"""Sphinx extension with fixes for the book's HTML pages.

Jupyter Book 1 with Sphinx 7.4 writes some inline scripts twice into every
page (the configuration of sphinx-thebe and of sphinx-togglebutton): the
extensions register them after the HTML builder has read its list of scripts,
once with an empty and once with a missing file name, which Sphinx does not
recognise as the same script. The second copy of sphinx-thebe's
``const THEBE_JS_URL = ...`` is a JavaScript error on every page. This
extension removes exact duplicates from each page's scripts, keeping the first.

Listed in ``_config.yml`` under ``sphinx: local_extensions``.
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx


def _key(script: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    filename = os.fspath(getattr(script, "filename", script) or "")
    attributes = getattr(script, "attributes", {}) or {}
    return filename, tuple(sorted((k, str(v)) for k, v in attributes.items()))


def _drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    # Late priority: run after extensions that add scripts for this page.
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
