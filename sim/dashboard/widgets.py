"""Two small front-end components: the Play clock and the scenario file picker.

The Play clock: the browser pulls frames at a steady rate, and the server steps when asked.

A thread that steps the model and sets the page's state at every frame races the
renders it causes: on a busy machine the state changes during every render pass and
the page dies ("Too many renders"). Here nothing runs beside the page. While
playing, the browser asks for the next frame :data:`FRAME_INTERVAL_MS` after the last
one arrived (``clock.vue``); the request is an ordinary event, handled in turn with
the user's clicks, so a Pause is never more than one frame away, and a slow machine
gets fewer frames, never a pile of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import solara

#: Pause (ms) in the browser between a frame arriving and asking for the next.
FRAME_INTERVAL_MS = 100


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
