"""The dashboard's figures and headline figures, drawn from a live model (matplotlib, no Solara).

:class:`ExploreFigures` holds the three figures of the Explore view for one model:
the channel network with each node's queue (:class:`ChannelView`), a fixed sample of
the enterprise network coloured by adoption (:class:`EnterpriseView`), and the time
series collected so far (:class:`TimeSeriesView`). Each is built once and updated
in place at every frame, and rendered to PNG by blitting
(:mod:`sim.dashboard.canvas`); the dashboard shows the PNGs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.catalog import CATEGORIES, CATEGORY_LABELS, FLIGHT_STAGES
from sim.dashboard.canvas import Canvas

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


def enterprise_sample(model: TechTransferModel, size: int = SAMPLE_SIZE) -> tuple[nx.Graph, dict[int, tuple]]:
    """A fixed sample of the enterprise network (the same for a given seed) and its layout."""
    rng = np.random.default_rng(model.config.seed)
    n = model.population.n
    chosen = np.sort(rng.choice(n, size=min(size, n), replace=False))
    sample = model.enterprise_network.subgraph(chosen.tolist()).copy()
    return sample, nx.spring_layout(sample, seed=int(model.config.seed % 2**32), iterations=30)


def _years(dates: pd.DatetimeIndex) -> np.ndarray:
    """Dates as fractional years (1953.5 is early July 1953): cheap ticks, still read as dates."""
    return dates.year + (dates.day_of_year - 1) / 365.25


def _year(date: object) -> float:
    return float(_years(pd.DatetimeIndex([pd.Timestamp(date)]))[0])


class ChannelView:
    """The channel network: node area by the requests waiting there, closed channels dashed and grey.

    Built once for a model; :meth:`update` changes node sizes, labels and the title,
    and redraws the edges only when a channel opens or closes.
    """

    def __init__(self, model: TechTransferModel) -> None:
        graph = model.channel_network
        self.position = channel_layout(graph)
        self.figure = Figure(figsize=(7.5, 4.6), dpi=90)
        self.figure.subplots_adjust(left=0.0, right=1.0, top=0.92, bottom=0.0)
        self.canvas = Canvas(self.figure)
        self.ax = ax = self.figure.subplots()
        ax.set_xlim(-0.3, 3.5)
        ax.set_ylim(-0.02, 1.06)
        ax.axis("off")
        for kind, x in KIND_COLUMN.items():
            ax.text(x, 1.02, COLUMN_TITLES[kind], ha="center", fontsize=8)
        self.title = ax.set_title("", fontsize=8)
        self.nodes = {}
        for kind, colour in KIND_COLOUR.items():
            members = [n for n, d in graph.nodes(data=True) if d["kind"] == kind]
            drawn = nx.draw_networkx_nodes(
                graph, self.position, nodelist=members, node_size=12, node_color=colour, ax=ax
            )
            self.nodes[kind] = (members, drawn)
        self.labels = {
            node: (
                data["label"],
                ax.annotate(
                    "", self.position[node], xytext=(6, 0), textcoords="offset points", fontsize=6, va="center"
                ),
            )
            for node, data in graph.nodes(data=True)
            if data["kind"] in {"channel", "ministry"}
        }
        self.canvas.move(
            self.title, *(drawn for _, drawn in self.nodes.values()), *(a for _, a in self.labels.values())
        )
        self.edges: list = []
        self.open_state: tuple = ()
        self.update(model)

    def _draw_edges(self, graph: nx.DiGraph) -> None:
        for collection in self.edges:
            collection.remove()
        open_edges = [(u, v) for u, v, d in graph.edges(data=True) if d.get("open", True)]
        closed_edges = [(u, v) for u, v, d in graph.edges(data=True) if not d.get("open", True)]
        self.edges = [
            nx.draw_networkx_edges(graph, self.position, edgelist=edges, ax=self.ax, arrows=False, **style)
            for edges, style in (
                (open_edges, {"edge_color": "0.75", "width": 0.5}),
                (closed_edges, {"edge_color": "0.6", "style": "dashed", "width": 0.8}),
            )
            if edges
        ]
        self.canvas.invalidate()

    def update(self, model: TechTransferModel) -> None:
        """Show the model as it stands."""
        graph = model.channel_network
        open_state = tuple(d.get("open", True) for _, _, d in graph.edges(data=True))
        if open_state != self.open_state:
            self._draw_edges(graph)
            self.open_state = open_state
        queue = _queue_of(model)
        for kind, (members, drawn) in self.nodes.items():
            scale = 4 if kind == "channel" else 1
            drawn.set_sizes([12 + 6 * np.sqrt(queue.get(n, 0)) * scale for n in members])
        for node, (text, annotation) in self.labels.items():
            annotation.set_text(f"{text} ({queue.get(node, 0)})")
        self.title.set_text(
            f"Channel network on {model.date}: node area = requests waiting or in work (dashed: closed channel)"
        )


class EnterpriseView:
    """A fixed sample of the enterprises, coloured by the share of the five kinds each has adopted."""

    def __init__(self, model: TechTransferModel, sample: nx.Graph, layout: dict) -> None:
        self.nodes = list(sample.nodes)
        self.figure = Figure(figsize=(5.2, 4.6), dpi=90)
        self.figure.subplots_adjust(left=0.0, right=0.86, top=0.92, bottom=0.02)
        self.canvas = Canvas(self.figure)
        ax = self.figure.subplots()
        ax.axis("off")
        nx.draw_networkx_edges(sample, layout, ax=ax, edge_color="0.8", width=0.5)
        self.drawn = nx.draw_networkx_nodes(
            sample,
            layout,
            nodelist=self.nodes,
            node_color=np.zeros(len(self.nodes)),
            cmap="viridis",
            vmin=0,
            vmax=1,
            node_size=22,
            ax=ax,
        )
        self.figure.colorbar(self.drawn, ax=ax, label="Share of the five kinds adopted (0-1)", shrink=0.7)
        self.title = ax.set_title("", fontsize=8)
        self.canvas.move(self.drawn, self.title)
        self.n = model.population.n
        self.update(model)

    def share(self, model: TechTransferModel) -> np.ndarray:
        """Share of the five kinds each sampled enterprise has adopted."""
        return model.population.adopted[:, self.nodes].mean(axis=0)

    def update(self, model: TechTransferModel) -> None:
        """Show the model as it stands."""
        self.drawn.set_array(self.share(model))
        self.title.set_text(f"{len(self.nodes)} of {self.n:,} Chinese enterprises on {model.date}")


#: The six time-series panels: title, y label, and the columns drawn (label, column).
PANELS = (
    (
        "Requests in flight, by stage",
        "Requests",
        [(s.key.replace("_", " "), f"requests_{s.key}") for s in FLIGHT_STAGES],
    ),
    ("Lead time of requests delivered", "Days, request to delivery", [(None, "lead_time_days")]),
    (
        "Sets delivered to enterprises (cumulative)",
        "Sets",
        [(CATEGORY_LABELS[c], f"sets_delivered_{c}") for c in CATEGORIES],
    ),
    (
        "Adoption share by category",
        "Share of enterprises (0-1)",
        [(CATEGORY_LABELS[c], f"adoption_{c}") for c in CATEGORIES],
    ),
    (
        "Requests waiting at the channels",
        "Requests",
        [("Counsellor's Office", "office_queue"), ("Joint commission", "commission_queue")],
    ),
    ("Russian text awaiting translation", "Pages", [(None, "pages_awaiting_translation")]),
)
#: Colours of the panels that show one line (lead time, translation backlog).
SINGLE_COLOUR = {1: "C1", 5: "C4"}
#: Panels whose y axis is fixed (adoption shares, 0 to 1).
FIXED_Y = {3}


class TimeSeriesView:
    """Six panels over the whole run, kept and updated in place.

    The panels: requests by stage (stacked), lead time, sets delivered, adoption, the
    channel queues, the translation backlog. The time axis spans the scenario from
    start to end (ticks at 1 January), so it never moves; a panel's y axis grows in
    steps (to 1.5 times what it must show, rounded up) only when the data outgrow it.
    Dated events are dashed lines labelled at the top, added as they happen.
    """

    def __init__(self, model: TechTransferModel, title: str) -> None:
        self.figure = Figure(figsize=(12, 6.4), dpi=80)
        self.figure.subplots_adjust(left=0.06, right=0.99, top=0.9, bottom=0.08, wspace=0.28, hspace=0.3)
        self.canvas = Canvas(self.figure)
        self.axes = list(self.figure.subplots(2, 3, sharex=True).flat)
        self.figure.suptitle(title, fontsize=10)
        first, last = _year(model.config.time.start), _year(model.config.time.end)
        ticks = list(range(int(first) + 1, int(last) + 1, 1 if last - first <= 6 else 2))
        self.lines: list[list] = []
        for i, (ax, (name, unit, series)) in enumerate(zip(self.axes, PANELS, strict=True)):
            ax.set_title(name, fontsize=8)
            ax.set_ylabel(unit, fontsize=7)
            ax.grid(alpha=0.3)
            ax.set_xlim(first, last)
            ax.set_xticks(ticks)
            ax.tick_params(labelsize=7)
            ax.set_ylim(0, 1)
            if i >= 3:
                ax.set_xlabel("Year (ticks at 1 January)", fontsize=7)
            if i == 0:
                empty = [np.zeros(2)] * len(series)
                self.stack = ax.stackplot([first, first], empty, labels=[label for label, _ in series])
                self.canvas.move(*self.stack)
                self.lines.append([])
            else:
                self.lines.append([ax.plot([], [], label=label, color=SINGLE_COLOUR.get(i))[0] for label, _ in series])
                self.canvas.move(*self.lines[-1])
            if len(series) > 1 and i != 3:
                ax.legend(fontsize=5 if i in (0, 2) else 6, ncol=2 if i == 0 else 1, loc="upper left")
        self.marked = 0
        self.update(model)

    def _grow(self, i: int, top: float) -> None:
        """Raise panel ``i``'s y axis to show ``top`` with room to spare; it never shrinks during a run."""
        ax = self.axes[i]
        if i in FIXED_Y or not np.isfinite(top) or top <= ax.get_ylim()[1]:
            return
        magnitude = 10 ** np.floor(np.log10(top * 1.5))
        ax.set_ylim(0, np.ceil(top * 1.5 / magnitude) * magnitude)
        self.canvas.invalidate()

    def _draw_stack(self, years: np.ndarray, ts: pd.DataFrame) -> None:
        lower = np.zeros(len(years))
        for polygon, (_, column) in zip(self.stack, PANELS[0][2], strict=True):
            upper = lower + ts[column].to_numpy(dtype=float)
            outline = np.concatenate([np.column_stack([years, upper]), np.column_stack([years[::-1], lower[::-1]])])
            polygon.set_verts([outline])
            lower = upper
        self._grow(0, float(lower.max()))

    def update(self, model: TechTransferModel, ts: pd.DataFrame | None = None) -> None:
        """Show the time series collected so far (``ts``, read from the model if not given).

        Events fired since the last update are marked.
        """
        ts = timeseries(model) if ts is None else ts
        years = _years(ts.index)
        self._draw_stack(years, ts)
        for i, lines in enumerate(self.lines[1:], start=1):
            top = 0.0
            for line, (_, column) in zip(lines, PANELS[i][2], strict=True):
                values = ts[column].to_numpy(dtype=float)
                line.set_data(years, values)
                if np.isfinite(values).any():
                    top = max(top, float(np.nanmax(values)))
            self._grow(i, top)
        events = fired_events(model)
        for event in events[self.marked :]:
            x = _year(event["date"])
            for ax in self.axes:
                ax.axvline(x, color="0.5", linestyle="--", linewidth=0.8)
                ax.text(
                    x,
                    0.98,
                    event["label"],
                    transform=ax.get_xaxis_transform(),
                    rotation=90,
                    va="top",
                    ha="right",
                    fontsize=5,
                    color="0.35",
                )
            self.canvas.invalidate()
        self.marked = len(events)


