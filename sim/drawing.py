"""How every figure writes its text: one font list and plain text, set only while a figure is drawn.

Titles, labels and names come from scenario files, sweep files and the command line, so
they may hold Chinese (资料) or dollars. Inside :func:`drawing` the texts made take
:data:`FONTS` (DejaVu Sans, then WenQuanYi Micro Hei for the glyphs DejaVu lacks) and a
``$`` is a dollar, never the start of mathtext. The settings hold only inside the block
(``matplotlib.rc_context``): importing this module, or any figure's module, changes
nothing in the process. The run, comparison, analysis, calibration and replicate figures
and the dashboard's are all built and saved inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

#: The figures' fonts, in the order matplotlib tries them for each glyph: Latin, then Chinese.
#: A font that is missing is passed over (matplotlib warns once); the figures still draw.
#: Debian's ``fonts-wqy-microhei`` has the Chinese one (``.ci/run`` installs it).
FONTS = ["DejaVu Sans", "WenQuanYi Micro Hei"]


@cache
def known_fonts() -> tuple[str, ...]:
    """Make every font of :data:`FONTS` that is installed known to matplotlib; return those it knows.

    Matplotlib lists the system's fonts once, in a cache file, and does not look again: a
    font installed after its first use (``apt-get install fonts-wqy-microhei`` on a machine
    that had drawn a figure before) stays unknown and Chinese draws as empty boxes. A family
    of :data:`FONTS` that the list lacks is looked for among the system's font files, once
    per process, and added (``FontManager.addfont``).
    """
    from matplotlib import font_manager, ft2font

    manager = font_manager.fontManager
    missing = set(FONTS) - {entry.name for entry in manager.ttflist}
    if missing:
        for path in font_manager.findSystemFonts():
            try:
                family = ft2font.FT2Font(path).family_name
            except (OSError, RuntimeError):  # a file FreeType cannot read
                continue
            if family in missing:
                manager.addfont(path)
    return tuple(name for name in FONTS if name in {entry.name for entry in manager.ttflist})


@contextmanager
def drawing() -> Iterator[None]:
    """Within: texts made take :data:`FONTS` and are drawn as written (no mathtext).

    Also a decorator: ``@drawing()`` puts a whole function inside.
    """
    import matplotlib as mpl

    known_fonts()
    with mpl.rc_context({"font.family": list(FONTS), "text.parse_math": False}):
        yield
