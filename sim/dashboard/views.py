"""The dashboard's figures and headline figures, drawn from a live model (matplotlib, no Solara).

:class:`ExploreFigures` holds the figures of the Explore view for one model: the
channel network with each node's queue (:class:`ChannelView`), a fixed sample of the
enterprise network coloured by adoption (:class:`EnterpriseView`), and the time
series collected so far, one small figure per panel (:class:`TimeSeriesView`, six
:class:`Panel`). Each is built once and updated in place at every frame, and
rendered as PNG layers (:mod:`sim.dashboard.canvas`): a still picture drawn once,
transparent layers drawn again only when they change (a y axis outgrown, a channel
opened or closed, an event marked), and the moving artists, drawn every frame. The
dashboard shows the layers one on another.

Matplotlib's Agg backend draws text one glyph at a time, so every text that changes
from frame to frame is kept short (a date, a count); titles and names are still.

Every text is put into the figures' language (:mod:`sim.dashboard.i18n`) and set in
:data:`sim.drawing.FONTS` (DejaVu Sans, then WenQuanYi Micro Hei for Chinese),
chosen while each figure is built (:func:`sim.drawing.drawing`), never for the
whole process.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import StrMethodFormatter

from sim.catalog import CATEGORIES
from sim.charts import CHARTS, DASHBOARD, RECORD_KEY, Chart, marker_rows, records
from sim.dashboard.canvas import MOVING, Canvas, Mosaic
from sim.dashboard.i18n import Translate, same, translator
from sim.drawing import drawing
from sim.plots import draw_records
from sim.processes import Adoption

if TYPE_CHECKING:
    from sim.agents import CounsellorOffice, Ministry, SovietAgency, SovietEnterprise
    from sim.model import TechTransferModel

#: Every dashboard figure is drawn at 72 dpi, so a font size in points is its size in the picture's pixels.
DPI = 72
#: The smallest text of a figure, in the picture's pixels: each figure is shown at most as wide as it is drawn
#: and, on a screen 1024 pixels wide or wider, no narrower (one figure a row, the panels two a row), so this is
#: the smallest text on screen too (the issue asks for 12 pixels at 1024 wide; see ``docs/performance.md``).
SMALL = 12.5
#: Time-series panels a row.
PANELS_A_ROW = 2
#: A time-series panel's width and height in pixels (the height without its legend: see :data:`LEGEND_HEIGHT`).
PANEL_SIZE = (368, 280)
#: The margin left of a panel's axes, in pixels: room for "1,000,000" and the axis label.
PANEL_LEFT = 92
#: A legend's row above a panel's axes, in pixels (12.5 px text and the space between rows).
LEGEND_ROW = 16

#: Enterprises drawn in the enterprise-network view.
SAMPLE_SIZE = 160

KIND_COLUMN = {"ministry": 0.0, "channel": 1.0, "agency": 2.0, "soviet_enterprise": 3.0}
COLUMN_TITLES = {
    "ministry": "Chinese ministries",
    "channel": "Channels",
    "agency": "Soviet agencies",
    "soviet_enterprise": "Soviet enterprises",
}
#: A channel's name is set on lines of at most this many characters, clear of the agencies' column.
CHANNEL_WRAP = 24
KIND_COLOUR = {"ministry": "#c0392b", "channel": "#2c3e50", "agency": "#2471a3", "soviet_enterprise": "#7fb3d5"}


def _table(model: TechTransferModel) -> dict[str, list]:
    """The time-series table as the model's DataCollector holds it: one list per column."""
    return model.datacollector.model_vars


def headline(model: TechTransferModel) -> dict[str, Any]:
    """The figures shown above the plots: date, requests, sets, queue, adoption."""
    table = _table(model)

    def last(column: str) -> float:
        return table[column][-1]

    return {
        "Date": model.date.isoformat(),
        "Requests made": int(last("requests_created")),
        "Requests delivered": int(last("requests_fulfilled")),
        "Sets supplied": int(sum(last(f"sets_supplied_{c}") for c in CATEGORIES)),
        "Office queue": int(last("office_queue")),
        "Technology index": round(float(last("technology_index")), 3),
    }