class ExploreFigures:
    """The three figures of the Explore view for one model, kept and updated in place.

    Building and fully drawing matplotlib figures is the slow part of a redraw;
    keeping them, changing only their data, and redrawing only what moves
    (:class:`~sim.dashboard.canvas.Canvas`) is what lets a step and its redraw fit
    in a frame.

    Attributes:
        headline: The headline figures at the last update.
    """

    def __init__(self, model: TechTransferModel, sample: tuple[nx.Graph, dict]) -> None:
        self.channel = ChannelView(model)
        self.enterprises = EnterpriseView(model, *sample)
        self.series = TimeSeriesView(model, f"{model.config.title} (seed {model.config.seed})")
        self.headline: dict[str, Any] = {}

    def update(self, model: TechTransferModel) -> dict[str, bytes]:
        """Bring the figures up to the model's state; return them as PNG, by name."""
        ts = timeseries(model)
        self.channel.update(model)
        self.enterprises.update(model)
        self.series.update(model, ts)
        self.headline = headline(model, ts)
        return {name: view.canvas.png() for name, view in self.views().items()}

    def views(self) -> dict[str, ChannelView | EnterpriseView | TimeSeriesView]:
        """The three views, by name."""
        return {"channel": self.channel, "enterprises": self.enterprises, "series": self.series}


def fired_events(model: TechTransferModel) -> list[dict]:
    """Labelled events applied so far, for marking on time axes."""
    return [
        {"date": d.isoformat(), "label": e.label}
        for d, e in model.events_fired
        if e.label and d > model.config.time.start
    ]
