"""The one bound tests put on waiting: long enough that only a hang, never a busy machine, reaches it.

Tests keep no wall-clock limits (timings live in ``benchmarks/``); a subprocess or a
wait loop still needs a bound so that a real hang ends the suite instead of stalling CI.
"""

#: Seconds before a test gives up on a process or a condition: a hang, not slowness.
HANG_S = 1800
