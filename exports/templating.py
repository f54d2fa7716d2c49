"""The Jinja environment of the pages, with the map's template compiled ahead of time.

Jinja turns a template into Python source before it runs it: for ``map.html.j2`` that took
10 ms of every ``igfmap map`` (a 20 KB module: lexing, parsing, code generation), and Python's
own ``compile`` of that source 2 ms. The source Jinja generates is shipped beside the template
(``templates/<name>.compiled``, written by ``python -m exports.templating``, a test fails when it
is not what Jinja generates from the template now), so a run only compiles it as Python.

The compiled file's first line names the template's SHA-256 and the Jinja2 version that
generated it. It is used only while both match: an edited template, or another Jinja2
installed, is compiled from its source as before (the same page, only the 10 ms back).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BytecodeCache, Environment, PackageLoader, select_autoescape
from jinja2.bccache import Bucket

from mapper.outputs import atomic_write_text

#: Templates shipped compiled, each with the ``autoescape`` of :func:`environment` it is rendered in.
PRECOMPILED = {"map.html.j2": True}
SUFFIX = ".compiled"


def environment(autoescape: bool, filters: dict[str, Callable[..., Any]] | None = None) -> Environment:
    """The environment every page and report is rendered in: the package's templates, HTML
    escaped unless ``autoescape`` is off (Markdown), trailing newlines kept; ``filters`` added."""
    env = Environment(
        loader=PackageLoader("exports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True) if autoescape else False,
        keep_trailing_newline=True,
        bytecode_cache=_Precompiled(),
    )
    env.filters.update(filters or {})
    return env


def _header(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return (
        f"# Jinja2 {jinja2.__version__} from a template of SHA-256 {digest}: python -m exports.templating\n"
    )


def compiled_text(name: str) -> str:
    """What ``templates/<name>.compiled`` holds: the header, then the Python source Jinja
    generates from the template ``name`` in :func:`environment`."""
    env = environment(autoescape=PRECOMPILED[name])
    source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    return _header(source) + env.compile(source, name, filename, raw=True)


class _Precompiled(BytecodeCache):
    """Jinja's bytecode-cache hook, read-only: the code of a template of :data:`PRECOMPILED`
    comes from its compiled file when that was generated from this source by this Jinja2;
    otherwise (and for every other template) Jinja compiles the source. Nothing is written."""

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        bucket = Bucket(environment, self.get_cache_key(name, filename), self.get_source_checksum(source))
        if name in PRECOMPILED:
            shipped = resources.files("exports") / "templates" / (name + SUFFIX)
            try:
                text = shipped.read_text(encoding="utf-8")
            except FileNotFoundError:
                return bucket
            header, _, code = text.partition("\n")
            if header + "\n" == _header(source):
                bucket.code = compile(code, filename or name, "exec")
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Never called: :meth:`get_bucket` fills the bucket itself."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Compiled templates are shipped, never written at run time."""


def write_compiled(directory: Path | None = None) -> list[Path]:
    """Write ``<name>.compiled`` for every template of :data:`PRECOMPILED` (into the package's
    ``templates`` folder unless ``directory`` is given); the paths written."""
    target = directory or Path(__file__).parent / "templates"
    written = []
    for name in PRECOMPILED:
        path = target / (name + SUFFIX)
        atomic_write_text(path, compiled_text(name))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_compiled(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(f"wrote {path}")
