"""Copy the browser assets the book needs into ``book/vendor/`` for offline use.

The built site loads MathJax (for the mathematics) and RequireJS plus the
Jupyter widgets HTML manager (for interactive widgets). By default Sphinx and
myst-nb take these from CDNs, so a reader without internet sees raw TeX and no
widgets. This script installs the exact versions recorded in
``package-lock.json`` (``npm ci``) and copies the files the pages load into
``book/vendor/assets/``, together with ``tools/widgets_setup.js``, which
connects them. ``_config.yml`` lists ``book/vendor`` in Sphinx's
``html_extra_path``, so the build copies them to ``_build/html/assets/`` and the
pages load them with relative URLs.

The folder is deliberately not called ``_static``: Jupyter Book 1 adds every
``.js`` file under a ``_static`` folder as a script on every page.

Run it from anywhere: ``python tools/vendor_assets.py``. It does nothing when
the copies are already up to date.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
TARGET = ROOT / "book" / "vendor" / "assets"
STAMP = TARGET / "versions.json"
# Our own glue between RequireJS, MathJax and the widget manager.
SETUP = ROOT / "tools" / "widgets_setup.js"

# (package, files or folders inside it, destination folder under TARGET)
COPIES = [
    ("mathjax", ["es5"], "mathjax"),
    ("mathjax", ["LICENSE"], "mathjax"),
    ("requirejs", ["require.js"], "requirejs"),
    (
        "@jupyter-widgets/html-manager",
        [
            "dist/embed-amd.js",
            "dist/*.woff2",
            "dist/*.woff",
            "dist/*.ttf",
            "dist/*.eot",
            "dist/*.svg",
        ],
        "html-manager",
    ),
]


def _installed_versions() -> dict[str, str]:
    versions = {SETUP.name: hashlib.sha256(SETUP.read_bytes()).hexdigest()}
    for package in sorted({p for p, _, _ in COPIES}):
        meta = json.loads((MODULES / package / "package.json").read_text())
        versions[package] = meta["version"]
    return versions


def _npm_ci() -> None:
    lock = ROOT / "package-lock.json"
    marker = MODULES / ".package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("vendor_assets: npm not found; install Node.js (it ships npm)")
    subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=ROOT,
        check=True,
    )


def main() -> None:
    _npm_ci()
    versions = _installed_versions()
    if STAMP.exists() and json.loads(STAMP.read_text()) == versions:
        return
    if TARGET.exists():
        shutil.rmtree(TARGET)
    for package, patterns, dest in COPIES:
        out = TARGET / dest
        out.mkdir(parents=True, exist_ok=True)
        for pattern in patterns:
            sources = sorted((MODULES / package).glob(pattern))
            if not sources:
                sys.exit(f"vendor_assets: {package}/{pattern} not found")
            for src in sources:
                if src.is_dir():
                    shutil.copytree(src, out, dirs_exist_ok=True)
                else:
                    shutil.copy2(src, out / src.name)
    shutil.copy2(SETUP, TARGET / SETUP.name)
    STAMP.write_text(json.dumps(versions, indent=2) + "\n")


if __name__ == "__main__":
    main()
