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

#: The figures' fonts, in the order matplotlib tries them for each glyph: Latin, then Chinese.
#: A font that is missing is passed over (matplotlib warns once); the figures still draw.
#: Debian's ``fonts-wqy-microhei`` has the Chinese one (``.ci/run`` installs it).
FONTS = ["DejaVu Sans", "WenQuanYi Micro Hei"]


@contextmanager
def drawing() -> Iterator[None]:
    """Within: texts made take :data:`FONTS` and are drawn as written (no mathtext).

    Also a decorator: ``@drawing()`` puts a whole function inside.
    """
    import matplotlib as mpl

    with mpl.rc_context({"font.family": list(FONTS), "text.parse_math": False}):
        yield
