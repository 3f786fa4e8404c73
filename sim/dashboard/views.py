"""The dashboard's figures and headline figures, drawn from a live model (matplotlib, no Solara).

Each function takes the model as it stands and returns a figure; the dashboard
shows them with ``solara.FigureMatplotlib``. They read the model's own state: the
channel network with each node's queue, a fixed sample of the enterprise network
coloured by adoption, and the time series collected so far.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg", force=False)
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.catalog import CATEGORIES, CATEGORY_LABELS, FLIGHT_STAGES

if TYPE_CHECKING:
    from sim.model import TechTransferModel

#: Enterprises drawn in the enterprise-network view.
SAMPLE_SIZE = 160

KIND_COLUMN = {"ministry": 0.0, "channel": 1.0, "agency": 2.0, "soviet_enterprise": 3.0}
COLUMN_TITLES = {
    "ministry": "Chinese ministries",
    "channel": "Channels",
    "agency": "Soviet agencies",
    "soviet_enterprise": "Soviet enterprises",
}
KIND_COLOUR = {"ministry": "#c0392b", "channel": "#2c3e50", "agency": "#2471a3", "soviet_enterprise": "#7fb3d5"}


def timeseries(model: TechTransferModel) -> pd.DataFrame:
    """The time series collected so far, indexed by date."""
    frame = model.datacollector.get_table_dataframe("timeseries")
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.set_index("date")


def headline(model: TechTransferModel, ts: pd.DataFrame | None = None) -> dict[str, Any]:
    """The figures shown above the plots: date, requests, sets, queue, adoption."""
    ts = timeseries(model) if ts is None else ts
    last = ts.iloc[-1]
    return {
        "Date": model.date.isoformat(),
        "Requests made": int(last["requests_created"]),
        "Requests delivered": int(last["requests_fulfilled"]),
        "Sets supplied": int(sum(last[f"sets_supplied_{c}"] for c in CATEGORIES)),
        "Office queue": int(last["office_queue"]),
        "Technology index": round(float(last["technology_index"]), 3),
    }


def _queue_of(model: TechTransferModel) -> dict[str, int]:
    """Requests waiting or in service at every node of the channel network."""
    queue: dict[str, int] = {}
    for ministry in model.ministries:
        queue[ministry.node] = ministry.translation.queue_length + ministry.translation.in_service
    for channel in model.channels:
        queue[channel.node] = channel.queue.queue_length + channel.queue.in_service
    for agency in model.agencies:
        queue[agency.node] = agency.reviews.queue_length + agency.reviews.in_service
    for enterprise in model.soviet_enterprises:
        queue[enterprise.node] = enterprise.copying.queue_length + enterprise.copying.in_service
    return queue


def channel_layout(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Ministries, channels, agencies and Soviet enterprises in four columns, left to right."""
    columns: dict[str, list[str]] = {kind: [] for kind in KIND_COLUMN}
    for node, data in graph.nodes(data=True):
        columns[data["kind"]].append(node)
    position = {}
    for kind, nodes in columns.items():
        for i, node in enumerate(nodes):
            position[node] = (KIND_COLUMN[kind], 1.0 - (i + 0.5) / max(len(nodes), 1))
    return position


def channel_figure(model: TechTransferModel) -> Figure:
    """The channel network: node area by the requests waiting there, closed channels dashed and grey."""
    graph = model.channel_network
    position = channel_layout(graph)
    queue = _queue_of(model)
    figure = Figure(figsize=(7.5, 4.6), layout="constrained")
    ax = figure.subplots()
    open_edges = [(u, v) for u, v, d in graph.edges(data=True) if d.get("open", True)]
    closed_edges = [(u, v) for u, v, d in graph.edges(data=True) if not d.get("open", True)]
    nx.draw_networkx_edges(graph, position, edgelist=open_edges, ax=ax, edge_color="0.75", arrows=False, width=0.5)
    nx.draw_networkx_edges(
        graph, position, edgelist=closed_edges, ax=ax, edge_color="0.6", style="dashed", arrows=False, width=0.8
    )
    for kind, colour in KIND_COLOUR.items():
        nodes = [n for n, d in graph.nodes(data=True) if d["kind"] == kind]
        sizes = [12 + 6 * np.sqrt(queue.get(n, 0)) * (4 if kind == "channel" else 1) for n in nodes]
        nx.draw_networkx_nodes(graph, position, nodelist=nodes, node_size=sizes, node_color=colour, ax=ax)
    labels = {n: d["label"] for n, d in graph.nodes(data=True) if d["kind"] in {"channel", "ministry"}}
    for node, text in labels.items():
        x, y = position[node]
        extra = f" ({queue.get(node, 0)})"
        ax.annotate(text + extra, (x, y), xytext=(6, 0), textcoords="offset points", fontsize=6, va="center")
    for kind, x in KIND_COLUMN.items():
        ax.text(x, 1.02, COLUMN_TITLES[kind], ha="center", fontsize=8, transform=ax.transData)
    ax.set_title(
        f"Channel network on {model.date}: node area = requests waiting or in work (dashed: closed channel)",
        fontsize=8,
    )
    ax.set_xlim(-0.3, 3.5)
    ax.set_ylim(-0.02, 1.06)
    ax.axis("off")
    return figure


