"""Named queries and gap rules over a store, each with its networkx and Cypher version side by side.

Every public function takes a :class:`~mapper.store_protocol.Store` first, calls its query's
registered networkx/Cypher pair (:mod:`queries.dispatch`), and returns a typed result with
``columns``, ``rows()`` and ``to_json()`` (see :mod:`mapper.output`).

=======================  =========================================================
module                   public functions
=======================  =========================================================
:mod:`queries.lookup`    ``resolve_id``, ``suggest``, ``search``, ``show``, ``stats``
:mod:`queries.engagement` ``who``, ``what``
:mod:`queries.matrix`    ``matrix``
:mod:`queries.paths`     ``path``
:mod:`queries.brokers`   ``brokers``, ``actor_projection``
:mod:`queries.timeline`  ``timeline``
:mod:`queries.gaps`      ``run_gaps``, ``list_rules`` (one module per rule)
:mod:`queries.diff`      ``diff``
:mod:`queries.asof`      ``as_of_graph``, ``valid_on`` (the as-of view)
:mod:`queries.ecosystem` ``ecosystem``, ``ecosystem_nx``, ``ecosystem_cypher``
:mod:`queries.cypher`    shared Cypher fragments (as-of filter, statuses, sources)
:mod:`queries.dispatch`  ``query_pair``, ``registered`` (the registry of query pairs)
:mod:`queries.roots`     ``gap_findings`` (gap rules when the default root is absent)
=======================  =========================================================

Queries import the core (:mod:`mapper`) only, never exports or the CLI. Submodules are not
imported here, so ``import queries`` stays cheap.
"""