def _queue_of(model: TechTransferModel) -> dict[str, int]:
    """Requests waiting or in service at every node of the channel network."""
    agents: list[Ministry | CounsellorOffice | SovietAgency | SovietEnterprise] = [
        *model.ministries,
        *model.channels,
        *model.agencies,
        *model.soviet_enterprises,
    ]
    return {agent.node: agent.workload for agent in agents}


def grouped(graph: nx.DiGraph) -> tuple[nx.DiGraph, dict[str, str]]:
    """The channel network as its figure draws it: each agency's Soviet enterprises as one node.

    A hundred and ten enterprises in a column 470 pixels high merge into a bar, and their
    330 edges into a grey fan; one node per agency's enterprises, beside its agency, shows
    what a room can read (whose enterprises are busy). A group's ``members`` counts its
    enterprises; an edge between groups stands for every edge between their members.

    Returns:
        The grouped graph, and the group of every node of ``graph`` (a node not grouped is its own).
    """
    group = {
        node: f"soviet_enterprises:{data['agency']}" if data["kind"] == "soviet_enterprise" else node
        for node, data in graph.nodes(data=True)
    }
    drawn = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        if group[node] in drawn:
            drawn.nodes[group[node]]["members"] += 1
        else:
            drawn.add_node(group[node], kind=data["kind"], members=1)
    drawn.add_edges_from((group[u], group[v]) for u, v in graph.edges)
    return drawn, group


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
    n = model.process(Adoption).population.n
    chosen = np.sort(rng.choice(n, size=min(size, n), replace=False))
    sample = model.enterprise_network.subgraph(chosen.tolist()).copy()
    return sample, nx.spring_layout(sample, seed=int(model.config.seed % 2**32), iterations=30)


def years(dates: Any) -> np.ndarray:
    """Dates as fractional years (1953.5 is early July 1953): cheap ticks, still read as dates."""
    days = np.asarray(dates, dtype="datetime64[D]")
    start_of_year = days.astype("datetime64[Y]")
    return (start_of_year.astype(int) + 1970) + (days - start_of_year).astype(int) / 365.25


def _year(date: object) -> float:
    return float(years([np.datetime64(str(date), "D")])[0])