def enterprise_sample(model: TechTransferModel, size: int = SAMPLE_SIZE) -> tuple[nx.Graph, dict[int, tuple]]:
    """A fixed sample of the enterprise network (the same for a given seed) and its layout."""
    rng = np.random.default_rng(model.config.seed)
    n = model.population.n
    chosen = np.sort(rng.choice(n, size=min(size, n), replace=False))
    sample = model.enterprise_network.subgraph(chosen.tolist()).copy()
    return sample, nx.spring_layout(sample, seed=int(model.config.seed % 2**32), iterations=30)


def enterprise_figure(model: TechTransferModel, sample: nx.Graph, layout: dict) -> Figure:
    """The sampled enterprises, coloured by the share of the five kinds of material each has adopted."""
    nodes = list(sample.nodes)
    share = model.population.adopted[:, nodes].mean(axis=0)
    figure = Figure(figsize=(5.2, 4.6), layout="constrained")
    ax = figure.subplots()
    nx.draw_networkx_edges(sample, layout, ax=ax, edge_color="0.8", width=0.5)
    drawn = nx.draw_networkx_nodes(
        sample, layout, nodelist=nodes, node_color=share, cmap="viridis", vmin=0, vmax=1, node_size=22, ax=ax
    )
    figure.colorbar(drawn, ax=ax, label="Share of the five kinds adopted (0-1)", shrink=0.7)
    ax.set_title(f"{len(nodes)} of {model.population.n:,} Chinese enterprises on {model.date}", fontsize=8)
    ax.axis("off")
    return figure


def _years(index: pd.DatetimeIndex) -> np.ndarray:
    """Dates as fractional years (1953.5 is early July 1953): cheap ticks, still read as dates."""
    return index.year + (index.day_of_year - 1) / 365.25


def timeseries_figure(ts: pd.DataFrame, events: list[dict], title: str) -> Figure:
    """Six panels over time: requests by stage, lead time, sets delivered, adoption, the office queue, backlog.

    The time axis is in years (ticks at 1 January); dated events are dashed lines labelled at the top.
    """
    figure = Figure(figsize=(12, 6.4))
    figure.subplots_adjust(left=0.06, right=0.99, top=0.9, bottom=0.08, wspace=0.28, hspace=0.3)
    axes = figure.subplots(2, 3, sharex=True)
    figure.suptitle(title, fontsize=10)
    years = _years(ts.index)
    ax = axes[0, 0]
    ax.stackplot(
        years,
        [ts[f"requests_{s.key}"].to_numpy() for s in FLIGHT_STAGES],
        labels=[s.key.replace("_", " ") for s in FLIGHT_STAGES],
    )
    ax.set(title="Requests in flight, by stage", ylabel="Requests")
    ax.legend(fontsize=5, ncol=2, loc="upper left")
    ax = axes[0, 1]
    ax.plot(years, ts["lead_time_days"].to_numpy(), color="C1")
    ax.set(title="Lead time of requests delivered", ylabel="Days, request to delivery")
    ax = axes[0, 2]
    for category in CATEGORIES:
        ax.plot(years, ts[f"sets_delivered_{category}"].to_numpy(), label=CATEGORY_LABELS[category])
    ax.set(title="Sets delivered to enterprises (cumulative)", ylabel="Sets")
    ax.legend(fontsize=5, loc="upper left")
    ax = axes[1, 0]
    for category in CATEGORIES:
        ax.plot(years, ts[f"adoption_{category}"].to_numpy(), label=CATEGORY_LABELS[category])
    ax.set(title="Adoption share by category", ylabel="Share of enterprises (0-1)", ylim=(0, 1))
    ax = axes[1, 1]
    ax.plot(years, ts["office_queue"].to_numpy(), label="Counsellor's Office")
    ax.plot(years, ts["commission_queue"].to_numpy(), label="Joint commission")
    ax.set(title="Requests waiting at the channels", ylabel="Requests")
    ax.legend(fontsize=6, loc="upper left")
    ax = axes[1, 2]
    ax.plot(years, ts["pages_awaiting_translation"].to_numpy(), color="C4")
    ax.set(title="Russian text awaiting translation", ylabel="Pages")
    first, last = int(years[0]), int(years[-1]) + 1
    ticks = list(range(first, last + 1, 1 if last - first <= 6 else 2))
    marks = [(_years(pd.DatetimeIndex([pd.Timestamp(e["date"])]))[0], e["label"]) for e in events]
    for ax in axes.flat:
        ax.grid(alpha=0.3)
        ax.set_xticks(ticks)
        ax.set_xlim(years[0], max(years[-1], years[0] + 0.25))
        ax.tick_params(labelsize=7)
        ax.title.set_fontsize(8)
        ax.yaxis.label.set_fontsize(7)
        for x, label in marks:
            ax.axvline(x, color="0.5", linestyle="--", linewidth=0.8)
            ax.text(
                x,
                0.98,
                label,
                transform=ax.get_xaxis_transform(),
                rotation=90,
                va="top",
                ha="right",
                fontsize=5,
                color="0.35",
            )
    for ax in axes[1]:
        ax.set_xlabel("Year (ticks at 1 January)", fontsize=7)
    return figure


def fired_events(model: TechTransferModel) -> list[dict]:
    """Labelled events applied so far, for marking on time axes."""
    return [
        {"date": d.isoformat(), "label": e.label}
        for d, e in model.events_fired
        if e.label and d > model.config.time.start
    ]
