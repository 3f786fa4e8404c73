"""A matplotlib figure drawn once, then only its moving parts each frame (blitting on Agg).

Rendering a whole figure costs hundreds of milliseconds, mostly axes, ticks and text
that do not change from one step to the next. A :class:`Canvas` draws the figure
once without its *moving* artists, keeps that picture, and for each frame pastes it
back and draws only the moving artists on top, the way matplotlib's animations blit.
Anything that changes the still part (new axis limits, a new event line) calls
:meth:`Canvas.invalidate`, and the next frame draws everything again.
"""

from __future__ import annotations

import io

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


class Canvas:
    """A figure with a still background and moving artists, rendered to PNG.

    Args:
        figure: The figure; its ``dpi`` is the resolution of the PNG.

    Attributes:
        moving: The artists drawn every frame, in order, on top of the background.
        full_draws: How many frames drew the whole figure (the benchmark reports it).
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.agg = FigureCanvasAgg(figure)
        self.moving: list[Artist] = []
        self._background = None
        self.full_draws = 0

    def move(self, *artists: Artist) -> None:
        """Mark artists as moving: drawn every frame, not part of the background."""
        for artist in artists:
            artist.set_animated(True)
            self.moving.append(artist)

    def invalidate(self) -> None:
        """The still part has changed: draw everything at the next frame."""
        self._background = None

    def png(self) -> bytes:
        """The figure as it stands, as PNG (fast zlib level: the picture is sent at once, not stored)."""
        if self._background is None:
            self.agg.draw()
            self._background = self.agg.copy_from_bbox(self.figure.bbox)
            self.full_draws += 1
        else:
            self.agg.restore_region(self._background)
        for artist in self.moving:
            self.figure.draw_artist(artist)
        width, height = self.agg.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.agg.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
