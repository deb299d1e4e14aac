"""The JSON documents scripts rely on (documented in the README), as plain dicts.

The same in every language: keys, codes and ids only, never a translated sentence (a
note is a ``code`` with its parameters). Every document carries ``schema_version``.
Numbers are in base units; ``completion``, ``time_progress`` and ``expected`` are fractions
(0.52 = 52 %); percentages of level indicators are numbers from 0 to 100; absent values
are ``null``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from json.encoder import encode_basestring as _string  # json's own (C) writer of a string
from typing import TYPE_CHECKING

from ..core.models import Entry, Indicator, Plan
from ..core.progress import CountyFigure, Note, Progress, StatusReport
from ..core.times import iso
from .encoding import HOLE, json_array, json_texts, json_with_array, to_json

if TYPE_CHECKING:  # the bulletin's types, and the documents the services build: not imported by every command
    from ..core.bulletin import Bulletin, Row
    from ..core.documents import LogDoc, PlanDoc, QualityReport, Remark, ShowDoc

SCHEMA_VERSION = 3


def num(x: float | int | None, digits: int = 6) -> float | int | None:
    if x is None:
        return None
    if isinstance(x, int) or float(x).is_integer():
        return int(x)
    return round(float(x), digits)


def plan_info(plan: Plan) -> dict:
    p = plan.plan
    return {"id": p.id, "title": p.title, "title_en": p.title_en, "issuer": p.issuer, "city": p.city, "lang": p.lang,
            "version": p.version, "year": p.year, "start": p.start.isoformat(), "end": p.end.isoformat(),
            "counties": list(p.counties), "source_text": p.source_text or None, "units": list(p.units),
            "terms": {"whole": plan.terms.whole, "units": plan.terms.units, "whole_en": plan.terms.whole_en,
                      "unit_en": plan.terms.unit_en, "units_en": plan.terms.plural_en},
            "schema_version": plan.schema_version}


def pace_doc(ind: Indicator) -> dict | None:
    """How the expected share grows; null for a level without a pace (its target applies at any date)."""
    pace = ind.effective_pace
    if pace is None:
        return None
    due = pace.due
    return {"kind": pace.kind.value, "date": pace.date.isoformat() if pace.date else None,
            "points": [{"date": d.isoformat(), "share": num(share)} for d, share in pace.points],
            "steps": pace.steps, "due": due.isoformat() if due else None, "source": pace.source or None}


def plan_fields(ind: Indicator) -> dict:
    """What the plan says about how the target is meant to be reached (schema version 2 fields)."""
    return {
        "pace": pace_doc(ind),
        "county_targets": {c: num(v) for c, v in ind.county_targets} or None,
        "reported_by": ind.reported_by.value if ind.reported_by else None,
        "baseline": None if ind.baseline is None else {
            "date": ind.baseline.date.isoformat(), "source": ind.baseline.source, "value": num(ind.baseline.value)},
        "relative": None if ind.relative is None else {"kind": ind.relative.kind.value,
                                                        "amount": num(ind.relative.amount)},
        "lead": ind.lead or None, "partners": list(ind.partners),
        "done_when": ind.done_when or None, "done_when_en": ind.done_when_en or None,
    }


def indicator_doc(ind: Indicator) -> dict:
    return {
        "id": ind.id, "name": ind.name, "name_en": ind.name_en, "sections": list(ind.sections),
        "actions": list(ind.actions), "measure": ind.measure.value, "unit": ind.unit,
        "target": num(ind.target), "comparator": ind.comparator.value, "source": ind.source,
        "also_stated": list(ind.also_stated), **plan_fields(ind),
    }


def plan_doc(doc: PlanDoc) -> dict:
    plan = doc.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": plan_info(plan),
        "thresholds": {"lagging_pp": plan.thresholds.lagging_pp, "outlier_times": plan.thresholds.outlier_times,
                       "county_outlier_times": plan.thresholds.county_outlier_times,
                       "stale_days": plan.thresholds.stale_days},
        "sections": [
            {"id": s.id, "kind": s.kind.value, "number": s.number, "name": s.name, "name_en": s.name_en,
             "indicators": [i.id for i in plan.in_section(s.id)]}
            for s in plan.sections
        ],
        "indicators": [indicator_doc(i) for i in plan.indicators],
        "not_tracked": [{"source": n.source, "reason": n.reason, "reason_en": n.reason_en or None}
                        for n in plan.not_tracked],
    }


def note_doc(n: Note) -> dict:
    return {"code": n.code, **{k: (list(v) if isinstance(v, tuple) else v) for k, v in n.params.items()}}


def county_doc(f: CountyFigure) -> dict:
    office, _, id_ = f.entry.rpartition("#")
    return {"county": f.county, "value": num(f.value), "numerator": num(f.numerator),
            "denominator": num(f.denominator), "state": f.state.value if f.state else None,
            "as_of": f.as_of.isoformat(), "entry": int(id_), "office": office}


def reporting_doc(p: Progress) -> dict | None:
    r = p.reporting
    if r is None:
        return None
    return {"by": r.by.value if r.by else None, "from": r.start.isoformat(),
            "owed": [u or "city" for u in r.owed], "missing": [u or "city" for u in r.missing]}


def progress_doc(p: Progress) -> dict:
    ind = p.indicator
    return {
        "id": ind.id, "name": ind.name, "name_en": ind.name_en, "sections": list(ind.sections),
        "actions": list(ind.actions), "measure": ind.measure.value, "unit": ind.unit,
        "target": num(p.target), "comparator": ind.comparator.value,
        "actual": num(p.actual), "completion": num(p.completion), "status": p.status.value,
        "met": p.met, "state": p.state.value if p.state else None, "expected": num(p.expected),
        "gap_pp": num(p.gap_pp, 4), "remaining": num(p.remaining), "monthly_needed": num(p.monthly_needed, 4),
        "headroom": num(p.headroom), "over": num(p.over), "used": num(p.used), "lag_pp": num(p.lag_pp, 4),
        "qualifying_counties": list(p.qualifying) if p.qualifying is not None else None,
        "counties_reported": len(p.counties),
        "rollup": p.rollup, "figure_as_of": p.as_of_figure.isoformat() if p.as_of_figure else None,
        "pace": pace_doc(ind),
        "baseline": None if ind.baseline is None else {
            "value": num(p.baseline), "date": ind.baseline.date.isoformat(), "source": p.baseline_source,
            "entry": int(p.baseline_entry.rpartition("#")[2]) if p.baseline_entry else None},
        "relative": None if ind.relative is None else {"kind": ind.relative.kind.value,
                                                        "amount": num(ind.relative.amount)},
        "county_target": num(ind.county_target(p.scope)) if p.scope else None,
        "share_of_city": num(p.share_of_city),
        "lead": ind.lead or None,
        "reporting": reporting_doc(p),
        "notes": [note_doc(n) for n in p.notes],
        "counties": [county_doc(f) for f in p.counties],
    }


def status_doc(report: StatusReport) -> dict:
    summary = report.summary
    doc = {
        "schema_version": SCHEMA_VERSION,
        "plan": {"id": report.plan.plan.id, "title": report.plan.plan.title},
        "as_of": report.as_of.isoformat(),
        "time_progress": num(report.time_progress),
        "months_left": num(report.months_left, 4),
        "county": report.county,
        "section": report.section,
        "lead": report.lead,
        "summary": summary | {"total": sum(summary.values())},
        "not_reported": silent_doc(report.silent),
        "indicators": [progress_doc(p) for p in report.rows],
    }
    if report.by_county is not None:
        doc["by_county"] = {i: {c: progress_doc(p) | {"counties": None} for c, p in cells.items()}
                            for i, cells in report.by_county.items()}
    return doc


def silent_doc(silent) -> list[dict]:
    """Units that owed figures this month and sent none: ``unit`` is ``city`` or the county's name."""
    return [{"unit": s.county or "city", "county": s.county, "owed": s.owed, "indicators": list(s.indicators)}
            for s in silent]


