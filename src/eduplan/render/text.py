"""Plain lines for people: what ``record``, ``import``, ``template``, ``report -o``,
``validate`` and ``repair`` did, in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.entries import is_baseline
from ..core.numbers import format_number
from ..i18n import N_, Flag, bracketed, msg, nmsg, show
from . import safe
from .figures import stored_value
from .words import name_of, unit_name

if TYPE_CHECKING:  # documents are built by the services; renderers only read them
    from ..core.documents import IndexDoc, ValidateDoc
    from ..core.receipts import ImportSummary, RepairDoc, Stored, Written


def _entry_line(e, plan, lang: str, with_id: bool = True) -> str:
    ind = plan.by_id[e.indicator]
    if e.void:  # a void has no figure of its own: it names what it withdraws
        line = msg("{indicator} {name} ({unit}, as of {day})", indicator=ind.id, name=name_of(ind, lang),
                   unit=unit_name(e.county, lang), day=e.as_of).render(lang)
    else:
        line = msg("{indicator} {name} = {value} ({unit}, as of {day})", indicator=ind.id, name=name_of(ind, lang),
                   value=stored_value(e, ind.unit, lang), unit=unit_name(e.county, lang), day=e.as_of).render(lang)
    return f"{e.office}#{e.id} {line}" if with_id else line


def _taken(t, plan, lang: str) -> str:
    """A name typed in a short form or with a slip, and what it was taken as: an indicator as
    messages call it (for a Chinese reader its name: “新增 托位”按 新增托位 处理, not its id)."""
    ind = plan.by_id.get(t.taken) if t.field == "indicator" else None
    taken = ind.called if ind is not None else t.taken
    return msg("('{typed}' was taken as {taken})", typed=t.typed, taken=taken).render(lang)


def stored(doc: Stored, lang: str, opts) -> str:
    e = doc.entry
    line = _entry_line(e, doc.plan, lang)
    target = e.target_ref
    if e.void:
        head = msg("recorded a void: {entry}, voids {target}", entry=line, target=target)
    elif e.supersedes is not None:
        head = msg("recorded a correction: {entry}, corrects {target}", entry=line, target=target)
    elif is_baseline(e, doc.plan):
        head = msg("recorded the baseline {entry}", entry=line)
    else:
        head = msg("recorded {entry}", entry=line)
    lines = [head.render(lang)]
    if doc.total is not None:
        unit = doc.plan.by_id[e.indicator].unit
        lines.append(msg("(the total is now {total})", total=format_number(doc.total, unit)).render(lang))
    for t in doc.taken:
        lines.append(_taken(t, doc.plan, lang))
    if doc.moved_from is not None:
        unit = unit_name(e.county, lang)
        if doc.moved_from < e.as_of:
            said = msg("the date moves from {old} to {new}: from {old} until {new} {unit} counts its figure before "
                       "the corrected one, or none", old=doc.moved_from, new=e.as_of, unit=unit)
        else:
            said = msg("the date moves from {old} to {new}: the figure counts from {new}", old=doc.moved_from,
                       new=e.as_of)
        lines.append(bracketed(said.render(lang), lang).strip())
    if doc.month_before is not None:
        said = msg("dated today, {day}, as no {as_of} was given: if it is the figure as of {end}, void it and record "
                   "it again with {as_of} {end}", day=e.as_of, end=doc.month_before, as_of=Flag("as_of"))
        lines.append(bracketed(said.render(lang), lang).strip())
    if doc.still_replaced is not None:
        said = msg("{old}, which {target} corrected, stays replaced: a void does not bring it back",
                   old=doc.still_replaced.ref, target=target)
        lines.append(bracketed(said.render(lang), lang).strip())
    if doc.stands_on is not None:
        now, unit = doc.standing, unit_name(e.county, lang)
        said = (msg("{unit} has no figure as of {day} now; to give one, record it", unit=unit, day=doc.stands_on)
                if now is None else
                msg("{unit} as of {day} is now {value} ({ref})", unit=unit, day=doc.stands_on,
                    value=stored_value(now, doc.plan.by_id[e.indicator].unit, lang), ref=now.ref))
        lines.append(bracketed(said.render(lang), lang).strip())
    lines.extend(bracketed(a.render(lang), lang).strip() for a in doc.advice)
    if doc.overridden:
        from ..core.rules import named

        lines.append(msg("accepted over a warning: {rules} (by {by}); `eduplan check` lists it",
                         rules=[named(r) for r in doc.overridden], by=e.by).render(lang))
    return safe.terminal("\n".join(lines)) + "\n"


def imported(doc: ImportSummary, lang: str, opts) -> str:
    from ..core.rules import rule_tag

    out = []
    skipped = (nmsg("; {n} row with an empty value skipped", "; {n} rows with an empty value skipped", doc.skipped)
               .render(lang) if doc.skipped else "")
    if doc.repeated:
        skipped += nmsg("; {n} row already in the ledger for its date skipped",
                        "; {n} rows already in the ledger for their date skipped", doc.repeated).render(lang)
    if not doc.rows:
        return safe.terminal(msg("{file}: no figures to import{skipped}; nothing was recorded", file=doc.file,
                                 skipped=skipped).render(lang)) + "\n"
    same = (nmsg("; {n} of them unchanged since the last figure", "; {n} of them unchanged since the last figures",
                 doc.unchanged).render(lang) if doc.unchanged else "")
    skipped = same + skipped  # "of them": the rows recorded, said right after them
    if doc.dry_run:
        for r in doc.rows:
            out.append(msg("row {row}: {entry}", row=r.row, entry=_entry_line(r.entry, doc.plan, lang, False)).render(lang))
        out.extend(_taken_lines(doc, lang))
        if doc.already:
            out.append(nmsg("{file} was imported before ({n} entry); it would be imported again as asked",
                            "{file} was imported before ({n} entries); it would be imported again as asked",
                            len(doc.already), file=doc.file).render(lang))
        accepted = [r for r in doc.rows if r.entry.accepted]
        if accepted:
            out.append(nmsg("{n} row would be accepted over a warning: {rows}",
                            "{n} rows would be accepted over a warning: {rows}", len(accepted),
                            rows=[msg("row {row} ({rules})", row=r.row, rules=[rule_tag(x) for x in r.entry.accepted])
                                  for r in accepted[:20]]
                            + (["…"] if len(accepted) > 20 else [])).render(lang))
        out.extend(bracketed(a.render(lang), lang).strip() for a in doc.advice)
        out.append(nmsg("would record {n} entry from {file}{skipped}; nothing was written (dry run)",
                        "would record {n} entries from {file}{skipped}; nothing was written (dry run)",
                        len(doc.rows), file=doc.file, skipped=skipped).render(lang))
        return safe.terminal("\n".join(out)) + "\n"
    ids = [e.id for e in doc.written]
    span = f"#{ids[0]}" if len(ids) == 1 else f"#{ids[0]}–#{ids[-1]}"
    if doc.already:
        out.append(nmsg("{file} was imported before ({n} entry); imported again as asked",
                        "{file} was imported before ({n} entries); imported again as asked",
                        len(doc.already), file=doc.file).render(lang))
    out.append(nmsg("imported {n} entry ({span}) from {file}, batch {batch}{skipped}",
                    "imported {n} entries ({span}) from {file}, batch {batch}{skipped}",
                    len(ids), span=span, file=doc.file, batch=doc.batch[:12], skipped=skipped).render(lang))
    out.extend(_taken_lines(doc, lang))
    out.extend(bracketed(a.render(lang), lang).strip() for a in doc.advice)
    accepted = [e for e in doc.written if e.accepted]
    if accepted:
        out.append(nmsg("{n} entry accepted over a warning (by {by}): {entries}; `eduplan check` lists them",
                        "{n} entries accepted over a warning (by {by}): {entries}; `eduplan check` lists them",
                        len(accepted), by=accepted[0].by,
                        entries=[f"#{e.id}{bracketed(show([rule_tag(x) for x in e.accepted], lang), lang)}"
                                 for e in accepted[:20]]
                        + (["…"] if len(accepted) > 20 else [])).render(lang))
    return safe.terminal("\n".join(out)) + "\n"


def _taken_lines(doc: ImportSummary, lang: str) -> list[str]:
    return [_taken(t, doc.plan, lang) for t in doc.taken]


# a format as its reader calls the file (网页, 工作簿), not by its code (html, xlsx)
_FORMAT_WORDS = {"html": N_("web page"), "xlsx": N_("workbook"), "markdown": N_("Markdown text"),
                 "json": N_("JSON data"), "csv": N_("CSV table")}


def written(doc: Written, lang: str, opts) -> str:
    d = doc.detail
    shown = msg(_FORMAT_WORDS[doc.format]) if doc.format in _FORMAT_WORDS else doc.format
    if doc.kind == "template" and "count" not in d or doc.kind != "template" and "month" not in d:
        # a file a program saved (services.save) with no more said of it: its path and kind
        line = msg("wrote {path} ({format})", path=str(doc.path), format=shown)
    elif doc.kind == "template":
        if d.get("county"):
            line = nmsg("wrote {path}: {n} indicator for {county}, as of {day} (what only the city reports left out); "
                        "update the figures, then: eduplan import {path} --dry-run",
                        "wrote {path}: {n} indicators for {county}, as of {day} (what only the city reports left out); "
                        "update the figures, then: eduplan import {path} --dry-run", d["count"], path=str(doc.path),
                        county=d["county"], day=d.get("as_of", ""))
        else:
            line = nmsg("wrote {path}: {n} indicator, as of {day}; update the figures, then: eduplan import {path} "
                        "--dry-run", "wrote {path}: {n} indicators, as of {day}; update the figures, then: eduplan "
                        "import {path} --dry-run", d["count"], path=str(doc.path), day=d.get("as_of", ""))
    else:
        line = msg("wrote {path} ({format}, {month}, as of {day})", path=str(doc.path), format=shown,
                   month=d.get("month", ""), day=d.get("as_of", ""))
    return safe.terminal(line.render(lang)) + "\n"


def validated(doc: ValidateDoc, lang: str, opts) -> str:
    """The one line of a ledger that validates (problems go to stderr, from the error)."""
    plan = doc.plan
    ledger = (nmsg("{n} entry in {path}", "{n} entries in {path}", doc.entries, path=str(doc.ledger_path))
              if doc.ledger_exists else msg("no ledger yet at {path}", path=str(doc.ledger_path)))
    line = msg("ok: plan {path} ({indicators}, {sections}); {ledger}", path=str(doc.plan_path),
               indicators=nmsg("{n} indicator", "{n} indicators", len(plan.indicators)),
               sections=nmsg("{n} section", "{n} sections", len(plan.sections)), ledger=ledger).render(lang)
    if doc.other_versions:
        line += "\n" + msg("the ledger was written under revision {versions} of the plan, which is now revision {version}: "
                           "its figures are read against the plan as it is now", versions=list(doc.other_versions),
                           version=plan.plan.version).render(lang)
    if doc.units_word:
        line += "\n" + msg("hint: every unit of the plan is a {word}, and the tool calls them 县（市、区）; to call them "
                           "as the text does, give the plan [terms] with units = \"{word}\" (README: the plan file)",
                           word=doc.units_word).render(lang)
    if doc.levels_at_once:
        line += "\n" + msg("hint: {indicators} rise to a target and have no pace, so each is judged against its target "
                           "at once (behind until it is met); where the target is for a date (the period's end, an "
                           "autumn count), give it pace = {{ kind = \"once\", date = … }} (README: the plan file)",
                           indicators=list(doc.levels_at_once)).render(lang)
    if doc.lost or doc.changed:
        line += "\n" + msg("since this computer last read the ledger, entries are gone: {lost}; entries were changed: "
                           "{changed}. Figures are corrected by new entries, never edited: if this was not meant (a "
                           "merge that kept one side), restore them from version control (git log -p)",
                           lost=list(doc.lost) or "—", changed=list(doc.changed) or "—").render(lang)
    if doc.index_removed:
        line += "\n" + msg("this computer's index of the ledger was damaged (SQLite's whole check): it was removed, and "
                           "the next command builds it again from the files").render(lang)
    if doc.questionable:
        line += "\n" + nmsg("{n} figure is questionable (a falling total, a duplicate, an outlier …): `eduplan check` "
                            "lists it", "{n} figures are questionable (falling totals, duplicates, outliers …): "
                            "`eduplan check` lists them", doc.questionable).render(lang)
    return safe.terminal(line) + "\n"


def index(doc: IndexDoc, lang: str, opts) -> str:
    if doc.path is None:
        line = nmsg("the index of {ledger} is built in memory for each command ({n} entry): set EDUPLAN_CACHE_DIR to "
                    "keep it", "the index of {ledger} is built in memory for each command ({n} entries): set "
                    "EDUPLAN_CACHE_DIR to keep it", doc.entries, ledger=str(doc.ledger))
        return safe.terminal(line.render(lang)) + "\n"
    line = nmsg("the index of {ledger} is up to date: {path} ({n} entry, {files} file); open it read-only, e.g. "
                "sqlite3 -readonly {path}", "the index of {ledger} is up to date: {path} ({n} entries, {files} files); "
                "open it read-only, e.g. sqlite3 -readonly {path}", doc.entries, ledger=str(doc.ledger),
                path=str(doc.path), files=doc.files)
    text = line.render(lang)
    if doc.rebuilt:
        text = msg("the index was damaged (SQLite's whole check found it): it was built again from the files").render(
            lang) + "\n" + text
    return safe.terminal(text) + "\n"


def repaired(doc: RepairDoc, lang: str, opts) -> str:
    if not doc.exists:
        line = msg("nothing to repair: there is no ledger at {path}", path=str(doc.path))
    elif doc.saved_to is None:
        line = nmsg("nothing to repair: {path} loads ({n} entry)", "nothing to repair: {path} loads ({n} entries)",
                    doc.kept, path=str(doc.path))
    else:
        line = nmsg("repaired {path}: removed the incomplete end ({bytes} bytes, saved to {saved}); {n} complete entry kept",
                    "repaired {path}: removed the incomplete end ({bytes} bytes, saved to {saved}); {n} complete entries "
                    "kept", doc.kept, path=str(doc.path), bytes=doc.removed_bytes, saved=str(doc.saved_to))
    return safe.terminal(line.render(lang)) + "\n"


def split(doc, lang: str, opts) -> str:
    lines = [nmsg("split {source} into {folder}: {n} office file, ids kept; {source} is left as it was",
                  "split {source} into {folder}: {n} office files, ids kept; {source} is left as it was", len(doc.files),
                  source=str(doc.source), folder=str(doc.folder)).render(lang)]
    for office, name, count in doc.files:
        lines.append("  " + nmsg("{file}: {office}, {n} entry", "{file}: {office}, {n} entries", count, file=name,
                                 office=office).render(lang))
    lines.append(msg("record into it with --ledger {folder} --office NAME (or EDUPLAN_LEDGER and EDUPLAN_OFFICE)",
                     folder=str(doc.folder)).render(lang))
    return safe.terminal("\n".join(lines)) + "\n"
