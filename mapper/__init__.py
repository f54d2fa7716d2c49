"""igf-mapper: map who engages on which Internet governance / GDC implementation activity.

From Python, ``mapper.open(path_or_uri)`` returns the entry object, a :class:`mapper.api.Mapping`
(see docs/python.md). It is imported on first use, so the core's modules never load the
exports and queries above them, and ``igfmap --help`` stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from mapper.api import Mapping, open

#: Names :func:`__getattr__` fetches from :mod:`mapper.api` when first asked for.
_ENTRY = ("Mapping", "open")


def __getattr__(name: str) -> Any:
    if name in _ENTRY:
        from mapper import api

        return getattr(api, name)
    raise AttributeError(f"module 'mapper' has no attribute {name!r}")


__all__ = ["Mapping", "__version__", "open"]
