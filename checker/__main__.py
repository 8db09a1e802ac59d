"""`python -m gateaudit` and the `gateaudit` console script."""

import gc
import sys


def run() -> None:
    # Before the imports too: a scan's objects live until it ends, and the cyclic collector would walk
    # them (and every class and function the imports create) again and again for nothing.
    gc.disable()
    from gateaudit.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