def entry_doc(e: Entry, later: Entry | None = None) -> dict:
    return {
        "id": e.id, "office": e.office, "indicator": e.indicator, "value": num(e.value), "added": num(e.added),
        "numerator": num(e.numerator), "denominator": num(e.denominator), "state": e.state.value if e.state else None,
        "as_of": e.as_of.isoformat(), "county": e.county, "recorded_at": iso(e.recorded_at),
        "by": e.by, "note": e.note, "source": e.source, "supersedes": e.supersedes, "void": e.void,
        "reason": e.reason, "batch": e.batch, "batch_size": e.batch_size, "accepted": list(e.accepted),
        "superseded_by": later.id if later else None,
    }


def remark_doc(r: Remark) -> dict:
    doc = entry_doc(r.entry, r.superseded_by)
    doc["kind"] = r.kind
    return doc


_number_json = json.JSONEncoder(separators=(",", ":")).encode
_float_text = float.__repr__  # json's own text of a finite float


def _json_number(v: float | int | None) -> str:
    if v is None:
        return "null"
    if type(v) is int:
        return str(v)
    v = num(v)  # an int when whole
    if type(v) is int:
        return str(v)
    return _float_text(v) if v - v == 0 else _number_json(v)  # (not finite: json's own word for it)


_names: dict[str, str] = {}  # offices, indicators, counties, states, people: a few hundred at most
_days: dict[dt.date, str] = {}


