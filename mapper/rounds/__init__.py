"""Mapping rounds (issue 23, docs/rounds.md): send each contributor what the mapping records of
it, take the returns in, find duplicates and conflicts, let a curator decide, apply, follow up.

* :func:`write_round_templates` (:mod:`.templates`): a pre-filled template per contributor;
* :func:`intake` (:mod:`.intake`): returns validated one by one, every row a :class:`Proposal`
  (duplicate, conflict, confirmation, new, invalid); :func:`review_bytes` the review workbook;
* :func:`apply_review` (:mod:`.apply`): the curator's decisions in one atomic write;
* :func:`round_status` (:mod:`.status`): sent, returned, open proposals, what changed.

The round ledger (:mod:`.ledger`) lives beside the store file, or in the Neo4j database.
"""

from mapper.rounds.apply import ApplyResult, apply_review, round_of_source
from mapper.rounds.intake import IntakeResult, Proposal, intake
from mapper.rounds.ledger import return_source_id
from mapper.rounds.review import read_review, review_bytes
from mapper.rounds.status import RoundStatus, round_status
from mapper.rounds.templates import TemplatesResult, write_round_templates

__all__ = [
    "ApplyResult",
    "IntakeResult",
    "Proposal",
    "RoundStatus",
    "TemplatesResult",
    "apply_review",
    "intake",
    "read_review",
    "return_source_id",
    "review_bytes",
    "round_of_source",
    "round_status",
    "write_round_templates",
]