class ChannelView:
    """The channel network: node area by the requests waiting there, closed channels dashed and grey.

    Built once for a model; :meth:`update` changes node sizes, the counts beside the
    ministries and channels, and the date (the moving layer), and redraws the edges
    (a layer of their own, below the names) only when a channel opens or closes.
    """

    def __init__(self, model: TechTransferModel, tr: Translate = same) -> None:
        with drawing():
            self._build(model, tr)

    def _build(self, model: TechTransferModel, tr: Translate) -> None:
        network = model.channel_network
        self.graph, self.group = grouped(network)
        graph = self.graph
        self.position = channel_layout(graph)
        self.figure = Figure(figsize=(740 / DPI, 470 / DPI), dpi=DPI)
        self.figure.subplots_adjust(left=0.0, right=1.0, top=0.9, bottom=0.0)
        self.canvas = Canvas(self.figure, ("edges", "names", MOVING))
        self.ax = ax = self.figure.subplots()
        ax.set_xlim(-0.3, 3.5)
        ax.set_ylim(-0.02, 1.06)
        ax.axis("off")
        counts = Counter(kind for _, kind in network.nodes(data="kind"))
        for kind, x in KIND_COLUMN.items():
            first = x == min(KIND_COLUMN.values())  # set from the figure's left edge, not centred off it
            title = f"{tr(COLUMN_TITLES[kind])} ({counts[kind]})"
            ax.text(ax.get_xlim()[0] if first else x, 1.02, title, ha="left" if first else "center", fontsize=SMALL)
        ax.set_title(
            tr("Channel network: node area = requests waiting or in work (dashed: closed channel)"),
            fontsize=SMALL,
            loc="left",
        )
        self.date = self.figure.text(0.995, 0.99, "", ha="right", va="top", fontsize=SMALL)
        self.nodes = {}
        for kind, colour in KIND_COLOUR.items():
            members = [n for n, d in graph.nodes(data=True) if d["kind"] == kind]
            drawn = nx.draw_networkx_nodes(
                graph, self.position, nodelist=members, node_size=12, node_color=colour, ax=ax
            )
            self.nodes[kind] = (members, drawn)
        self.counts = {}  # the count beside each name: moving, and placed once after the still name
        renderer = self.canvas.agg.get_renderer()
        labels = dict(network.nodes(data=True))
        for node, data in graph.nodes(data=True):
            if data["kind"] == "soviet_enterprise":  # a group: its workload beside it
                self.counts[node] = ax.annotate(
                    "", self.position[node], xytext=(6, 0), textcoords="offset points", fontsize=SMALL, va="center"
                )
            if data["kind"] == "agency":  # a short name: the column beside it is the Soviet enterprises'
                name = ax.annotate(
                    tr(labels[node]["short"]),
                    self.position[node],
                    xytext=(5, 0),
                    textcoords="offset points",
                    fontsize=SMALL,
                    va="center",
                    bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
                )
                self.canvas.put("names", name)
            if data["kind"] in {"channel", "ministry"}:
                text = tr(labels[node]["label"])
                name = ax.annotate(
                    textwrap.fill(text, CHANNEL_WRAP) if data["kind"] == "channel" else text,
                    self.position[node],
                    xytext=(6, 0),
                    textcoords="offset points",
                    fontsize=SMALL,
                    va="center",
                )
                self.canvas.put("names", name)
                after = 6 + 2 + name.get_window_extent(renderer).width * 72 / self.figure.dpi
                self.counts[node] = ax.annotate(
                    "", self.position[node], xytext=(after, 0), textcoords="offset points", fontsize=SMALL, va="center"
                )
        self.canvas.move(self.date, *(drawn for _, drawn in self.nodes.values()), *self.counts.values())
        self.edges: list = []
        self.open_state: tuple = ()
        self.update(model)

    def _draw_edges(self, network: nx.DiGraph) -> None:
        """Draw the grouped edges: open if any edge it stands for is open, else dashed."""
        for collection in self.edges:
            collection.remove()
        opened = {(self.group[u], self.group[v]) for u, v, d in network.edges(data=True) if d.get("open", True)}
        open_edges = [edge for edge in self.graph.edges if edge in opened]
        closed_edges = [edge for edge in self.graph.edges if edge not in opened]
        self.edges = [
            nx.draw_networkx_edges(self.graph, self.position, edgelist=edges, ax=self.ax, arrows=False, **style)
            for edges, style in (
                (open_edges, {"edge_color": "0.75", "width": 0.5}),
                (closed_edges, {"edge_color": "0.6", "style": "dashed", "width": 0.8}),
            )
            if edges
        ]
        self.canvas.replace("edges", *self.edges)

    def update(self, model: TechTransferModel) -> None:
        """Show the model as it stands."""
        graph = model.channel_network
        open_state = tuple(d.get("open", True) for _, _, d in graph.edges(data=True))
        if open_state != self.open_state:
            self._draw_edges(graph)
            self.open_state = open_state
        queue: Counter[str] = Counter()
        for node, workload in _queue_of(model).items():
            queue[self.group[node]] += workload
        for kind, (members, drawn) in self.nodes.items():
            scale = 4 if kind == "channel" else 1
            drawn.set_sizes([12 + 6 * np.sqrt(queue.get(n, 0)) * scale for n in members])
        for node, count in self.counts.items():
            count.set_text(f"({queue.get(node, 0)})")
        self.date.set_text(model.date.isoformat())


class EnterpriseView:
    """A fixed sample of the enterprises, coloured by the share of the five kinds each has adopted."""

    def __init__(self, model: TechTransferModel, sample: nx.Graph, layout: dict, tr: Translate = same) -> None:
        with drawing():
            self._build(model, sample, layout, tr)

    def _build(self, model: TechTransferModel, sample: nx.Graph, layout: dict, tr: Translate) -> None:
        self.nodes = list(sample.nodes)
        self.figure = Figure(figsize=(470 / DPI, 420 / DPI), dpi=DPI)
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
        bar = self.figure.colorbar(self.drawn, ax=ax, shrink=0.7)
        bar.set_label(tr("Share of the five kinds adopted (0-1)"), fontsize=SMALL)
        bar.ax.tick_params(labelsize=SMALL)
        ax.set_title(
            tr("{shown} of {n} Chinese enterprises").format(
                shown=len(self.nodes), n=f"{model.process(Adoption).population.n:,}"
            ),
            fontsize=SMALL,
            loc="left",
        )
        self.date = self.figure.text(0.995, 0.99, "", ha="right", va="top", fontsize=SMALL)
        self.canvas.move(self.drawn, self.date)
        self.update(model)

    def share(self, model: TechTransferModel) -> np.ndarray:
        """Share of the five kinds each sampled enterprise has adopted."""
        return model.process(Adoption).population.adopted[:, self.nodes].mean(axis=0)

    def update(self, model: TechTransferModel) -> None:
        """Show the model as it stands."""
        self.drawn.set_array(self.share(model))
        self.date.set_text(model.date.isoformat())


