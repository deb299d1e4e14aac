"""The data-quality report: ``eduplan check`` as a function of the library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..core.documents import QualityReport
from ..core.names import find_county
from ..core.rules import LISTED, RULE_IDS, Finding, QualityDigest, rule_called, rule_tag, units_digest, units_findings
from ..errors import UsageError
from ..i18n import msg
from ..store.ledger import paused_collector
from .workspace import Workspace, reading_date


def check(ws: Workspace, *, as_of: str | dt.date | None = None, county: str | None = None,
          rules: Iterable[str] = ()) -> QualityReport:
    """What is questionable in the ledger as of a date (default: today, within the plan
    period): every finding of :func:`eduplan.core.rules.ledger_findings`, or only those of
    ``rules`` and of one unit (``county``; 全市 for the city-wide figures)."""
    plan = ws.plan
    day = reading_date(plan, ws.day(as_of), today=ws.today)
    wanted = []
    for r in rules:
        rule = rule_called(r)
        if rule is None:
            raise UsageError(msg("unknown rule '{text}'; the rules are {all}", text=r,
                                 all=[rule_tag(x) for x in RULE_IDS]), field="rule")
        if rule not in wanted:
            wanted.append(rule)
    unit = find_county(plan, county).value if county is not None else None
    view = ws.view()
    try:
        findings, entries = findings_of(view, day, unit=unit, scoped=county is not None)
    finally:
        view.close()
    if wanted:
        findings = [f for f in findings if f.rule in wanted]
    if county is not None:
        findings = [f for f in findings if f.county == unit]
    return QualityReport(plan, day, tuple(findings), entries, unit, county is not None, tuple(wanted))


def findings_of(view, day: dt.date, *, reporting: bool = True, unit: str | None = None,
                scoped: bool = False) -> tuple[list[Finding], int]:
    """The data-quality findings of a ledger as of a day (:func:`eduplan.core.rules.units_findings`),
    read unit by unit, and how many surviving entries were checked (``scoped``: of ``unit``'s only,
    None for the city-wide figures)."""
    count = 0

    def units():
        nonlocal count
        for entries in view.surviving_units(day):
            if not scoped or (entries and entries[0].county == unit):
                count += len(entries)
            yield entries

    with paused_collector():
        findings = units_findings(view.plan, units(), day, reporting=reporting)
    return findings, count


def digest_of(view, day: dt.date) -> QualityDigest:
    """The findings as of a day in brief (:func:`eduplan.core.rules.digest`), as the bulletin
    gives them. Kept in the index until its next write (:mod:`eduplan.store.memo`): asked again
    of the same entries, the digest is read back instead of judging every entry again."""
    from ..store import memo

    index = view.index
    key = memo.key("digest", view.plan, day, rows=LISTED)
    kept = index.memo(key)
    if kept is not None:
        again = memo.decode_digest(kept, index.entries_at)
        if again is not None:
            return again
    generation = index.generation()
    with paused_collector():
        result = units_digest(view.plan, view.surviving_units(day), day)
    try:
        index.keep(key, generation, memo.encode_digest(result))
    except memo.NotKept:
        pass
    return result
