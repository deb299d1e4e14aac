"""The console script (``eduplan``, and ``python -m eduplan``): the process around the commands.

It imports nothing heavy itself, so that what it sets holds from the first import of the
command line on: the cycle collector's pace. A command makes its objects once and keeps most
of them to the end (the modules it imports, a month's entries), and makes hardly any garbage
in cycles; the collector, which walks the young objects every 700 new ones, walked them 46
times in a warm ``report`` at 100,000 entries (12 ms, 31 of the times while importing). It
now walks them every 100,000: cycles that became garbage wait for that at most (a few MiB).
A library user's process (``import eduplan``) is left as it is.
"""

from __future__ import annotations

import gc
import sys


def run() -> None:
    gc.set_threshold(100_000)
    from .cli import main
    from .shell import quiet_unraisable

    quiet_unraisable()
    code = main()
    # The process ends: its objects need not be walked by the collector one last time (a tenth
    # of a warm status's instructions). Python still tears down as before (atexit, every module
    # and object released, the output flushed); only cycles nothing refers to are left to the
    # system, which takes back the whole memory (every file was closed by the command).
    gc.freeze()
    sys.exit(code)
