"""The Neo4j store: the same dataset in a Neo4j database, written and read with the official driver.

Graph model (documented in docs/neo4j.md):

- every entity is a node ``(:Entity:<Category>:<Type>)`` (e.g. ``:Entity:Actor:DynamicCoalition``)
  with its fields as properties (lists as lists, dates as native ``Date``) and ``category``;
- sources are ``(:Source)`` nodes; an entity's provenance is ``(:Entity)-[:SOURCED_FROM
  {position}]->(:Source)``; a relation's provenance is its ``sources`` list property;
- relations are relationships of the schema's type (``ENGAGES_IN`` ...) with a ``key`` property
  ``source|type|target|role`` that makes MERGE idempotent;
- one ``(:IgfmapMeta {id: 'schema'})`` node keeps the schema version and extension;
- one ``(:IgfmapMeta {id: 'push'})`` node records the last write of a dataset: ``state`` is
  ``in-progress`` from its start until its last batch is in, then ``complete`` (so a push cut
  short by a dying server or client is visible to every later command; see :meth:`push_state`),
  and the claim of the push writing now (``holder``, ``heartbeat``): one writer at a time (see
  :meth:`Neo4jStore._claim_push`).

Labels and relationship types are never parameters in Cypher: they come only from the
validated schema and are checked against the schema's name patterns before use. Values are
always parameters.

One class to its users, :class:`Neo4jStore`, built from one module per concern:

- :mod:`mapper.neo4j.connection`: connecting (credentials, timeouts), running Cypher, bounded retries;
- :mod:`mapper.neo4j.claim`: the push marker and the claim that keeps to one writer at a time;
- :mod:`mapper.neo4j.writes`: constraints, batched writes of a dataset, wiping;
- :mod:`mapper.neo4j.reads`: the schema, the whole dataset, counts;
- :mod:`mapper.neo4j.user_queries`: a user's own Cypher (``igfmap cypher``), kept read-only unless asked;
- :mod:`mapper.neo4j.store`: :class:`Neo4jStore`, the :class:`~mapper.store_protocol.Store` over them.

Names in the graph (labels, relationship types, marker ids) live in :mod:`mapper.graph_names`,
which queries and exports use without importing this package.
"""

from mapper.neo4j.claim import PushState
from mapper.neo4j.connection import configure_driver_logging, split_credentials
from mapper.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore", "PushState", "configure_driver_logging", "split_credentials"]
