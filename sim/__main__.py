"""``python -m sim``: see :mod:`sim.cli`."""

import os
import sys

try:
    from sim.cli import entry
except KeyboardInterrupt:  # Ctrl-C while Python is still loading the libraries
    print("interrupted: nothing was written", file=sys.stderr, flush=True)
    # Leave at once: finalising half-imported extension modules can turn a clean exit into death by SIGINT.
    os._exit(130)

if __name__ == "__main__":
    entry()
