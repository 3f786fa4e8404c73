"""``python -m sim``: see :mod:`sim.cli`."""

import sys

try:
    from sim.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still loading the libraries
    print("interrupted: nothing was written", file=sys.stderr)
    sys.exit(130)

if __name__ == "__main__":
    sys.exit(main())
