"""Routes: the delays and open flags of the channel network, as arrays the processes read.

The channel network (:mod:`sim.network`) is the record of where requests and
material travel; :class:`Routes` reads its edges into arrays indexed by the
catalogue's order (ministries by sector, channels, agencies, Soviet enterprises
agency by agency), and reads them again when the parameters that set them change.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from sim.catalog import AGENCIES, CHANNELS, SECTOR_KEYS
from sim.network import agency_node, build_channel_network, enterprise_node, ministry_node, update_channel_network
from sim.params import Params


class Routes:
    """Delays (days) and open flags along the channel network.

    Args:
        params: Parameters at build time (they fix the Soviet enterprises per agency).

    Attributes:
        graph: The channel network (networkx ``DiGraph``).
        channel_open: Whether ministry ``m`` may send along channel ``c``, ``[m, c]``.
        every_ministry_open: Whether every ministry has a channel open.
        channel_delay: Ministry to channel, ``[m, c]``.
        forward_delay: Channel to agency, ``[c, a]``.
        dispatch_delay: Agency to its ``j``-th enterprise, ``[a, j]``.
        collect_delay: Soviet enterprise to channel, ``[e, c]``.
        return_delay: Channel to ministry, ``[c, m]``.
    """

    def __init__(self, params: Params) -> None:
        self.graph: nx.DiGraph = build_channel_network(params)
        per_agency = params.soviet.enterprises_per_agency
        self._ministries = [ministry_node(key) for key in SECTOR_KEYS]
        self._channels = list(CHANNELS)
        self._agencies = [agency_node(a.key) for a in AGENCIES]
        self._enterprises = [[enterprise_node(a.key, j) for j in range(per_agency)] for a in AGENCIES]
        self._seen: tuple | None = None
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Set the edges from the parameters in force and read them, if the channels or Soviet side changed."""
        key = (params.office, params.commission, params.soviet)  # the channel network reads only these
        if key == self._seen:
            return
        self._seen = key
        update_channel_network(self.graph, params)
        delay = {(u, v): d for u, v, d in self.graph.edges(data="delay_days")}
        is_open = {(u, v): o for u, v, o in self.graph.edges(data="open")}

        def delays(sources: list[str], targets: list[str]) -> np.ndarray:
            return np.array([[delay[u, v] for v in targets] for u in sources])

        self.channel_open = np.array([[is_open[m, c] for c in self._channels] for m in self._ministries])
        self.every_ministry_open = bool(self.channel_open.any(axis=1).all())
        self.channel_delay = delays(self._ministries, self._channels)
        self.forward_delay = delays(self._channels, self._agencies)
        self.dispatch_delay = np.array(
            [delays([a], e)[0] for a, e in zip(self._agencies, self._enterprises, strict=True)]
        )
        self.collect_delay = delays([e for row in self._enterprises for e in row], self._channels)
        self.return_delay = delays(self._channels, self._ministries)
