"""Named random streams: one numpy Generator per subsystem, all from one seed.

Each stream is seeded by ``SeedSequence(seed, spawn_key=(crc32(name),))``, so
streams are independent, the same name always gets the same stream, and adding
a subsystem never reshuffles the draws of the others (common random numbers:
two scenarios with the same seed differ only where their rules differ).
"""

from __future__ import annotations

import zlib

import numpy as np


class RandomStreams:
    """A seeded family of generators, created on first use."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._streams:
            sequence = np.random.SeedSequence(self.seed, spawn_key=(zlib.crc32(name.encode()),))
            self._streams[name] = np.random.Generator(np.random.PCG64(sequence))
        return self._streams[name]


def replicate_seeds(seed: int, n: int) -> list[int]:
    """``n`` independent seeds for replicates, spawned from ``seed``."""
    return [int(s.generate_state(1, np.uint64)[0] >> 1) for s in np.random.SeedSequence(seed).spawn(n)]
