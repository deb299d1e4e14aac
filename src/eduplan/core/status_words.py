"""The words of each status (:class:`eduplan.core.progress.Status`, by its code): what every
format prints, and what a person may type back (``--status 落后``, ``--fail-on lagging``).
Light on purpose: the command line reads it when it is built."""

from __future__ import annotations

from ..i18n import N_

STATUS_WORDS = {"done": N_("done"), "on_track": N_("on track"), "lagging": N_("lagging"), "behind": N_("behind"),
                "not_judged": N_("not judged"), "no_data": N_("no data")}
FAIL_ON = ("lagging", "behind")  # the statuses --fail-on takes: those that fail, the mildest first