#: The six time-series panels, in reading order (:data:`PANELS_A_ROW` a row): see :data:`sim.charts.DASHBOARD`.
PANELS: tuple[Chart, ...] = tuple(CHARTS[name] for name in DASHBOARD)


def legend_columns(chart: Chart) -> int:
    """Columns of a panel's legend: three for the many stages of a stacked chart, else one."""
    return 3 if chart.style == "stacked" else 1


def legend_rows(chart: Chart) -> int:
    """Rows of a panel's legend: its lines and, if it draws the record, the record's entry."""
    return -(-(len(chart.labels) + bool(chart.records)) // legend_columns(chart))


#: The height of the legend above every panel's axes: the tallest legend of the panels, and a margin.
LEGEND_HEIGHT = LEGEND_ROW * max(legend_rows(chart) for chart in PANELS) + 12
#: Drawing order in a panel, as its layers lie (above the frame, zorder 2.5): the y axis, the events, the data.
Z_AXIS, Z_MARKS, Z_DATA = 2.6, 2.7, 2.8


def headroom(top: float) -> float:
    """The y-axis top that shows ``top`` with room to spare: 1.5 times it, rounded up to one significant digit."""
    magnitude = 10 ** np.floor(np.log10(top * 1.5))
    return float(np.ceil(round(top * 1.5 / magnitude, 9)) * magnitude)  # 0.4 * 1.5 is 0.6000000000000001


class Panel:
    """One time-series panel as a figure of its own, so that a change of its axis redraws only it.

    The time axis spans the scenario from start to end (ticks at 1 January), so it
    never moves; the y axis grows (:func:`headroom`) only when the data outgrow it, and
    is a layer of its own (ticks, labels, grid), so growing redraws only it. Dated
    events are dashed lines labelled at the top, added as they happen to a layer of
    their own. The legend is the top layer, above the data.

    Args:
        index: Which of :data:`PANELS`; its chart names the title, the columns and their labels.
        span: The scenario's first and last date as fractional years.
        bottom_row: Whether to label the time axis (the panels of the lower row).
    """

    def __init__(self, index: int, span: tuple[float, float], bottom_row: bool, tr: Translate = same) -> None:
        with drawing():
            self._build(index, span, bottom_row, tr)

    def _build(self, index: int, span: tuple[float, float], bottom_row: bool, tr: Translate) -> None:
        self.index = index
        self.chart = chart = PANELS[index]
        height = PANEL_SIZE[1] + LEGEND_HEIGHT  # every panel alike, so that they tile
        keyed = len(chart.labels) > 1  # a legend above the axes, under the title, clear of the data
        self.figure = Figure(figsize=(PANEL_SIZE[0] / DPI, height / DPI), dpi=DPI)
        self.figure.subplots_adjust(
            left=PANEL_LEFT / PANEL_SIZE[0],
            right=0.97,
            top=1 - (LEGEND_HEIGHT + 26 if keyed else 26) / height,
            bottom=(48 if bottom_row else 26) / height,
        )
        self.canvas = Canvas(self.figure, ("axis", "marks", MOVING, "legend"))
        self.ax = ax = self.figure.subplots()
        first, last = span
        ax.set_title(tr(chart.title), fontsize=SMALL, pad=LEGEND_HEIGHT + 4 if keyed else 6)
        ax.set_ylabel(tr(chart.axis_label), fontsize=SMALL)
        ax.grid(alpha=0.3)
        ax.set_xlim(first, last)
        ax.set_xticks(list(range(int(first) + 1, int(last) + 1, 1 if last - first <= 6 else 2)))
        ax.tick_params(labelsize=SMALL)
        ax.set_ylim(0, 1)
        if not chart.bounded:  # counts as a room reads them: 600,000, not 0.6 under "1e6"
            ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        if bottom_row:
            ax.set_xlabel(tr("Year (ticks at 1 January)"), fontsize=SMALL)
        self.labels = labels = [tr(label) for label in chart.labels]
        self.title = tr(chart.title)
        if chart.style == "stacked":
            self.stack = ax.stackplot([first, first], [np.zeros(2)] * len(labels), labels=labels, zorder=Z_DATA)
            self.lines: list = []
            self.canvas.move(*self.stack)
        else:
            self.stack = []
            self.lines = [
                ax.plot([], [], label=label, color=chart.colour or None, zorder=Z_DATA)[0] for label in labels
            ]
            self.canvas.move(*self.lines)
        self.record_marks: list = []
        self.records = [mark for mark in records(chart) if first <= _year(mark.date) <= last + 0.01]
        #: Each record's colour (its line's), as the key under the panels shows it.
        self.record_colours = [to_hex(self.lines[chart.drawn.index(mark.column)].get_color()) for mark in self.records]
        if self.records:  # unlabelled: a panel is too small for labels, the key under the panels names them
            self.record_marks, _ = draw_records(
                ax,
                self.records,
                self.record_colours,
                x=_year,
                before=0,
                fontsize=SMALL,
                key=tr(RECORD_KEY),
                labelled=False,
            )
        if keyed:
            legend = ax.legend(
                fontsize=SMALL,
                ncol=legend_columns(chart),
                loc="lower left",
                bbox_to_anchor=(-(PANEL_LEFT - 4) / (0.97 * PANEL_SIZE[0] - PANEL_LEFT), 1.0),  # the panel's left
                frameon=False,
                handlelength=1.2,
                labelspacing=0.2,
                borderpad=0.3,
                columnspacing=0.8,
            )
            self.canvas.put("legend", legend)
        if self.records:
            self.canvas.put("legend", *self.record_marks)
            self._grow(max(mark.value for mark in self.records))
        ax.yaxis.set_zorder(Z_AXIS)
        self.canvas.put("axis", ax.yaxis)  # a y axis that grows redraws only its own layer

    def _grow(self, top: float) -> None:
        """Raise the y axis to show ``top`` with room to spare; it never shrinks during a run."""
        if self.chart.bounded or not np.isfinite(top) or top <= self.ax.get_ylim()[1]:
            return
        self.ax.set_ylim(0, headroom(top))
        self.canvas.invalidate("axis")
        if self.records:
            self.canvas.invalidate("legend")

    def update(self, x: np.ndarray, table: dict[str, list]) -> None:
        """Show the columns of ``table`` against ``x`` (fractional years)."""
        values = [np.asarray(table[column], dtype=float) for column in self.chart.drawn]
        if self.stack:
            lower = np.zeros(len(x))
            for polygon, value in zip(self.stack, values, strict=True):
                upper = lower + value
                polygon.set_verts([np.concatenate([np.column_stack([x, upper]), np.column_stack([x, lower])[::-1]])])
                lower = upper
            self._grow(float(lower.max()))
            return
        top = 0.0
        for line, value in zip(self.lines, values, strict=True):
            line.set_data(x, value)
            if np.isfinite(value).any():
                top = max(top, float(np.nanmax(value)))
        self._grow(top)

    def readout(self, table: dict[str, list], row: int = -1) -> str:
        """The values at ``row`` of ``table`` (the last step by default), one line each under the title and the date.

        What the pointer shows over the panel (:meth:`TimeSeriesView.readout_at`).
        """
        if not table["date"]:
            return self.title
        lines = [self.title, str(table["date"][row])[:10]]
        for label, column in zip(self.labels, self.chart.drawn, strict=True):
            lines.append(f"{label}: {_value(float(table[column][row]))}")
        return "\n".join(lines)

    def year_at(self, x: float, y: float) -> float:
        """The date (fractional year) on the time axis under the point ``(x, y)``: pixels from the panel's top left."""
        shown_x, _ = self.ax.transData.inverted().transform((x, self.figure.bbox.height - y))
        return float(shown_x)

    def mark(self, event: dict, number: int, row: int) -> None:
        """Draw a dated event: a dashed line with its number at the top, on ``row`` (0 the top).

        The labels are in the key under the panels (:func:`sim.charts.event_key`), so
        no two overprint in a small panel.
        """
        x = _year(event["date"])
        line = self.ax.axvline(x, color="0.5", linestyle="--", linewidth=0.8, zorder=Z_MARKS)
        label = self.ax.text(
            x,
            0.98 - 0.1 * row,
            str(number),
            transform=self.ax.get_xaxis_transform(),
            va="top",
            ha="center",
            fontsize=SMALL,
            color="0.2",
            zorder=Z_MARKS,
            bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "0.6", "linewidth": 0.5},
        )
        self.canvas.put("marks", line, label)