def _name(v: str) -> str:
    out = _names.get(v)
    if out is None:
        out = _string(v)
        if len(_names) < 4096:
            _names[v] = out
    return out


def _day(v: dt.date) -> str:
    out = _days.get(v)
    if out is None:
        out = v.isoformat()
        if len(_days) < 4096:
            _days[v] = out
    return out


# the fields of a plain figure (no amount added, no ratio, no state) and of an entry that is
# neither a correction, a void, imported, overridden nor superseded, written once: most entries
_NO_PARTS = '"added":null,"numerator":null,"denominator":null,"state":null'
_PLAIN_END = ('"supersedes":null,"void":false,"reason":null,"batch":null,"batch_size":null,"accepted":[],'
              '"superseded_by":null,"kind":"record"}')


def remark_json(r: Remark) -> str:
    """``remark_doc(r)`` as compact JSON, written directly: a whole history or a month of
    entries is tens of thousands of these, and a dict each then json's encoder took twice the
    time (tests/test_json_stream.py shows the text is json.dumps's, whatever the entry holds).
    The common cases are written in line (a missing field, a name or a day seen before, the
    fields most entries leave empty): a call each was a quarter of the time."""
    e, later = r.entry, r.superseded_by
    name, number = _names.get, _json_number
    v = e.county
    county = "null" if v is None else name(v) or _name(v)
    v = e.value
    value = "null" if v is None else str(v) if type(v) is int else number(v)
    if e.added is None and e.numerator is None and e.denominator is None and e.state is None:
        parts = _NO_PARTS
    else:
        v = e.state
        state = "null" if v is None else name(v.value) or _name(v.value)
        parts = (f'"added":{number(e.added)},"numerator":{number(e.numerator)},'
                 f'"denominator":{number(e.denominator)},"state":{state}')
    v = e.note
    note = "null" if v is None else _string(v)
    v = e.source
    source = "null" if v is None else name(v) or _name(v)  # a source is mostly one of a few (a return, a sheet)
    if (e.supersedes is None and later is None and not e.void and e.reason is None and e.batch is None
            and e.batch_size is None and not e.accepted):
        end = _PLAIN_END
    else:
        v = e.reason
        reason = "null" if v is None else _string(v)
        v = e.batch
        batch = "null" if v is None else name(v) or _name(v)  # the entries of a batch, together
        accepted = ",".join(map(_string, e.accepted)) if e.accepted else ""
        end = (f'"supersedes":{"null" if e.supersedes is None else e.supersedes},'
               f'"void":{"true" if e.void else "false"},"reason":{reason},"batch":{batch},'
               f'"batch_size":{"null" if e.batch_size is None else e.batch_size},"accepted":[{accepted}],'
               f'"superseded_by":{"null" if later is None else later.id},"kind":"{r.kind}"}}')
    return (f'{{"id":{e.id},"office":{name(e.office) or _name(e.office)},'
            f'"indicator":{name(e.indicator) or _name(e.indicator)},"value":{value},{parts},'
            f'"as_of":"{_days.get(e.as_of) or _day(e.as_of)}","county":{county},'
            f'"recorded_at":"{iso(e.recorded_at)}","by":{name(e.by) or _name(e.by)},"note":{note},'
            f'"source":{source},{end}')


def show_doc(doc: ShowDoc) -> dict:
    return {"schema_version": SCHEMA_VERSION, "as_of": doc.as_of.isoformat(), "time_progress": num(doc.time_progress),
            "indicator": progress_doc(doc.row) | {"source": doc.row.indicator.source},
            "history": [remark_doc(r) for r in doc.history]}


# --------------------------------------------------------------------------- the bulletin


def row_doc(row: Row) -> dict:
    d = progress_doc(row.now)
    d.pop("counties")
    q = row.previous
    d["previous"] = None if q is None else {
        "actual": num(q.actual), "completion": num(q.completion), "status": q.status.value,
        "state": q.state.value if q.state else None,
        "figure_as_of": q.as_of_figure.isoformat() if q.as_of_figure else None,
    }
    d["delta"] = {"actual": num(row.delta_actual), "completion": num(row.delta_completion)}
    d["newly_done"] = row.newly_done
    return d


