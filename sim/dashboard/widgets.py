"""Three small front-end components: the Play clock, the scenario file picker and the pointer's values.

The Play clock: the browser pulls frames at a steady rate, and the server steps when asked.

A thread that steps the model and sets the page's state at every frame races the
renders it causes: on a busy machine the state changes during every render pass and
the page dies ("Too many renders"). Here nothing runs beside the page. While
playing, the browser asks for the next frame :data:`FRAME_INTERVAL_MS` after the last
one arrived (``clock.vue``); the request is an ordinary event, handled in turn with
the user's clicks, so a Pause is never more than one frame away, and a slow machine
gets fewer frames, never a pile of them.

The pointer's values: the figures are pictures, so the browser sends the pointer's place
over one (``hover.vue``, at most every :data:`HOVER_EVERY_MS`) and the server answers
with the values there (:meth:`sim.dashboard.views.ExploreFigures.readout_at`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import solara

#: Pause (ms) in the browser between a frame arriving and asking for the next.
FRAME_INTERVAL_MS = 100
#: The browser sends the pointer's place over a figure at most this often (ms).
HOVER_EVERY_MS = 60


@solara.component_vue(str(Path(__file__).with_name("clock.vue")))
def Clock(
    playing: bool, frame: int, interval: int = FRAME_INTERVAL_MS, event_tick: Callable[[int], None] | None = None
) -> None:
    """While ``playing``, call ``event_tick`` ``interval`` ms after every change of ``frame``."""


@solara.component_vue(str(Path(__file__).with_name("upload.vue")))
def ScenarioUpload(label: str, max_bytes: int, event_upload: Callable[[dict[str, Any]], None] | None = None) -> None:
    """A file picker (and drop target) that sends the chosen file's ``name``, ``text`` and ``size`` to ``event_upload``.

    A file larger than ``max_bytes`` is not read; its text arrives empty, its size as it is.
    """


@solara.component_vue(str(Path(__file__).with_name("hover.vue")))
def HoverBox(
    width: int,
    height: int,
    text: str,
    every: int = HOVER_EVERY_MS,
    event_point: Callable[[list[float] | None], None] | None = None,
) -> None:
    """Send the pointer's place over a picture to the server and show ``text`` beside the pointer.

    The place goes to ``event_point`` in the picture's own pixels (``width`` x ``height``,
    from the top left) at most every ``every`` ms, and None when the pointer leaves.
    """


@solara.component
def Hover(width: int, height: int, read: Callable[[float, float], str]) -> None:
    """The values under the pointer over a picture: ``read(x, y)`` at the pointer's place, again at every render.

    The place is this component's own state, so a moving pointer draws only the tip
    again, and a step (a new ``read``) updates the tip under a pointer at rest.
    """
    place: solara.Reactive[tuple[float, float] | None] = solara.use_reactive(None)

    def moved(point: Any) -> None:  # from the browser: two finite numbers, or None when the pointer left
        numbers = point if isinstance(point, list) and len(point) == 2 else []
        ok = all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in numbers)
        place.set((float(numbers[0]), float(numbers[1])) if numbers and ok else None)

    HoverBox(width=width, height=height, text=read(*place.value) if place.value else "", event_point=moved)
