"""The two networks: channels for requests and material, and ties among enterprises.

The **channel network** is a directed graph. Nodes: ``ministry:<sector>``,
``office``, ``commission``, ``agency:<key>`` and ``soviet_enterprise:<agency>:<j>``.
Edges carry ``delay_days`` and ``open``; requests go ministry -> channel ->
agency -> enterprise, and material goes enterprise -> channel -> ministry. The
model reads every delay from this graph, and ministries send new requests only
along open ministry -> channel edges; closing a channel stops new requests
entering it, while requests already in it go on and their material comes back
through it.

The **enterprise network** is an undirected graph among Chinese enterprises,
dense within a sector and sparse across sectors, along which adoption spreads.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from sim.catalog import AGENCIES, CHANNEL_LABELS, CHANNELS, SECTORS
from sim.params import Params


def ministry_node(sector: str) -> str:
    """Channel-network node of a ministry."""
    return f"ministry:{sector}"


def agency_node(agency: str) -> str:
    """Channel-network node of a Soviet agency."""
    return f"agency:{agency}"


def enterprise_node(agency: str, j: int) -> str:
    """Channel-network node of a Soviet enterprise."""
    return f"soviet_enterprise:{agency}:{j}"


def build_channel_network(params: Params) -> nx.DiGraph:
    """Build the channel network with delays and open flags from ``params``."""
    graph = nx.DiGraph()
    for sector in SECTORS:
        graph.add_node(ministry_node(sector.key), kind="ministry", label=sector.label)
    for channel in CHANNELS:
        graph.add_node(channel, kind="channel", label=CHANNEL_LABELS[channel])
    for agency in AGENCIES:
        a = agency_node(agency.key)
        graph.add_node(a, kind="agency", label=agency.label, short=agency.short)
        for channel in CHANNELS:
            graph.add_edge(channel, a, flow="request")
        for j in range(params.soviet.enterprises_per_agency):
            e = enterprise_node(agency.key, j)
            graph.add_node(e, kind="soviet_enterprise", label=f"{agency.label}, enterprise {j + 1}", agency=agency.key)
            graph.add_edge(a, e, flow="request")
            for channel in CHANNELS:
                graph.add_edge(e, channel, flow="material")
    for sector in SECTORS:
        m = ministry_node(sector.key)
        for channel in CHANNELS:
            graph.add_edge(m, channel, flow="request")
            graph.add_edge(channel, m, flow="material")
    update_channel_network(graph, params)
    return graph


def update_channel_network(graph: nx.DiGraph, params: Params) -> None:
    """Set every edge's ``delay_days`` and ``open`` from ``params`` (after an event)."""
    for u, v, data in graph.edges(data=True):
        kinds = (graph.nodes[u]["kind"], graph.nodes[v]["kind"])
        if kinds == ("ministry", "channel"):
            channel = getattr(params, v)
            data.update(delay_days=channel.outbound_days, open=channel.open)
        elif kinds == ("channel", "agency"):
            channel = getattr(params, u)
            data.update(delay_days=channel.forward_days, open=channel.open)
        elif kinds == ("agency", "soviet_enterprise"):
            data.update(delay_days=params.soviet.dispatch_days, open=True)
        elif kinds == ("soviet_enterprise", "channel"):
            data.update(delay_days=params.soviet.collect_days, open=getattr(params, v).open)
        elif kinds == ("channel", "ministry"):
            data.update(delay_days=getattr(params, u).return_days, open=True)


def enterprise_edges(
    sizes: list[int], within_degree: float, across_degree: float, rng: np.random.Generator
) -> np.ndarray:
    """Draw the enterprise network's edges as an ``(m, 2)`` array (i < j, unique).

    Enterprises are numbered sector by sector. Within a sector of ``n``
    enterprises, ``n * within_degree / 2`` random pairs are drawn; across
    sectors, ``N * across_degree / 2`` pairs of enterprises in different
    sectors. Self-pairs and repeats are dropped, so degrees are slightly below
    the means asked for when the network is small and dense.
    """
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    total = int(offsets[-1])
    parts = []
    for start, n in zip(offsets[:-1], sizes, strict=True):
        m = round(n * within_degree / 2) if n > 1 else 0
        if m:
            parts.append(start + rng.integers(0, n, size=(m, 2)))
    m = round(total * across_degree / 2)
    if m and len(sizes) > 1:
        pairs = rng.integers(0, total, size=(m, 2))
        sector = np.searchsorted(offsets, pairs, side="right") - 1
        parts.append(pairs[sector[:, 0] != sector[:, 1]])
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    edges = np.concatenate(parts)
    edges = edges[edges[:, 0] != edges[:, 1]]
    edges = np.sort(edges, axis=1)
    return np.unique(edges, axis=0)


def enterprise_graph(n: int, edges: np.ndarray, sector_of: np.ndarray) -> nx.Graph:
    """The enterprise network as a networkx graph (node attribute ``sector``)."""
    graph = nx.Graph()
    keys = [s.key for s in SECTORS]
    graph.add_nodes_from((i, {"sector": keys[s]}) for i, s in enumerate(sector_of.tolist()))
    graph.add_edges_from(edges.tolist())
    return graph


def adjacency(n: int, edges: np.ndarray) -> sp.csr_array:
    """Symmetric 0/1 adjacency matrix of the enterprise network."""
    u, v = edges[:, 0], edges[:, 1]
    data = np.ones(2 * len(edges), dtype=np.float32)
    return sp.csr_array((data, (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(n, n))