def county_cell_doc(p: Progress) -> dict:
    """One county's standing on one indicator at the month end."""
    return {"actual": num(p.actual), "target": num(p.target), "completion": num(p.completion),
            "status": p.status.value, "state": p.state.value if p.state else None, "share_of_city": num(p.share_of_city),
            "figure_as_of": p.as_of_figure.isoformat() if p.as_of_figure else None,
            "notes": [note_doc(n) for n in p.notes]}


def _brief(row: Row) -> dict:
    p = row.now
    return {"id": p.indicator.id, "name": p.indicator.name, "name_en": p.indicator.name_en,
            "measure": p.indicator.measure.value, "unit": p.indicator.unit,
            "figure_as_of": p.as_of_figure.isoformat() if p.as_of_figure else None}


def bulletin_doc(b: Bulletin, *, entries: bool = True) -> dict:
    """The bulletin as JSON data (``entries=False``: the month's entries left as a hole for
    :func:`bulletin` to stream)."""
    from .bulletin_text import check_command

    summary = b.summary
    prev = b.previous_summary
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "monthly-bulletin",
        "plan": {"id": b.plan.plan.id, "title": b.plan.plan.title, "title_en": b.plan.plan.title_en},
        "month": b.label,
        "from": b.start.isoformat(),
        "as_of": b.as_of.isoformat(),
        "previous_as_of": b.previous_as_of.isoformat() if b.previous_as_of else None,
        "headline": {
            "time_progress": num(b.current.time_progress),
            "previous_time_progress": num(b.previous.time_progress) if b.previous else None,
            "months_left": num(b.months_left, 4),
            "summary": summary | {"total": sum(summary.values())},
            "previous_summary": (prev | {"total": sum(prev.values())}) if prev else None,
            "change": {k: summary[k] - prev[k] for k in summary} if prev else None,
        },
        "sections": [
            {"id": blk.section.id, "kind": blk.section.kind.value, "number": blk.section.number,
             "name": blk.section.name, "name_en": blk.section.name_en,
             "summary": blk.summary, "indicators": [r.indicator.id for r in blk.rows]}
            for blk in b.sections
        ],
        "indicators": [row_doc(r) for r in b.rows],
        "attention": [
            {"rank": n, "id": r.indicator.id, "name": r.indicator.name, "name_en": r.indicator.name_en,
             "status": r.now.status.value, "measure": r.indicator.measure.value, "unit": r.indicator.unit,
             "actual": num(r.now.actual), "target": num(r.now.target), "completion": num(r.now.completion),
             "expected": num(r.now.expected), "pace": pace_doc(r.indicator), "lag_pp": num(r.now.lag_pp, 4),
             "gap_pp": num(r.now.gap_pp, 4),
             "remaining": num(r.now.remaining), "monthly_needed": num(r.now.monthly_needed, 4),
             "headroom": num(r.now.headroom), "over": num(r.now.over),
             "state": r.now.state.value if r.now.state else None}
            for n, r in enumerate(b.attention, start=1)
        ],
        "recorded": {
            "basis": "as_of",
            "from": b.start.isoformat(), "to": b.as_of.isoformat(),
            "count": len(b.recorded),
            "figures": len(b.figures),  # received and counting: not withdrawn, not voids
            "corrections": b.tally["correction"],
            "voids": b.tally["void"],
            "withdrawn": b.tally["withdrawn"],
            "by_county": {c or "": n for c, n in b.received_by_county.items()},
            "entries": [remark_doc(r) for r in b.recorded] if entries else HOLE,
        },
        "by_county": {i: {c: county_cell_doc(p) for c, p in cells.items()} for i, cells in b.by_county.items()},
        "silent_counties": {
            "reported_per_county": list(b.reported_per_county),
            "reported_by_city": list(b.reported_by_city),
            "counties": [{"county": s.county, "indicators": list(s.indicators), "owed": s.owed}
                         for s in b.silent if s.county is not None],
            "city": next(({"indicators": list(s.indicators), "owed": s.owed} for s in b.silent if s.county is None),
                         None),
        },
        "offices": [{"office": o.office, "units": [u or "city" for u in o.units], "received": o.received,
                     "owed": len(o.owed), "missing": [{"indicator": i, "unit": u or "city"} for i, u in o.missing]}
                    for o in b.offices],
        "leads": [{"lead": blk.lead, "summary": blk.summary, "indicators": [r.indicator.id for r in blk.rows],
                   "attention": [r.indicator.id for r in blk.attention]} for blk in b.leads],
        "milestones_done": [_brief(r) for r in b.milestones_done],
        "targets_met": [_brief(r) for r in b.targets_met],
        "data_quality": {
            "as_of": b.quality.as_of.isoformat(), "entries_checked": b.quality.checked,
            "summary": dict(b.quality.summary) | {"total": b.quality.total},
            "findings": [finding_doc(f) for f in b.quality.listed],  # the first about figures, as the bulletin lists
            "unlisted": b.quality.unlisted,
            "command": check_command(b, "--format", "json"),  # lists every finding
        },
    }


