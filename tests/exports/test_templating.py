"""Templates compiled ahead of time: shipped as Jinja generates them now, used only while they
match their template and Jinja2, and the page is the same either way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from exports.templating import PRECOMPILED, SUFFIX, _Precompiled, compiled_text, environment
from mapper.store import EmbeddedStore, seed_dataset

TEMPLATES = Path(__file__).parents[2] / "exports" / "templates"


def test_shipped_compiled_templates_are_what_jinja_generates_now(tmp_path: Path) -> None:
    """The build step (``python -m exports.templating``) writes the shipped files byte for byte:
    a template edited without running it again fails here."""
    proc = subprocess.run(
        [sys.executable, "-m", "exports.templating", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.count("wrote ") == len(PRECOMPILED)
    for name in PRECOMPILED:
        shipped = (TEMPLATES / (name + SUFFIX)).read_text(encoding="utf-8")
        assert shipped == compiled_text(name), f"{name}{SUFFIX} is stale: run python -m exports.templating"
        assert (tmp_path / (name + SUFFIX)).read_text(encoding="utf-8") == shipped


def test_compiled_code_is_used_only_for_its_own_source() -> None:
    """The shipped code fills Jinja's bucket for the template as it is; for an edited template
    the bucket stays empty, so Jinja compiles the source."""
    env = environment(autoescape=True)
    cache = _Precompiled()
    for name in PRECOMPILED:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        assert cache.get_bucket(env, name, filename, source).code is not None
        assert cache.get_bucket(env, name, filename, source + "<!-- edited -->").code is None
    source, filename, _ = env.loader.get_source(env, "matrix.html.j2")  # type: ignore[union-attr]
    assert cache.get_bucket(env, "matrix.html.j2", filename, source).code is None  # not shipped


def test_the_page_is_the_same_from_compiled_code_and_from_source(monkeypatch) -> None:
    """The seed's map rendered with the shipped code, then with the template compiled from its
    source (the template taken off the list of precompiled ones): the same page."""
    from exports.html_map import map_page

    store = EmbeddedStore(seed_dataset())
    compiled, _ = map_page(store)
    monkeypatch.delitem(PRECOMPILED, "map.html.j2")
    from_source, _ = map_page(store)
    assert compiled == from_source
