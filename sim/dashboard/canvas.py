"""A matplotlib figure rendered as PNG layers, each drawn again only when it changes.

Rendering a whole figure costs hundreds of milliseconds, mostly axes, ticks and text
that do not change from one step to the next (matplotlib's Agg backend draws text one
glyph at a time), and encoding a detailed picture as PNG costs tens more. A
:class:`Canvas` splits the figure into layers, which the browser shows one on
another:

- the *still* picture: every artist not put on another layer, opaque;
- named transparent layers above it, bottom to top (for instance an axis that may
  grow, the dated events marked so far, the lines that move, a legend), each holding
  the artists put on it (:meth:`Canvas.put`).

The *moving* layer is drawn every frame; any other is drawn again only after
:meth:`Canvas.invalidate` names it (or names nothing: everything). A layer that has not
changed returns the same bytes, so the dashboard does not send it again.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: The layer drawn every frame.
MOVING = "moving"


def png(pixels: np.ndarray) -> bytes:
    """Encode 8-bit RGB or RGBA pixels (height x width x 3 or 4) as PNG.

    No row filter and zlib level 1: three times quicker than Pillow's adaptive filters
    for pictures of flat colours and thin lines, at about the same size; the picture
    is sent at once, not stored.
    """
    height, width, channels = pixels.shape
    rows = np.zeros((height, 1 + width * channels), dtype=np.uint8)  # each row: filter type 0, then pixels
    rows[:, 1:] = pixels.reshape(height, width * channels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6 if channels == 4 else 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


class Canvas:
    """A figure rendered as a still picture and named transparent layers above it.

    Args:
        figure: The figure; its ``dpi`` is the resolution of the layers.
        layers: The transparent layers above the still picture, bottom to top; must
            include :data:`MOVING`.

    Attributes:
        versions: For each layer, how many times it has been drawn.
    """

    def __init__(self, figure: Figure, layers: Sequence[str] = (MOVING,)) -> None:
        if MOVING not in layers:
            raise ValueError(f"layers {tuple(layers)} must include {MOVING!r}")
        self.figure = figure
        self.agg = FigureCanvasAgg(figure)
        self.artists: dict[str, list[Artist]] = {name: [] for name in layers}
        self.versions = dict.fromkeys(self.names, 0)
        self._pixels: dict[str, np.ndarray] = {}
        self._png: dict[str, tuple[int, bytes]] = {}

    @property
    def names(self) -> tuple[str, ...]:
        """Every layer, bottom to top, the still picture first."""
        return ("still", *self.artists)

    @property
    def full_draws(self) -> int:
        """How many times the still picture has been drawn."""
        return self.versions["still"]

    def put(self, layer: str, *artists: Artist) -> None:
        """Draw ``artists`` on ``layer`` (not in the still picture); that layer is drawn again."""
        for artist in artists:
            artist.set_animated(True)
            self.artists[layer].append(artist)
        self._pixels.pop(layer, None)

    def replace(self, layer: str, *artists: Artist) -> None:
        """Draw ``artists`` on ``layer`` instead of what it held (the caller removes those from the figure)."""
        self.artists[layer] = []
        self.put(layer, *artists)

    def move(self, *artists: Artist) -> None:
        """Put artists on the moving layer, drawn every frame."""
        self.put(MOVING, *artists)

    def invalidate(self, layer: str | None = None) -> None:
        """``layer`` has changed (``None``: the still picture, so every layer): draw it again at the next frame."""
        if layer is None:
            self._pixels.clear()
        else:
            self._pixels.pop(layer, None)

    def _draw_alone(self, artists: list[Artist]) -> np.ndarray:
        """Only ``artists``, on a transparent canvas (the still picture must be drawn first)."""
        self.agg.get_renderer().clear()
        for artist in artists:
            self.figure.draw_artist(artist)
        return np.array(self.agg.buffer_rgba())

    def render(self) -> dict[str, np.ndarray]:
        """Every layer's RGBA pixels, drawing those that changed (and the moving one), bottom to top."""
        if "still" not in self._pixels:
            self.agg.draw()  # also lays the figure out, which drawing single artists needs
            self._pixels["still"] = np.array(self.agg.buffer_rgba())
            self.versions["still"] += 1
        for name, artists in self.artists.items():
            if name == MOVING or name not in self._pixels:
                self._pixels[name] = self._draw_alone(artists)
                self.versions[name] += 1
        return {name: self._pixels[name] for name in self.names}

    def layers(self) -> tuple[bytes, ...]:
        """Every layer as PNG, bottom to top (:attr:`names`); a layer not drawn again keeps its bytes."""
        pixels = self.render()
        return tuple(
            _encoded(self._png, name, self.versions[name], partial(pixels.__getitem__, name)) for name in self.names
        )

    def full_render(self) -> np.ndarray:
        """The whole figure drawn at once, in matplotlib's own order (RGB pixels); for checks."""
        layered = [artist for artists in self.artists.values() for artist in artists]
        for artist in layered:
            artist.set_animated(False)
        try:
            self.agg.draw()
            pixels = np.asarray(self.agg.buffer_rgba())[..., :3].copy()
        finally:
            for artist in layered:
                artist.set_animated(True)
            self.invalidate()
        return pixels


def _encoded(cache: dict, name: str, version: object, pixels: Callable[[], np.ndarray]) -> bytes:
    """Layer ``name`` as PNG, encoded again only when its ``version`` changed (the still picture opaque)."""
    if name not in cache or cache[name][0] != version:
        rgba = pixels()
        cache[name] = (version, png(rgba[..., :3] if name == "still" else rgba))
    return cache[name][1]


class Mosaic:
    """Canvases of one size and the same layers, tiled in rows and sent as one picture per layer.

    Each canvas is drawn on its own (so a change in one redraws only it), but the
    browser gets one image per layer instead of one per canvas and layer, which keeps
    the messages and decodes of a frame few.

    Args:
        rows: The canvases, row by row; every row as long as the first.
    """

    def __init__(self, rows: Sequence[Sequence[Canvas]]) -> None:
        self.rows = [list(row) for row in rows]
        self.names = self.rows[0][0].names
        self._png: dict[str, tuple[tuple[int, ...], bytes]] = {}

    @property
    def canvases(self) -> list[Canvas]:
        """The canvases, row by row."""
        return [canvas for row in self.rows for canvas in row]

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the mosaic in pixels."""
        width, height = self.rows[0][0].agg.get_width_height()
        return width * len(self.rows[0]), height * len(self.rows)

    def layers(self) -> tuple[bytes, ...]:
        """Every layer of the mosaic as PNG, bottom to top; a layer no tile redrew keeps its bytes."""
        rendered = [[canvas.render() for canvas in row] for row in self.rows]

        def tiled(name: str) -> np.ndarray:
            return np.concatenate([np.concatenate([tile[name] for tile in row], axis=1) for row in rendered], axis=0)

        return tuple(
            _encoded(self._png, name, tuple(c.versions[name] for c in self.canvases), partial(tiled, name))
            for name in self.names
        )


def composite(layers: Sequence[bytes]) -> np.ndarray:
    """PNG layers shown one on another, bottom first, as the browser shows them (RGB pixels); for checks."""
    import io

    from PIL import Image

    pictures = [Image.open(io.BytesIO(layer)).convert("RGBA") for layer in layers]
    shown = pictures[0]
    for picture in pictures[1:]:
        shown = Image.alpha_composite(shown, picture)
    return np.asarray(shown.convert("RGB"))
