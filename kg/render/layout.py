"""Node positions for graphs too big for the browser's physics simulation.

vis.js needs minutes to settle a thousand-node graph with physics on, and never
settles tens of thousands.  Above the physics limit, positions are computed
here once and the page is drawn with physics off:

* the most important nodes (the "core") get a Fruchterman-Reingold layout,
  vectorised with numpy (networkx's own needs scipy's sparse loop, which is
  far slower for this size);
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

CORE_SIZE = 500
ITERATIONS = 80
SPACING = 90.0
"""Pixels between neighbouring nodes, roughly."""


def spring_positions(graph: nx.Graph, order: Sequence[str], *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node of the undirected ``graph``; ``order`` is most important first."""
    rng = np.random.default_rng(seed)
    core = [n for n in order if graph.degree(n) > 0][:CORE_SIZE]
    placed: dict[str, np.ndarray] = {}
    if core:
        coords = _fruchterman_reingold(graph.subgraph(core), core, rng)
        placed.update(zip(core, coords, strict=True))
    _attach(graph, order, placed, rng)
    spiral = _spiral_start(placed)
    for node in order:
        if node in placed:
            continue
        placed[node] = next(spiral)
        _attach(graph, [node], placed, rng)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in placed.items()}


def _fruchterman_reingold(graph: nx.Graph, nodes: list[str], rng: np.random.Generator) -> np.ndarray:
    """Force-directed positions in pixels for a connected-ish core of at most a few hundred nodes."""
    count = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array([(index[a], index[b]) for a, b in graph.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    pos = rng.uniform(-1.0, 1.0, size=(count, 2)).astype(np.float64)
    k = math.sqrt(4.0 / max(count, 1))
    temperature = 0.2
    for step in range(ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        dist2 = np.maximum((delta**2).sum(axis=-1), 1e-6)
        disp = (delta * (k * k / dist2)[:, :, None]).sum(axis=1)
        if len(edges):
            diff = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = diff * (np.sqrt((diff**2).sum(axis=1)) / k)[:, None]
            np.subtract.at(disp, edges[:, 0], pull)
            np.add.at(disp, edges[:, 1], pull)
        disp -= pos * 0.02  # a little gravity keeps separate clusters on screen
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = 0.2 * (1.0 - (step + 1) / ITERATIONS) + 0.005
    pos -= pos.mean(axis=0)
    spread = float(np.sqrt((pos**2).sum(axis=1)).max()) or 1.0
    return pos / spread * SPACING * math.sqrt(count)


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


def _spiral_start(placed: dict[str, np.ndarray]) -> Iterator[np.ndarray]:
    """Points on a spiral outside everything placed so far, for components that do not touch it."""
    radius = max((float(np.hypot(*p)) for p in placed.values()), default=0.0) + SPACING * 2
    turn = 0.0
    while True:
        yield np.array([math.cos(turn) * radius, math.sin(turn) * radius])
        step = SPACING * 1.5
        turn += step / radius
        radius += step * step / (2 * math.pi * radius)
