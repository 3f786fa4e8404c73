"""Every schema parameter as a flat keyword argument of the model, for Mesa's own tools.

``TechTransferModel(office_staff=16, soviet_approval_blueprints=0.5)`` is the
same as the overrides ``{"office.staff": 16, "soviet.approval.blueprints": 0.5}``:
a parameter's flat name is its schema path with ``_`` for ``.``. A per-category
parameter has a flat name for all five categories (``soviet_approval``) and one
for each (``soviet_approval_blueprints``). ``mesa.batch_run`` and ``SolaraViz``'s
``model_params`` pass parameters this way. ``python -m sim params`` lists the paths.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from sim.catalog import CATEGORIES
from sim.params import CategoryTable, iter_parameters


@functools.cache
def flat_names() -> dict[str, str]:
    """Flat keyword name -> schema path, for every parameter (and every category's cell)."""
    names: dict[str, str] = {}
    for path, info, _ in iter_parameters():
        paths = [path]
        if isinstance(info.annotation, type) and issubclass(info.annotation, CategoryTable):
            paths += [f"{path}.{category}" for category in CATEGORIES]
        for each in paths:
            flat = each.replace(".", "_")
            if flat in names:
                raise ValueError(f"flat name {flat!r} stands for both {names[flat]} and {each}")
            names[flat] = each
    return names


def overrides_from_keywords(keywords: Mapping[str, Any]) -> dict[str, Any]:
    """Schema-path overrides from flat keyword arguments.

    Raises:
        TypeError: For a keyword that names no parameter, with the nearest names.
    """
    names = flat_names()
    overrides = {}
    for key, value in keywords.items():
        if key not in names:
            import difflib

            near = difflib.get_close_matches(key, names, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            if key == "seed":
                hint = "; give the seed as rng= (as in Mesa)"
            raise TypeError(f"TechTransferModel() got an unexpected keyword argument {key!r}{hint}")
        overrides[names[key]] = value
    return overrides
