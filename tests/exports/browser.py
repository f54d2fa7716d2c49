"""A real headless Chromium (Debian's ``chromium``) driven by Playwright, with every request that
leaves the page blocked and counted. Used by the map and report browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# One Chromium and one set of flags for the tests and the browser benchmark.
from benchmarks.browser import CHROMIUM, FLAGS, OFFLINE


@dataclass
class PageLog:
    """What a page did besides rendering: outside requests, console errors, dialogs, CSP."""

    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.outside_requests == [], f"requests left the page: {self.outside_requests}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert self.page_errors == [], f"page errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


def chromium_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found: apt-get install -y --no-install-recommends chromium"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install playwright (never `playwright install`)"
    return None


@contextmanager
def browser() -> Iterator[Any]:
    """A Chromium browser (Playwright ``Browser``), closed on exit."""
    from playwright.sync_api import sync_playwright

    # Playwright's launch() gives the browser a fresh temporary profile of its own (it refuses
    # --user-data-dir; launch_persistent_context is the other way), removed on close.
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*FLAGS, OFFLINE])
        try:
            yield b
        finally:
            b.close()


@contextmanager
def open_page(b: Any, path: Path, width: int = 1400, height: int = 900) -> Iterator[tuple[Any, PageLog]]:
    """``path`` loaded from a file:// URL in a fresh context; every other request is aborted
    and recorded in the log."""
    log = PageLog()
    context = b.new_context(viewport={"width": width, "height": height}, java_script_enabled=True)
    url = Path(path).resolve().as_uri()

    def route(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            log.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()

    def on_request(request: Any) -> None:
        u = request.url
        if u != url and not u.startswith(("data:", "blob:", "about:")) and u not in log.outside_requests:
            log.outside_requests.append(u)

    page.on("request", on_request)
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: log.page_errors.append(str(err)))

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.goto(url, wait_until="load")
        yield page, log
    finally:
        context.close()
