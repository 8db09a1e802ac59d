"""`python -m gateaudit` and the `gateaudit` console script."""

import gc
import os
import sys


def run() -> None:
    # Before the imports too: a scan's objects live until it ends, and the cyclic collector would walk
    # them (and every class and function the imports create) again and again for nothing.
    gc.disable()
    from gateaudit.cli import main

    code = main()
    # The process ends here: its memory goes back whole, instead of the interpreter freeing every object of the
    # scan one by one on the way out (a twentieth of a cold scan of 1,000 files). What is buffered is written first.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: leave it to the interpreter's own exit, as before
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    run()
