"""Outputs of igf-mapper: the interactive HTML map, static figures, graph and table formats, and
the report bundle (design sections 5 and 7; docs/maps.md).

Modules (import what you need; nothing heavy is imported here):

* :mod:`exports.html_map` -- ``write_map``/``render_map``: offline, script-safe HTML map
* :mod:`exports.static` -- network and engagement figures (PNG, SVG, PDF), deterministic bytes
* :mod:`exports.drawing` -- the figures' drawing model: an SVG writer and a matplotlib replay
* :mod:`exports.formats` -- GraphML, GEXF, JSON node-link, CSV, XLSX, and ``read_graph``
* :mod:`exports.cypher_script` -- a Cypher script recreating the graph on Neo4j
* :mod:`exports.kumu` -- Kumu JSON blueprint
* :mod:`exports.export` -- ``export(source, fmt, out, ...)``: every format behind one call
* :mod:`exports.report` -- ``write_report``: report.md, report.html, map, figures, tables
* :mod:`exports.view`, :mod:`exports.style`, :mod:`exports.layout`, :mod:`exports.progress` --
  what to show, the shared visual vocabulary, deterministic layout, progress bars
"""
