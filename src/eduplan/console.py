"""The console script (``eduplan``, and ``python -m eduplan``): the process around the commands.

It imports nothing heavy itself, so that what it sets holds from the first import of the
command line on: the cycle collector's pace. A command makes its objects once and keeps most
of them to the end (the modules it imports, a month's entries), and makes hardly any garbage
in cycles; the collector, which walks the young objects every 700 new ones, walked them 46
times in a warm ``report`` at 100,000 entries (12 ms, 31 of the times while importing). It
now walks them every 100,000: cycles that became garbage wait for that at most (a few MiB).
And the process ends without taking its objects apart one by one (:func:`leave`). A library
user's process (``import eduplan``) is left as it is.
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
    gc.freeze()  # (if the process does tear down: its objects are not walked one last time)
    leave(code)


def leave(code: int) -> None:
    """End the process without taking it apart: what a command leaves is freed by the
    system, not one object at a time (a warm ``report`` at 100,000 synthetic entries keeps a
    month's 8,450 entries to the end: 0.95x the time; status 0.91x). mypy ends the same way
    (``mypy.util.hard_exit``). What Python's own exit would still do is done first: the exit
    handlers (``atexit``) run and both outputs are flushed. Every file a command writes is
    closed before it returns (the ledger and output files synced too). Where that is not
    all, the process ends as usual: another thread still running (Python waits for it), or
    an output that cannot be flushed (Python says so, as it always did)."""
    import atexit
    import os
    import threading

    if threading.active_count() == 1:
        try:
            atexit._run_exitfuncs()  # (their errors are printed by atexit, as at any exit)
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except Exception:
            pass
        else:
            os._exit(code if isinstance(code, int) else 0)
    sys.exit(code)
