"""The map in the browser: headless Chromium's time from navigation to a drawn, still network.

Ours is the page ``igfmap map`` writes (:func:`exports.html_map.write_map`, default view); the
baseline is pyvis's own page of the same graph, as a pyvis user gets it: ``Network`` with its
defaults (physics on), one ``add_node``/``add_edge`` per item, vis-network inlined
(``cdn_resources="in_line"``, since nothing can be fetched here).

One criterion for both pages, measured inside the page by a script Playwright injects before
any of the page's own (so it needs no page-specific names and the page's CSP does not apply):

* it records every ``vis.Network`` the page constructs (a ``Proxy`` around the constructor,
  installed when vis-network's bundle assigns ``window.vis``), to count the nodes drawn;
* on animation frames at least ``SAMPLE_MS`` apart it copies the network's canvas pixels;
* **drawn**: the canvas holds painted pixels and the network holds every node;
* **still**: ``STILL_SAMPLES`` consecutive drawn samples with identical pixels (about a second
  with nothing on the canvas changing, not even by one pixel value);
* the time is that of the **first** sample of that still run, from ``performance.now()``, whose
  origin is the navigation start.

A page that is not still ``cap`` seconds after navigation is reported as "> cap" (and not
repeated: another run would cost the cap again). Requests that leave the page (pyvis's template
links Bootstrap from a CDN even with inlined resources) fail at once inside Chromium (every host
name resolves to nothing), as offline: blocking them with a Playwright route instead would hold
the page's parser until Python next talks to the browser.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

CHROMIUM = os.environ.get("IGFMAP_CHROMIUM", "/usr/bin/chromium")
#: Debian's Chromium headless and quiet: without the background-networking flags it tries
#: outside hosts (../shared/reference/pitfalls.md).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Every host name fails to resolve, at once: the pages are measured offline.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND"
VIEWPORT = {"width": 1400, "height": 900}
SAMPLE_MS = 100
STILL_SAMPLES = 10
DEFAULT_CAP = 120.0
DEFAULT_ENTITIES = 2000
DEFAULT_REPEATS = 3
SCREENSHOT_WAIT = 30.0  # seconds; a page that is not still may not give a frame at all

SAMPLER_JS = """
(() => {
  const SAMPLE_MS = %(sample_ms)d, STILL_SAMPLES = %(still)d, CAP_MS = %(cap_ms)d;
  const bench = window.__stillBench = {
    networks: [], samples: 0, samplingMs: 0, samplingBeforeStillMs: 0, firstDrawnMs: null, result: null
  };
  // Record every vis.Network the page builds: vis-network's bundle runs
  // `(globalThis.vis = globalThis.vis || {})` and then assigns `.Network` on that object.
  let vis;
  Object.defineProperty(window, "vis", {
    configurable: true,
    get() { return vis; },
    set(value) {
      vis = value;
      let Network;
      Object.defineProperty(value, "Network", {
        configurable: true, enumerable: true,
        get() { return Network; },
        set(C) {
          Network = new Proxy(C, {
            construct(target, args, newTarget) {
              const net = Reflect.construct(target, args, newTarget);
              bench.networks.push(net);
              return net;
            }
          });
        }
      });
    }
  });
  function nodeCount() {
    const net = bench.networks[bench.networks.length - 1];
    return net && net.body ? net.body.nodeIndices.length : 0;
  }
  function expected() {
    const net = bench.networks[bench.networks.length - 1];
    return net && net.body ? net.body.data.nodes.length : -1;
  }
  let previous = null, still = 0, stillSince = null, lastSample = -Infinity;
  function sample(now) {
    const canvas = document.querySelector("div.vis-network canvas");
    if (!canvas || !canvas.width || !canvas.height) return;
    const ctx = canvas.getContext("2d");
    const pixels = new Uint32Array(ctx.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    let painted = false;
    for (let i = 0; i < pixels.length; i += 7) { if (pixels[i] !== 0) { painted = true; break; } }
    const drawn = painted && nodeCount() > 0 && nodeCount() === expected();
    if (!drawn) { previous = null; still = 0; return; }
    if (bench.firstDrawnMs === null) bench.firstDrawnMs = now;
    let same = previous !== null && previous.length === pixels.length;
    for (let i = 0; same && i < pixels.length; i++) { if (pixels[i] !== previous[i]) same = false; }
    if (same) { still += 1; } else { still = 1; stillSince = now; bench.samplingBeforeStillMs = bench.samplingMs; }
    previous = pixels;
    if (still >= STILL_SAMPLES) {
      bench.result = { capped: false, ms: stillSince, nodes: nodeCount(), canvas: [canvas.width, canvas.height] };
    }
  }
  function tick() {
    const now = performance.now();
    if (now - lastSample >= SAMPLE_MS) {
      lastSample = now;
      sample(now);
      bench.samples += 1;
      bench.samplingMs += performance.now() - now;
    }
    if (bench.result) return;
    if (now > CAP_MS) { bench.result = { capped: true, ms: now, nodes: nodeCount(), canvas: null }; return; }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""


@dataclass
class PageRun:
    """One page load: when it was drawn and still (ms after navigation), or that it was capped."""

    seconds: float
    capped: bool
    nodes: int
    samples: int
    #: time the sampler spent before the still moment (what it may have added to ``seconds``)
    sampling_seconds: float
    first_drawn: float | None
    outside_requests: int


@dataclass
class BrowserResult:
    """Both pages of one graph, each loaded a few times."""

    entities: int
    relations: int
    nodes: int
    cap: float
    page_bytes: dict[str, int]
    chromium: str = ""
    runs: dict[str, list[PageRun]] = field(default_factory=lambda: {"ours": [], "base": []})
    screenshots: dict[str, Path] = field(default_factory=dict)

    def best(self, side: str) -> PageRun | None:
        """The fastest run that became still (None when every run was capped)."""
        done = [r for r in self.runs[side] if not r.capped]
        return min(done, key=lambda r: r.seconds) if done else None

    def ratio(self) -> tuple[float | None, bool]:
        """ours / baseline and whether it is an upper bound (the baseline was capped)."""
        ours, base = self.best("ours"), self.best("base")
        if ours is None:
            return None, False
        if base is None:
            return ours.seconds / self.cap, True
        return ours.seconds / base.seconds, False


def missing_reason() -> str:
    """Why the browser pair cannot run here ('' when it can)."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (apt-get install -y --no-install-recommends chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright; never `playwright install`)"
    return ""


@contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``) with a fresh temporary profile, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*FLAGS, OFFLINE])
        try:
            yield browser
        finally:
            browser.close()


def time_to_still(browser: Any, path: Path, cap: float, screenshot: Path | None = None) -> PageRun:
    """Load ``path`` in a fresh context and wait until the sampler says drawn and still (or capped)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(
        SAMPLER_JS % {"sample_ms": SAMPLE_MS, "still": STILL_SAMPLES, "cap_ms": int(cap * 1000)}
    )
    page = context.new_page()
    try:
        page.goto(path.resolve().as_uri(), wait_until="commit")
        deadline = time.monotonic() + cap + 60  # the page's clock decides; this only guards a hang
        result = None
        while result is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path.name}: the sampler gave no answer within {cap + 60:.0f} s")
            time.sleep(0.25)
            result = page.evaluate("() => window.__stillBench && window.__stillBench.result")
        stats = page.evaluate(
            """() => [__stillBench.samples, __stillBench.samplingBeforeStillMs, __stillBench.firstDrawnMs,
                performance.getEntriesByType("resource").filter(e => /^(https?|wss?):/.test(e.name)).length]"""
        )
        if screenshot is not None:
            # A page still busy (physics) may give no frame for a while: wait, but not forever.
            try:
                page.screenshot(path=str(screenshot), timeout=min(cap, SCREENSHOT_WAIT) * 1000)
            except Exception as err:  # a missing picture must not lose the figures
                print(f"  no screenshot of {path.name}: {err}".splitlines()[0], file=sys.stderr)
    finally:
        context.close()
    return PageRun(
        seconds=result["ms"] / 1000,
        capped=bool(result["capped"]),
        nodes=int(result["nodes"]),
        samples=int(stats[0]),
        sampling_seconds=stats[1] / 1000,
        first_drawn=None if stats[2] is None else stats[2] / 1000,
        outside_requests=int(stats[3]),
    )


def write_pages(n: int, tmp: Path, seed: int = 0) -> tuple[Path, Path, nx.MultiDiGraph]:
    """Our map and pyvis's own page of the same generated graph of ``n`` entities."""
    from benchmarks.generate import generate
    from benchmarks.run import stock_pyvis_html
    from exports.html_map import write_map
    from mapper.store import EmbeddedStore

    store = EmbeddedStore(generate(n, seed=seed))
    ours = tmp / f"browser-ours-{n}.html"
    write_map(store, ours)  # what `igfmap map` writes: default view, every entity up to MAX_NODES
    base = tmp / f"browser-pyvis-{n}.html"
    base.write_text(stock_pyvis_html(store.graph), encoding="utf-8")
    return ours, base, store.graph


def measure(
    n: int = DEFAULT_ENTITIES,
    tmp: Path | None = None,
    *,
    repeats: int = DEFAULT_REPEATS,
    cap: float = DEFAULT_CAP,
    screenshots: Path | None = None,
    log: Callable[[str], None] = print,
    browser: Any = None,
) -> BrowserResult:
    """Both pages of an ``n``-entity graph, loaded alternately up to ``repeats`` times each; a
    side whose run was capped is not run again. ``screenshots``: a directory for a PNG of each
    page when it was still (the last run of each side). ``browser``: a Playwright ``Browser``
    launched with :data:`FLAGS` and :data:`OFFLINE` to use instead of one of its own (a process
    holds one Playwright at a time: the tests share theirs)."""
    with _workdir(tmp) as work, _browser(browser) as browser:
        ours_path, base_path, graph = write_pages(n, work)
        result = BrowserResult(
            entities=graph.number_of_nodes(),
            relations=graph.number_of_edges(),
            nodes=graph.number_of_nodes(),
            cap=cap,
            page_bytes={"ours": ours_path.stat().st_size, "base": base_path.stat().st_size},
        )
        pages = {"ours": ours_path, "base": base_path}
        result.chromium = browser.version
        for i in range(repeats):
            for side in ("ours", "base"):
                done = result.runs[side]
                if any(r.capped for r in done):
                    continue
                shot = None
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    shot = screenshots / f"browser-{side}-{n}.png"
                    result.screenshots[side] = shot
                run = time_to_still(browser, pages[side], cap, shot)
                done.append(run)
                took = f"> {cap:g} s (capped)" if run.capped else f"{run.seconds:.2f} s"
                log(f"  browser {side} run {i + 1}: {took}, {run.nodes} nodes drawn")
    return result


@contextmanager
def _browser(given: Any) -> Iterator[Any]:
    """``given``, or a browser of our own (:func:`launch`) closed afterwards."""
    if given is not None:
        yield given
        return
    with launch() as browser:
        yield browser


@contextmanager
def _workdir(tmp: Path | None) -> Iterator[Path]:
    """``tmp`` itself, or a temporary directory removed afterwards."""
    import tempfile

    if tmp is not None:
        yield tmp
        return
    with tempfile.TemporaryDirectory(prefix="igfmap-browser-") as name:
        yield Path(name)