class TimeSeriesView:
    """The six panels over the whole run, kept and updated in place.

    The panels (:data:`PANELS`): requests by stage (stacked), lead time, sets
    delivered, adoption, the channel queues, the translation backlog; two a row,
    drawn each on its own and sent as one picture per layer (:attr:`mosaic`).

    Attributes:
        title: The scenario's title and seed, shown above the panels.
        panels: The six :class:`Panel`.
    """

    def __init__(self, model: TechTransferModel, title: str, tr: Translate = same) -> None:
        self.title = title
        self.span = span = (_year(model.config.time.start), _year(model.config.time.end))
        self.events: list[dict] = []
        n, across = len(PANELS), PANELS_A_ROW
        self.panels = [Panel(i, span, bottom_row=i >= n - across, tr=tr) for i in range(n)]
        self.mosaic = Mosaic(
            [[panel.canvas for panel in self.panels[row : row + across]] for row in range(0, n, across)]
        )
        self.marked = 0
        self._x = np.zeros(0)
        self.update(model)

    @property
    def axes(self) -> list:
        """The panels' axes, in the order of :data:`PANELS`."""
        return [panel.ax for panel in self.panels]

    def update(self, model: TechTransferModel) -> None:
        """Show the time series collected so far; mark the events fired since the last update."""
        table = _table(model)
        self.update_dates(table["date"])
        for panel in self.panels:
            panel.update(self._x, table)
        events = fired_events(model)
        rows = marker_rows([_year(event["date"]) for event in events], span=self.span[1] - self.span[0], gap=0.08)
        for number in range(self.marked, len(events)):
            for panel in self.panels:
                panel.mark(events[number], number + 1, rows[number])
        self.marked = len(events)
        self.events = events  # numbered from 1 in this order, as marked

    def readout_at(self, model: TechTransferModel, x: float, y: float) -> str:
        """What the pointer at ``(x, y)`` shows: the values of the panel there on the date under it.

        ``x`` and ``y`` are pixels of the mosaic (:attr:`mosaic`) from its top left, as the
        browser reports them scaled to the picture's own size. The date is the last step at
        or before the point's place on the time axis, or the first step left of the data and
        the last one right of it; a point outside the mosaic shows nothing.
        """
        width, height = self.mosaic.rows[0][0].agg.get_width_height()
        column, row = int(x // width), int(y // height)
        if not (0 <= column < PANELS_A_ROW and 0 <= row < len(self.mosaic.rows) and x >= 0 and y >= 0):
            return ""
        index = row * PANELS_A_ROW + column
        if index >= len(self.panels):
            return ""
        panel = self.panels[index]
        table = _table(model)
        self.update_dates(table["date"])
        year = panel.year_at(x - column * width, y - row * height)
        step = max(int(np.searchsorted(self._x, year, side="right")) - 1, 0)
        return panel.readout(table, min(step, len(self._x) - 1))

    def update_dates(self, dates: list) -> None:
        """Keep :attr:`_x`, the table's dates as fractional years, as long as ``dates`` (the table only grows)."""
        if len(dates) != len(self._x):
            self._x = np.concatenate([self._x[: len(dates)], years(dates[len(self._x) :])])


class ExploreFigures:
    """The figures of the Explore view for one model, kept and updated in place.

    Building and fully drawing matplotlib figures is the slow part of a redraw;
    keeping them, changing only their data, and drawing only what moves on a layer
    of its own (:class:`~sim.dashboard.canvas.Canvas`) is what lets a step and its
    redraw fit in a frame.

    Attributes:
        headline: The headline figures at the last update.
    """

    def __init__(self, model: TechTransferModel, sample: tuple[nx.Graph, dict], language: str = "en") -> None:
        self.language = language
        tr = translator(language)
        self.channel = ChannelView(model, tr)
        self.enterprises = EnterpriseView(model, *sample, tr=tr)
        title = tr("{title} (seed {seed})").format(title=tr(model.config.title), seed=model.config.seed)
        self.series = TimeSeriesView(model, title, tr)
        self.headline: dict[str, Any] = {}

    def update(self, model: TechTransferModel) -> dict[str, tuple[bytes, ...]]:
        """Bring the figures up to the model's state; return each as PNG layers, bottom to top, by name.

        The names: ``channel``, ``enterprises`` and ``series`` (the six panels as one mosaic).
        """
        self.channel.update(model)
        self.enterprises.update(model)
        self.series.update(model)
        self.headline = headline(model)
        return self.pictures()

    def pictures(self) -> dict[str, tuple[bytes, ...]]:
        """Each picture as PNG layers, bottom to top, as the figures stand (see :meth:`update`)."""
        return {
            "channel": self.channel.canvas.layers(),
            "enterprises": self.enterprises.canvas.layers(),
            "series": self.series.mosaic.layers(),
        }

    def widths(self) -> dict[str, int]:
        """Width in pixels of each picture that :meth:`update` returns."""
        return {
            "channel": self.channel.canvas.agg.get_width_height()[0],
            "enterprises": self.enterprises.canvas.agg.get_width_height()[0],
            "series": self.series.mosaic.size[0],
        }

    def font_px(self) -> dict[str, float]:
        """The smallest text of each picture that :meth:`update` returns, in the picture's pixels.

        The page shows a picture scaled to fit (:func:`sim.dashboard.app.Layers`); this
        times the shown width over :meth:`widths` is the smallest text on screen.
        """
        return {
            "channel": smallest_font_px(self.channel.figure),
            "enterprises": smallest_font_px(self.enterprises.figure),
            "series": min(smallest_font_px(panel.figure) for panel in self.series.panels),
        }

    def record_key(self) -> list[tuple[str, str]]:
        """The key of the record's diamonds in the panels: (colour, ``row (grade): value unit, period``) each.

        A figure summed with earlier rows (a plan total on a cumulative chart) says so:
        ``sets_total_1958_62 (B): 60,329 sets, 1958-62 (80,000 in all)``.
        """
        tr = translator(self.language)
        key = []
        for panel in self.series.panels:
            unit = tr(panel.chart.unit)
            for mark, colour in zip(panel.records, panel.record_colours, strict=True):
                text = f"{mark.row} ({mark.grade}): {mark.recorded:,.0f} {unit}, {mark.period}"
                if mark.value != mark.recorded:
                    text += tr(" ({total} in all)").format(total=f"{mark.value:,.0f}")
                key.append((colour, text))
        return key

    def readout_at(self, model: TechTransferModel, x: float, y: float) -> str:
        """What the pointer at ``(x, y)``, in the series picture's pixels, shows (:meth:`TimeSeriesView.readout_at`)."""
        return self.series.readout_at(model, x, y)

    def canvases(self) -> dict[str, Canvas]:
        """Every figure's canvas, by name: ``channel``, ``enterprises``, ``series-0`` to ``series-5``."""
        named = {"channel": self.channel.canvas, "enterprises": self.enterprises.canvas}
        named.update({f"series-{panel.index}": panel.canvas for panel in self.series.panels})
        return named


def _value(value: float) -> str:
    """A value as a hover shows it: whole numbers with separators, shares to three decimals, ``-`` if none."""
    if not np.isfinite(value):
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.3f}"


def smallest_font_px(figure: Figure) -> float:
    """The size in pixels, at the figure's dpi, of its smallest text (every visible, non-empty text)."""
    sizes = [text.get_fontsize() for text in figure.findobj(Text) if text.get_visible() and text.get_text()]
    return float(min(sizes)) * figure.dpi / 72


def fired_events(model: TechTransferModel) -> list[dict]:
    """Labelled events applied so far, for marking on time axes."""
    return [
        {"date": d.isoformat(), "label": e.label}
        for d, e in model.events_fired
        if e.label and d > model.config.time.start
    ]
