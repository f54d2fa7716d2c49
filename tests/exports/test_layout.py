"""Layout determinism across interpreter runs (hash seeds), not only within one process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
CODE = (
    "import hashlib, sys\n"
    "from mapper.store import seed_dataset, EmbeddedStore\n"
    "from exports.view import select\n"
    "from exports.layout import compute_positions\n"
    "for as_of in (None, '2025-06-30'):\n"
    "    graph = select(EmbeddedStore(seed_dataset()).graph, as_of=as_of)\n"
    "    print(hashlib.sha256(repr(sorted(compute_positions(graph).items())).encode()).hexdigest())\n"
)


def positions_digest(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, check=True)
    return proc.stdout


def test_positions_do_not_depend_on_the_hash_seed() -> None:
    # Hash seeds 1 and 3 gave different layouts while a component was iterated as a set.
    digests = {positions_digest(seed) for seed in ("1", "3", "4", "5")}
    assert len(digests) == 1


BIG = (
    "import hashlib, random\n"
    "from benchmarks.generate import generate\n"
    "from mapper.dataset import to_graph\n"
    "from exports.layout import SPRING_LIMIT, compute_positions\n"
    "graph = to_graph(generate(SPRING_LIMIT + 200, seed=2))\n"
    "random.seed(5); before = random.random(); random.seed(5)\n"
    "positions = compute_positions(graph, seed=7)\n"
    "assert random.random() == before, 'the layout used the global random state'\n"
    "print(hashlib.sha256(repr(sorted(positions.items())).encode()).hexdigest())\n"
)


def test_big_graphs_use_igraph_deterministically() -> None:
    """Above SPRING_LIMIT python-igraph lays out: the same bytes whatever the hash seed, and
    the caller's ``random`` state untouched (igraph gets its own seeded generator)."""
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run(
            [sys.executable, "-c", BIG], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1 and len(next(iter(outputs)).strip()) == 64


def test_dense_spring_layout_is_networkx_spring_layout_bit_for_bit(seed_store) -> None:
    """The layout's own dense Fruchterman-Reingold gives exactly what nx.spring_layout gives
    (same floats), on the seed's component and on random graphs up to the dense limit."""
    import math
    import random

    import networkx as nx
    import numpy as np

    from exports.layout import NX_DENSE_LIMIT, _component, _simple, dense_spring_layout

    simple = _simple(seed_store.graph)
    graphs = [_component(simple, max(nx.connected_components(simple), key=len))]
    rng = random.Random(11)
    for size in (3, 40, 150, 299, 300, NX_DENSE_LIMIT - 1):
        graphs.append(nx.gnp_random_graph(size, rng.uniform(0.005, 0.08), seed=rng.randrange(10**6)))
    for graph in graphs:
        n = graph.number_of_nodes()
        for seed in (42, 3):
            options = {"k": 1.8 / math.sqrt(n), "iterations": 150 if n < 300 else 60, "seed": seed}
            expected = nx.spring_layout(graph, **options)
            got = dense_spring_layout(graph, **options)
            assert list(got) == list(expected)
            assert all(np.array_equal(got[v], expected[v]) for v in expected), (n, seed)


def test_separate_checks_the_same_pairs_as_checking_every_pair() -> None:
    """separate's pair finder keeps a list of candidates between rounds: on points that move a
    little, a lot and not at all, with the reach changing, it returns exactly the pairs within
    reach that comparing every pair finds, in the same order."""
    import numpy as np

    from exports.declutter import _pairs_within_function

    rng = np.random.default_rng(5)
    for n in (2, 40, 400):
        pairs = _pairs_within_function(n)
        pos = rng.uniform(-300, 300, (n, 2))
        for step, reach in [(0, 40.0), (0.5, 40.0), (3, 40.0), (30, 40.0), (0, 55.0), (1, 55.0), (200, 55.0)]:
            pos = pos + rng.normal(0, step, (n, 2)) if step else pos
            first, second = np.triu_indices(n, k=1)
            d = pos[second] - pos[first]
            near = np.flatnonzero(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1] <= reach * reach)
            expected = np.stack([first[near], second[near]], axis=1)
            assert np.array_equal(pairs(pos, reach), expected), (n, step, reach)
