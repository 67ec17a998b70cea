"""The built book, opened page by page in headless Chromium, works offline.

The site is built with the strict command of the Makefile (warnings are
errors, references nitpicky; execution is cached, so a rebuild with nothing
changed takes seconds), served by ``http.server`` on 127.0.0.1, and every
HTML page is opened in Debian's ``/usr/bin/chromium`` through Playwright. Any
request to another host is blocked and recorded. Per page the tests check:

- no request failed (network error or HTTP status >= 400) and none left
  127.0.0.1: MathJax and the widget scripts come from the site itself;
- no console error and no uncaught exception;
- every equation (display ``div.math`` and inline ``span.math``) has been
  typeset by MathJax (it contains an ``mjx-container``);
- every widget view (``script[type="application/vnd.jupyter.widget-view+json"]``)
  has been rendered into widget DOM;
- every internal link resolves to an existing file, and its ``#anchor`` to an
  element id in that file;
- every chapter offers its notebook as ``.ipynb`` for download.

Set ``SEMCONC_SITE_HTML`` to a folder of already built HTML to test that
folder instead of building the book.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Seconds a page may take to load, and then to typeset maths and draw widgets.
# Generous: the machine that runs the tests may be shared and slow.
LOAD_TIMEOUT_MS = 60_000
RENDER_TIMEOUT_MS = 30_000
# Folders of the site that hold assets, not pages.
ASSET_DIRS = {"_static", "_sources", "_images", "assets", "jupyter_execute"}

pytestmark = pytest.mark.browser


def _build_site() -> Path:
    """Run the strict build into ``_build/html`` and return that folder."""
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "vendor_assets.py")], check=True
    )
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = result.stdout + result.stderr
        problems = [
            line
            for line in output.splitlines()
            if any(word in line for word in ("WARNING", "ERROR", "CRITICAL"))
            and "IPKernelApp" not in line  # the kernel's own start-up notice
        ]
        detail = "\n".join(problems) if problems else output[-6000:]
        pytest.fail(f"strict book build failed ({' '.join(command)}):\n{detail}")
    return ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def html_dir() -> Path:
    given = os.environ.get("SEMCONC_SITE_HTML")
    if given:
        path = Path(given).resolve()
        assert (path / "index.html").exists(), f"SEMCONC_SITE_HTML={given}: no site"
        return path
    return _build_site()


def _pages(html_dir: Path) -> list[Path]:
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        rel = path.relative_to(html_dir)
        if rel.parts[0] not in ASSET_DIRS:
            pages.append(rel)
    return pages


_REFRESH = re.compile(
    r"""<meta\s+http-equiv=["']refresh["']\s+content=["']\s*\d+\s*;\s*url=([^"']+)""",
    re.IGNORECASE,
)


def _redirect(path: Path) -> str | None:
    """The target of a page that only redirects (Jupyter Book's root index)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    match = _REFRESH.search(text)
    if match and "<body" not in text.lower():
        return match.group(1).strip()
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base
        pass


@pytest.fixture(scope="module")
def server(html_dir: Path):
    """Serve the site on 127.0.0.1 at a free port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@dataclass
class Visit:
    """What one page did in the browser."""

    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    maths: int = 0
    untypeset_maths: list[str] = field(default_factory=list)
    widgets: int = 0
    unrendered_widgets: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


# Page script shared by the two below: `sel` finds the widget views and
# `drawn(s)` tells whether the widget manager has drawn view `s`.
_WIDGET_VIEWS = """
  const sel = 'script[type="application/vnd.jupyter.widget-view+json"]';
  const drawn = (s) => {
    const prev = s.previousElementSibling;
    return prev !== null && prev.classList.contains("widget-subarea")
      && prev.querySelector(".jupyter-widgets, .lm-Widget") !== null;
  };
""".strip()

# Runs in the page after load: waits for MathJax to finish its first typeset
# pass and for the widget manager to draw every view, up to a time limit.
_SETTLE = """
async (timeout) => {
  const deadline = Date.now() + timeout;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const hasMath = document.querySelector("div.math, span.math") !== null;
  if (hasMath) {
    while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
      if (Date.now() > deadline) return;
      await sleep(50);
    }
    await Promise.race([MathJax.startup.promise, sleep(deadline - Date.now())]);
  }
  /* WIDGET_VIEWS */
  while (![...document.querySelectorAll(sel)].every(drawn)) {
    if (Date.now() > deadline) return;
    await sleep(100);
  }
  await Promise.race([document.fonts.ready, sleep(deadline - Date.now())]);
}
""".replace("/* WIDGET_VIEWS */", _WIDGET_VIEWS)

# Runs in the page once settled: what was and was not rendered, and the links.
_INSPECT = """
() => {
  const text = (el) => el.textContent.trim().replace(/\\s+/g, " ").slice(0, 80);
  const maths = [...document.querySelectorAll("div.math, span.math")];
  /* WIDGET_VIEWS */
  const views = [...document.querySelectorAll(sel)];
  return {
    maths: maths.length,
    untypeset: maths.filter((m) => !m.querySelector("mjx-container")).map(text),
    widgets: views.length,
    unrendered: views.filter((s) => !drawn(s)).map((s) => {
      try { return "view of widget model " + JSON.parse(s.textContent).model_id; }
      catch (e) { return "unreadable widget view " + text(s); }
    }),
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
  };
}
""".replace("/* WIDGET_VIEWS */", _WIDGET_VIEWS)


@pytest.fixture(scope="module")
def visits(html_dir: Path, server: str) -> dict[str, Visit]:
    """Open every page once, in sequence, in one headless Chromium."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: install Debian's chromium (make test does)")
    pages = _pages(html_dir)
    assert pages, f"no HTML pages under {html_dir}"
    host = urlsplit(server).netloc
    results: dict[str, Visit] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context()
        current: list[Visit] = [Visit()]

        def route(r):
            if urlsplit(r.request.url).netloc == host or r.request.url.startswith(
                ("data:", "blob:")
            ):
                r.continue_()
            else:
                current[0].foreign_requests.append(r.request.url)
                r.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()
        page.on(
            "requestfailed",
            lambda req: current[0].failed_requests.append(f"{req.url} ({req.failure})"),
        )
        page.on(
            "response",
            lambda resp: (
                resp.status >= 400
                and current[0].failed_requests.append(
                    f"{resp.url} (HTTP {resp.status})"
                )
            ),
        )
        page.on(
            "console",
            lambda msg: (
                msg.type == "error" and current[0].console_errors.append(msg.text)
            ),
        )
        page.on(
            "pageerror", lambda exc: current[0].console_errors.append(f"uncaught {exc}")
        )
        for rel in pages:
            visit = current[0] = Visit()
            url = server + rel.as_posix()
            target = _redirect(html_dir / rel)
            if target is not None:
                # Nothing to render; its target is checked as a link.
                visit.links = [urljoin(url, target)]
                results[rel.as_posix()] = visit
                continue
            page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
            page.evaluate(_SETTLE, RENDER_TIMEOUT_MS)
            # Let the fonts MathJax and the widgets asked for arrive: leaving
            # earlier aborts them, and they would count against the next page.
            page.wait_for_load_state("networkidle", timeout=RENDER_TIMEOUT_MS)
            found = page.evaluate(_INSPECT)
            visit.maths = found["maths"]
            visit.untypeset_maths = found["untypeset"]
            visit.widgets = found["widgets"]
            visit.unrendered_widgets = found["unrendered"]
            visit.links = found["links"]
            results[rel.as_posix()] = visit
        # A request can fail twice (an HTTP error, then "requestfailed"), and a
        # blocked request fails too: report each URL once, blocked ones as foreign.
        for visit in results.values():
            seen = set(visit.foreign_requests)
            failed = []
            for entry in visit.failed_requests:
                url = entry.rsplit(" (", 1)[0]
                if url not in seen:
                    seen.add(url)
                    failed.append(entry)
            visit.failed_requests = failed
        context.close()
        browser.close()
    return results


def _report(visits: dict[str, Visit], attribute: str) -> str:
    lines = []
    for name, visit in visits.items():
        for item in getattr(visit, attribute):
            lines.append(f"{name}: {item}")
    return "\n".join(lines)


def test_every_page_was_opened(html_dir: Path, visits: dict[str, Visit]):
    expected = {p.as_posix() for p in _pages(html_dir)}
    assert "index.html" in expected, "the site has no index.html"
    assert set(visits) == expected


def test_no_request_leaves_the_site(visits: dict[str, Visit]):
    report = _report(visits, "foreign_requests")
    assert not report, f"requests to hosts other than 127.0.0.1:\n{report}"


def test_no_request_fails(visits: dict[str, Visit]):
    report = _report(visits, "failed_requests")
    assert not report, f"failed requests:\n{report}"


def test_no_console_errors(visits: dict[str, Visit]):
    report = _report(visits, "console_errors")
    assert not report, f"console errors:\n{report}"


def test_every_equation_is_typeset(visits: dict[str, Visit]):
    assert sum(v.maths for v in visits.values()) > 0, "no page holds any maths"
    report = _report(visits, "untypeset_maths")
    assert not report, f"equations MathJax did not typeset:\n{report}"


def test_every_widget_is_rendered(visits: dict[str, Visit]):
    if sum(v.widgets for v in visits.values()) == 0:
        pytest.skip("no page of the book carries a widget")
    report = _report(visits, "unrendered_widgets")
    assert not report, f"widget views not rendered:\n{report}"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.ids.add(value or "")


@functools.cache
def _ids(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def test_internal_links_resolve(html_dir: Path, server: str, visits: dict[str, Visit]):
    host = urlsplit(server).netloc
    broken = defaultdict(set)
    checked = 0
    for name, visit in visits.items():
        for href in visit.links:
            url = urlsplit(urljoin(server + name, href))
            if url.scheme not in ("http", "https") or url.netloc != host:
                continue
            checked += 1
            path = html_dir / unquote(url.path).lstrip("/")
            if url.path.endswith("/") or path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken[name].add(f"{href} (no file {path.relative_to(html_dir)})")
                continue
            fragment = unquote(url.fragment)
            if fragment and path.suffix == ".html" and fragment not in _ids(path):
                broken[name].add(f"{href} (no id {fragment!r} in that page)")
    assert checked > 0, "no internal link found on any page"
    report = "\n".join(f"{n}: {b}" for n, bs in sorted(broken.items()) for b in bs)
    assert not report, f"internal links that do not resolve:\n{report}"


def test_chapters_offer_ipynb_download(html_dir: Path, visits: dict[str, Visit]):
    chapters = [n for n in visits if n.startswith("notebooks/")]
    if not chapters:
        pytest.skip("the site has no chapter page")
    missing = []
    for name in chapters:
        target = "_sources/" + name.removesuffix(".html") + ".ipynb"
        offered = any(link.endswith("/" + target) for link in visits[name].links)
        if not offered or not (html_dir / target).is_file():
            missing.append(f"{name}: no download link to an existing {target}")
    assert not missing, "\n".join(missing)
