"""Node positions for graphs too big for the browser's physics simulation.

vis.js needs minutes to settle a thousand-node graph with physics on, and never
settles tens of thousands.  Above the physics limit, positions are computed
here once and the page is drawn with physics off:

* the most important nodes (the "core") get networkx's spring layout
  (Fruchterman-Reingold); the core stays small enough for networkx's dense
  numpy version, which takes well under a second;
* the layout is scaled so that a typical core edge is :data:`SPACING` pixels;
* every other node is placed next to its already placed neighbours, in
  breadth-first order, so it lands near what it is connected to;
* components that never touch the core are laid out the same way on a spiral
  around it.

Positions are deterministic for a given graph (seeded), so the same store
gives the same picture.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Sequence

import networkx as nx
import numpy as np

CORE_SIZE = 400
"""Nodes laid out by force; networkx switches to a much slower sparse version at 500."""

ITERATIONS = 60
SPACING = 120.0
"""Pixels between neighbouring nodes, roughly."""


def spring_positions(graph: nx.Graph, order: Sequence[str], *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node of the undirected ``graph``; ``order`` is most important first."""
    rng = np.random.default_rng(seed)
    candidates = graph.subgraph([n for n in order if graph.degree(n) > 0][:CORE_SIZE])
    placed: dict[str, np.ndarray] = {}
    if candidates.number_of_nodes():
        # only the biggest connected part: a core node whose links all lead outside the core would be
        # flung to the rim by the repulsion and drag its neighbours out with it
        core = max(nx.connected_components(candidates), key=len)
        placed.update(_core_layout(candidates.subgraph(core), seed))
    _attach(graph, order, placed, rng)
    spiral = _spiral(placed)
    for node in order:
        if node in placed:
            continue
        placed[node] = next(spiral)
        _attach(graph, [node], placed, rng)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in placed.items()}


def _core_layout(core: nx.Graph, seed: int) -> dict[str, np.ndarray]:
    """networkx's spring layout of the core, in pixels: a median edge is SPACING long."""
    positions = nx.spring_layout(core, seed=seed, iterations=ITERATIONS, weight=None)
    lengths = [float(np.hypot(*(positions[a] - positions[b]))) for a, b in core.edges() if a != b]
    scale = SPACING / (float(np.median(lengths)) if lengths and np.median(lengths) > 0 else 0.05)
    return {node: np.asarray(xy, dtype=float) * scale for node, xy in positions.items()}


def _attach(graph: nx.Graph, seeds: Sequence[str], placed: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    """Place unplaced nodes breadth-first around their placed neighbours."""
    queue = deque(n for n in seeds if n in placed)
    while queue:
        node = queue.popleft()
        for neighbour in graph.neighbors(node):
            if neighbour in placed:
                continue
            anchors = [placed[n] for n in graph.neighbors(neighbour) if n in placed]
            angle = rng.uniform(0.0, 2.0 * math.pi)
            offset = np.array([math.cos(angle), math.sin(angle)]) * SPACING * rng.uniform(0.6, 1.2)
            placed[neighbour] = np.mean(anchors, axis=0) + offset
            queue.append(neighbour)


def _spiral(placed: dict[str, np.ndarray]) -> Iterator[np.ndarray]:
    """Points on a spiral outside everything placed so far, for components that do not touch it."""
    radius = max((float(np.hypot(*p)) for p in placed.values()), default=0.0) + SPACING * 2
    turn = 0.0
    while True:
        yield np.array([math.cos(turn) * radius, math.sin(turn) * radius])
        step = SPACING * 1.5
        turn += step / radius
        radius += step * step / (2 * math.pi * radius)