# --------------------------------------------------------------------------- data quality


def finding_doc(f) -> dict:
    """One finding for scripts: the rule, what and whom it is about, plain details (no words)."""
    from ..core.rules import RULES

    return {"rule": f.rule, "severity": f.severity, "indicator": f.indicator, "county": f.county,
            "entries": [{"office": e.office, "id": e.id} for e in f.entries],
            "as_of": f.as_of.isoformat() if f.as_of else None, "by": f.by,
            "details": {k: (list(v) if isinstance(v, tuple) else v) for k, v in f.params.items()},
            "door": RULES[f.rule].door}


def quality_doc(doc: QualityReport) -> dict:
    summary = doc.summary
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "data-quality",
        "plan": {"id": doc.plan.plan.id, "version": doc.plan.plan.version},
        "as_of": doc.as_of.isoformat(),
        "county": doc.county if doc.scoped else None,
        "scoped": doc.scoped,
        "rules": list(doc.rules),
        "entries_checked": doc.entries,
        "thresholds": {"outlier_times": doc.plan.thresholds.outlier_times,
                       "county_outlier_times": doc.plan.thresholds.county_outlier_times,
                       "stale_days": doc.plan.thresholds.stale_days},
        "summary": summary | {"total": sum(summary.values())},
        "findings": [finding_doc(f) for f in doc.findings],
    }


# --------------------------------------------------------------------------- entry points (render dispatch)


def plan(doc: PlanDoc, lang: str, opts) -> str:
    return to_json(plan_doc(doc), pretty=opts.pretty)


def status(doc: StatusReport, lang: str, opts) -> str:
    return to_json(status_doc(doc), pretty=opts.pretty)


def show(doc: ShowDoc, lang: str, opts) -> str:
    return to_json(show_doc(doc), pretty=opts.pretty)


def log(doc: LogDoc, lang: str, opts) -> Iterator[str]:
    if opts.pretty:
        return json_array((remark_doc(r) for r in doc.rows), pretty=True)
    return json_texts(remark_json(r) for r in doc.rows)


def bulletin(doc: Bulletin, lang: str, opts) -> str | Iterator[str]:
    if opts.pretty:  # on a terminal: indented, whole
        return to_json(bulletin_doc(doc), pretty=True)
    return json_with_array(bulletin_doc(doc, entries=False), texts=(remark_json(r) for r in doc.recorded))


def coverage_doc(doc) -> dict:
    committing, uncovered = doc.committing, doc.uncovered
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": {"id": doc.plan.plan.id, "title": doc.plan.plan.title},
        "source": doc.source,
        "summary": {"sentences": len(doc.sentences), "committing": len(committing),
                    "covered": len(committing) - len(uncovered), "uncovered": len(uncovered)},
        "sentences": [{"number": s.number, "text": s.text, "clauses": [
            {"text": c.text, "commits": list(c.words),
             "covered_by": [{"kind": x.kind, "ref": int(x.ref) if x.kind == "not_tracked" else x.ref,
                             "phrase": x.phrase} for x in c.covered_by]}
            for c in s.clauses]} for s in doc.sentences],
    }


def coverage(doc, lang: str, opts) -> str:
    return to_json(coverage_doc(doc), pretty=opts.pretty)


def quality(doc: QualityReport, lang: str, opts) -> str:
    return to_json(quality_doc(doc), pretty=opts.pretty)


def index(doc, lang: str, opts) -> str:
    return to_json({"schema_version": SCHEMA_VERSION, "ledger": str(doc.ledger),
                    "index": str(doc.path) if doc.path is not None else None, "entries": doc.entries,
                    "files": doc.files, "rebuilt": doc.rebuilt}, pretty=opts.pretty)
