"""Reports as plain data: the JSON documents scripts rely on (documented in the README).

Every document carries ``schema_version``. Numbers are in base units; ratios
(``completion``, ``time_progress``) are fractions (0.52 = 52 %); percentages of
level indicators are numbers from 0 to 100. Absent values are ``null``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Entry, Plan
from ..progress import CountyFigure, Progress, StatusReport

SCHEMA_VERSION = 1


def _num(x: float | int | None, digits: int = 6) -> float | int | None:
    if x is None:
        return None
    if isinstance(x, int) or float(x).is_integer():
        return int(x)
    return round(float(x), digits)


def plan_info(plan: Plan) -> dict:
    p = plan.plan
    return {"id": p.id, "title": p.title, "title_en": p.title_en, "issuer": p.issuer, "year": p.year,
            "start": p.start.isoformat(), "end": p.end.isoformat(), "counties": list(p.counties)}


def indicator_doc(ind) -> dict:
    return {
        "id": ind.id, "name": ind.name, "name_en": ind.name_en, "sections": list(ind.sections),
        "actions": list(ind.actions), "measure": ind.measure.value, "unit": ind.unit,
        "target": _num(ind.target), "comparator": ind.comparator.value, "source": ind.source,
    }


def plan_doc(plan: Plan) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": plan_info(plan),
        "thresholds": {"lagging_pp": plan.thresholds.lagging_pp},
        "sections": [
            {"id": s.id, "kind": s.kind.value, "number": s.number, "name": s.name, "name_en": s.name_en,
             "indicators": [i.id for i in plan.in_section(s.id)]}
            for s in plan.sections
        ],
        "indicators": [indicator_doc(i) for i in plan.indicators],
        "not_tracked": [{"source": n.source, "reason": n.reason} for n in plan.not_tracked],
    }


def county_doc(f: CountyFigure) -> dict:
    return {"county": f.county, "value": _num(f.value), "numerator": _num(f.numerator),
            "denominator": _num(f.denominator), "state": f.state.value if f.state else None,
            "as_of": f.as_of.isoformat(), "entry": f.entry_id}


def progress_doc(p: Progress) -> dict:
    ind = p.indicator
    return {
        "id": ind.id, "name": ind.name, "name_en": ind.name_en, "sections": list(ind.sections),
        "actions": list(ind.actions), "measure": ind.measure.value, "unit": ind.unit,
        "target": _num(p.target), "comparator": ind.comparator.value,
        "actual": _num(p.actual), "completion": _num(p.completion), "status": p.status.value,
        "met": p.met, "state": p.state.value if p.state else None,
        "gap_pp": _num(p.gap_pp, 4), "remaining": _num(p.remaining), "monthly_needed": _num(p.monthly_needed, 4),
        "lag_pp": _num(p.lag_pp, 4),
        "qualifying_counties": list(p.qualifying) if p.qualifying is not None else None,
        "counties_reported": len(p.counties),
        "rollup": p.rollup, "figure_as_of": p.as_of_figure.isoformat() if p.as_of_figure else None,
        "note": p.note,
        "counties": [county_doc(f) for f in p.counties],
    }


def status_doc(report: StatusReport, by_county: dict[str, dict[str, Progress]] | None = None) -> dict:
    summary = report.summary
    doc = {
        "schema_version": SCHEMA_VERSION,
        "plan": {"id": report.plan.plan.id, "title": report.plan.plan.title},
        "as_of": report.as_of.isoformat(),
        "time_progress": _num(report.time_progress),
        "county": report.county,
        "summary": summary | {"total": sum(summary.values())},
        "indicators": [progress_doc(p) for p in report.rows],
    }
    if by_county is not None:
        doc["by_county"] = {i: {c: progress_doc(p) | {"counties": None} for c, p in cells.items()}
                            for i, cells in by_county.items()}
    return doc


def show_doc(report: StatusReport, history: Sequence[Entry], superseded_by: dict[int, Entry]) -> dict:
    """One indicator in full (``eduplan show --format json``)."""
    row = report.rows[0]
    return {"schema_version": SCHEMA_VERSION, "as_of": report.as_of.isoformat(),
            "time_progress": _num(report.time_progress),
            "indicator": progress_doc(row) | {"source": row.indicator.source},
            "history": entries_doc(history, superseded_by)}


def by_county_rows(plan: Plan, grid: dict[str, dict[str, Progress]]) -> tuple[list[str], list[dict]]:
    """Indicators × counties as flat rows of statuses (CSV, Markdown)."""
    columns = ["id", *plan.plan.counties]
    return columns, [{"id": i} | {c: cells[c].status.value for c in plan.plan.counties} for i, cells in grid.items()]


def entry_doc(e: Entry, superseded_by: dict[int, Entry] | None = None) -> dict:
    later = (superseded_by or {}).get(e.id)
    return {
        "id": e.id, "indicator": e.indicator, "value": _num(e.value), "numerator": _num(e.numerator),
        "denominator": _num(e.denominator), "state": e.state.value if e.state else None,
        "as_of": e.as_of.isoformat(), "county": e.county, "recorded_at": e.recorded_at.isoformat(),
        "by": e.by, "note": e.note, "source": e.source, "supersedes": e.supersedes, "void": e.void,
        "reason": e.reason, "superseded_by": later.id if later else None,
    }


def entries_doc(entries: Sequence[Entry], superseded_by: dict[int, Entry]) -> list[dict]:
    return [entry_doc(e, superseded_by) for e in entries]


# --------------------------------------------------------------------------- flat rows (CSV, Markdown)

STATUS_COLUMNS = ("section", "id", "name", "measure", "unit", "target", "comparator", "actual", "completion",
                  "status", "gap_pp", "remaining", "monthly_needed", "counties_reported", "figure_as_of", "note")
LOG_COLUMNS = ("id", "indicator", "county", "as_of", "value", "numerator", "denominator", "state", "supersedes",
               "void", "reason", "note", "source", "by", "recorded_at", "superseded_by")
PLAN_COLUMNS = ("id", "name", "name_en", "sections", "actions", "measure", "unit", "target", "comparator", "source")


def status_rows(report: StatusReport, lang: str = "zh") -> list[dict]:
    rows = []
    for p in report.rows:
        d = progress_doc(p)
        d["section"] = p.indicator.sections[0]
        if lang == "en":
            d["name"] = p.indicator.name_en or p.indicator.name
        rows.append({k: d[k] for k in STATUS_COLUMNS})
    return rows


def plan_rows(plan: Plan, lang: str = "zh") -> list[dict]:
    rows = []
    for ind in plan.indicators:
        d = indicator_doc(ind)
        d["sections"] = " ".join(d["sections"])
        d["actions"] = " ".join(d["actions"])
        rows.append({k: d[k] for k in PLAN_COLUMNS})
    return rows


def log_rows(entries: Sequence[Entry], superseded_by: dict[int, Entry]) -> list[dict]:
    return [{k: d[k] for k in LOG_COLUMNS} for d in entries_doc(entries, superseded_by)]
