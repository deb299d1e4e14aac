"""Reading the ledger: ``plan``, ``status``, ``show``, ``log``, ``report``, ``validate``,
``repair`` as functions of the library. Each returns a document to render."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ..core.names import find_county, find_indicator, find_lead, find_section, find_status
from ..core.pace import time_progress
from ..core.progress import Status, StatusReport, baselines_from, status_report
from ..core.records import replace
from ..core.reporting import month_start
from ..errors import EduplanError, ProblemsError, UsageError
from ..i18n import msg, use_terms
from ..store import ledger as ledger_store
from ..store.planfile import check_plan_file, terms_for
from .workspace import Workspace, reading_date

if TYPE_CHECKING:  # the bulletin, the rules and the documents are imported by the commands that use them
    from ..core.bulletin import Bulletin
    from ..core.documents import IndexDoc, LogDoc, PlanDoc, ShowDoc, ValidateDoc
    from ..core.receipts import RepairDoc


def plan_doc(ws: Workspace) -> PlanDoc:
    from ..core.documents import PlanDoc

    return PlanDoc(ws.plan)


def baselines(plan, view) -> dict:
    """The baselines recorded in the ledger (entries dated before the period), if the plan has any."""
    if not plan.has_baselines:
        return {}
    return baselines_from(plan, view.latest(plan.plan.start - dt.timedelta(days=1)))


def status(ws: Workspace, *, as_of: str | dt.date | None = None, section: str | Iterable[str] | None = None,
           county: str | None = None, by_county: bool = False, statuses: Iterable[str] = (),
           lead: str | None = None) -> StatusReport:
    """Every indicator (or a section's, or a lead unit's) judged as of a date, for the city or one county.
    ``section`` may be given as often as it was typed (``--section`` repeated), if it names one section."""
    plan = ws.plan
    day = reading_date(plan, ws.day(as_of), today=ws.today)
    typed = [section] if isinstance(section, str) else [s for s in section or () if s]
    sections = list(dict.fromkeys(find_section(plan, s).value.id for s in typed))
    if len(sections) > 1:  # a view is grouped under one section
        raise UsageError(msg("one section at a time: {sections} were given", sections=typed), field="section")
    section_id = sections[0] if sections else None
    unit = find_county(plan, county).value if county is not None else None
    lead_name = find_lead(plan, lead).value if lead is not None else None
    if by_county and unit is not None:
        raise UsageError(msg("a view of every county and a view of one county do not go together"), field="by_county")
    wanted = [Status(find_status(s)) for s in statuses]
    view = ws.view()
    try:
        latest = view.latest(day)
        return status_report(plan, latest, day, county=unit, section=section_id, statuses=wanted,
                             empty_ledger=view.empty, with_counties=by_county, baselines=baselines(plan, view),
                             lead=lead_name, sent=view.units_sent(month_start(plan, day), day))
    finally:
        view.close()


def show(ws: Workspace, indicator: str, *, as_of: str | dt.date | None = None) -> ShowDoc:
    """One indicator in full: its status, and every figure recorded for it dated up to the day read."""
    from ..core.documents import Remark, ShowDoc

    plan = ws.plan
    ind = find_indicator(plan, indicator).value
    day = reading_date(plan, ws.day(as_of), today=ws.today)
    view = ws.view()
    try:
        report = status_report(plan, view.latest(day, [ind.id]), day, indicators=[ind.id],
                               baselines=baselines(plan, view) if ind.baseline is not None else None,
                               sent=view.units_sent(month_start(plan, day), day))
        # what the view stood on: figures dated up to the day it reads (a view of May does not show September's)
        history = tuple(Remark(e, later) for e, later in view.history(indicator=ind.id) if e.as_of <= day)
    finally:
        view.close()
    return ShowDoc(plan, day, time_progress(plan.plan, day), report.rows[0], history)


def log(ws: Workspace, indicator: str | None = None, *, county: str | None = None,
        since: str | dt.date | None = None) -> LogDoc:
    """The history, newest first, streamed from the index."""
    from ..core.documents import LogDoc, Remark, Streamed, new_remark

    plan = ws.plan
    ind_id = find_indicator(plan, indicator).value.id if indicator else None
    unit = find_county(plan, county).value if county is not None else False
    since_day = ws.since(since)
    view = ws.view()

    def rows() -> Iterator[Remark]:
        for e, later in view.streamed_history(indicator=ind_id, county=unit, since=since_day):
            yield new_remark(e, later)

    return LogDoc(plan, Streamed(rows))


def bulletin(ws: Workspace, month: str) -> Bulletin:
    """The monthly bulletin (月度通报) as data."""
    label, start, end = _month(ws, month)
    view = ws.view()
    try:
        return _bulletin(ws, view, label, start, end)
    finally:
        view.close()


def bulletin_shown(ws: Workspace, month: str, shown: Callable[[Bulletin], str | bytes | Iterable[str]],
                   **how: object) -> str | bytes | Iterator[str | bytes]:
    """The monthly bulletin as ``shown`` makes it (a format and a language: ``how`` names them,
    with anything else that changes what it makes), in UTF-8. Kept in the index until its next
    write, as the data-quality digest is (:mod:`eduplan.store.memo`): the same bulletin asked
    again of the same entries, plan, day and code is read back instead of made again. A text
    made in pieces is passed on piece by piece and kept once its last piece has gone out (an
    output cut short keeps nothing); one longer than ``memo.SHOWN_CHARS`` is not kept."""
    from ..store import memo

    label, start, end = _month(ws, month)
    view = ws.view()
    try:
        index = view.index
        key = memo.shown_key("bulletin", ws.plan, ws.today, month=label, plan_named=_named(ws.plan_option),
                             ledger_named=_named(ws.ledger_option), **how)
        kept = _unpacked(index.memo(key))
        if kept is not None:
            view.close()
            return kept
        generation = index.generation()
        out = shown(_bulletin(ws, view, label, start, end))
    except BaseException:
        view.close()
        raise
    if isinstance(out, bytes) or index.path is None:  # (a workbook; an index in memory, gone with the command)
        view.close()
        return out
    return _keeping([out] if isinstance(out, str) else out, lambda text: index.keep(
        key, generation, zlib.compress(text.encode("utf-8", "replace"), 1), most=memo.SHOWN_MOST),
        view.close, memo.SHOWN_CHARS)


def _unpacked(kept: object) -> bytes | None:
    """A bulletin kept as shown, in UTF-8 (kept compressed: at 100k synthetic entries 4.0 MB of
    JSON are 0.29 MB, 15 ms to compress and 11 to expand, where writing them whole into the
    index cost 35 ms); None if there is none, or what is there is not one (it is made again)."""
    if not isinstance(kept, bytes):
        return None
    try:
        return zlib.decompress(kept)
    except zlib.error:
        return None


def _keeping(pieces: Iterable[str], keep: Callable[[str], None], close: Callable[[], None],
             most: int) -> Iterator[str]:
    """``pieces`` passed on; once the last has gone out, kept whole if ``most`` characters hold them."""
    held: list[str] | None = []
    size = 0
    try:
        for piece in pieces:
            if held is not None:
                size += len(piece)
                if size > most:
                    held = None
                else:
                    held.append(piece)
            yield piece
        if held is not None:
            keep("".join(held))
    finally:
        close()


def _month(ws: Workspace, month: str) -> tuple[str, dt.date, dt.date]:
    """A bulletin's month as read (``2023-12``), its first day and the day it is read to: its last,
    or today for a month still running. A bad month fails before the ledger is read."""
    from ..core.bulletin import month_bounds

    year, mon, start, end = month_bounds(ws.plan, month, ws.today)
    label = f"{year:04d}-{mon:02d}"
    if start > ws.today:
        raise EduplanError(msg("{month} has not begun (today is {today}): a bulletin is made of a month that has "
                               "begun", month=label, today=ws.today), field="month")
    return label, start, min(end, ws.today)  # a month still running is read to today: its days to come are no one's


def _bulletin(ws: Workspace, view, month: str, start: dt.date, end: dt.date) -> Bulletin:
    from ..core.bulletin import build_bulletin
    from ..core.documents import new_remark
    from .quality import digest_of

    plan = ws.plan
    with ledger_store.paused_collector():  # a month's entries (85,000 at 1M): objects without cycles
        recorded = [new_remark(e, later) for e, later in view.dated_between(start, end)]
        made = build_bulletin(plan, month, view.latest, recorded, baselines=baselines(plan, view),
                              empty_ledger=view.empty, quality=digest_of(view, end), until=end)
        return replace(made, plan_named=_named(ws.plan_option), ledger_named=_named(ws.ledger_option))


def _named(option: object) -> str | None:
    """A file as the command was given it (a path, as typed), None where it was not."""
    return None if option is None else str(option)


def validate(ws: Workspace) -> ValidateDoc:
    """Check the plan and the ledger, every problem with its file and line."""
    from ..core.documents import ValidateDoc

    plan, problems = check_plan_file(ws.plan_path)
    if problems:  # every problem of the plan at once (its fields, its rules, its quoted phrases), in its words
        use_terms(plan.terms if plan is not None else terms_for(ws.plan_path, problems))
        return ValidateDoc(ws.plan_path, ws.ledger_path if ws.ledger_option else ws.plan_path, plan, tuple(problems),
                           (), False, 0)
    ws.__dict__["_plan"] = plan
    use_terms(plan.terms)
    # this computer's stored index, checked whole (a damaged page of one of its indexes can hide entries
    # from the reading commands without SQLite's quick checks seeing it): removed if damaged
    removed = ledger_store.remove_if_damaged(ws.ledger_path, plan)
    seen = ledger_store.last_read(ws.ledger_path, plan)  # what this computer last read (its stored index)
    # the ledger's own bytes, read whole in memory: the check before a commit vouches for the files, not for a
    # cache beside them (an index altered in place would otherwise answer for them)
    with ledger_store.memory_index():
        view, sync = ledger_store.check(ws.ledger_path, plan)
    questionable = 0
    versions: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    if view is not None:
        try:
            if seen:  # entries this computer read before that the files no longer hold as they were (a merge
                # that kept the other side, a hand edit): said, since a correction is a new entry, never an edit
                now = view.index.figures()
                lost = tuple(_ref(k) for k in sorted(seen) if k not in now)
                changed = tuple(_ref(k) for k in sorted(seen) if k in now and now[k] != seen[k])
            versions = tuple(sorted(view.plan_versions() - {plan.plan.version}))
            # what the ledger's structure allows may still be questionable: said, not refused
            from .quality import findings_of

            findings, _ = findings_of(view, plan.plan.end, reporting=False)
            questionable = sum(f.rule != "accepted" for f in findings)
        finally:
            view.close()
    return ValidateDoc(ws.plan_path, ws.ledger_path, plan, (), tuple(sync.problems), sync.exists, sync.count, sync.torn,
                       questionable, versions, lost, changed, removed)


def _ref(key: tuple[str, int]) -> str:
    office, id_ = key
    return f"{office}#{id_}" if office else f"#{id_}"


def coverage(ws: Workspace):
    """How the plan covers the text it names (``[plan] source_text``), sentence by sentence."""
    from ..core.coverage import coverage as cover
    from ..errors import os_error
    from ..i18n import N_
    from ..store.paths import NotRegular, not_utf8, read_regular
    from ..store.planfile import source_text_path

    plan = ws.plan
    path = source_text_path(ws.plan_path, plan)
    if path is None:
        raise EduplanError(msg("the plan names no source text ([plan] source_text)"))
    try:
        raw = read_regular(path)
        text = raw.decode("utf-8-sig")
    except NotRegular as exc:
        raise EduplanError(msg("the source text {path} is {kind}, not a text file", path=str(path),
                               kind=msg(exc.kind))) from None
    except OSError as exc:
        raise os_error(path, exc, N_("reading the file")) from None
    except UnicodeDecodeError:
        raise EduplanError(msg("the source text {path}: {problem}", path=str(path), problem=not_utf8(raw))) from None
    return cover(plan, text, plan.plan.source_text)


def index(ws: Workspace) -> IndexDoc:
    """The ledger's SQLite index, brought up to date: where it is, and how much it holds."""
    from ..core.documents import IndexDoc

    from ..store.ledger import index_path, place

    view = ws.view()
    try:
        wanted = index_path(place(ws.ledger_path))
        if view.index.path is None and wanted is not None:  # a cache folder is set, and could not keep it
            raise EduplanError(msg("the index of {ledger} cannot be kept in {folder} (the folder cannot be written, or "
                                   "is not a folder): it is built in memory for each command; set EDUPLAN_CACHE_DIR "
                                   "to a folder you can write (the figures are not affected)",
                                   ledger=str(ws.ledger_path), folder=str(wanted.parent)))
        if view.index.path is not None and not view.index.sound():  # checked whole: damage the reads did not see
            view.close()
            ledger_store.discard_index(ws.ledger_path)
            view = ws.view()
            return IndexDoc(ws.ledger_path, view.index.path, view.index.count(), len(view.index.files()), True)
        return IndexDoc(ws.ledger_path, view.index.path, view.index.count(), len(view.index.files()))
    finally:
        view.close()


def repair(ws: Workspace) -> RepairDoc:
    from ..core.receipts import RepairDoc
    from ..store.repair import repair as repair_ledger

    result = repair_ledger(ws.ledger_path, ws.plan, ws.now)
    return RepairDoc(result.path, result.exists, result.kept, result.removed_bytes, result.saved_to)


__all__ = ["plan_doc", "status", "show", "log", "bulletin", "validate", "index", "repair", "coverage", "EduplanError",
           "ProblemsError"]
