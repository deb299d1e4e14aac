"""The cells of a fill-in template, in the reader's language: shared by the xlsx and the csv
template, so that both say the same thing (the contract is :mod:`eduplan.services.sheet_contract`)."""

from __future__ import annotations

from ..i18n import bracketed, msg, tr
from ..services.sheet_contract import BASELINE_WORD, TemplateDoc, TemplateRow
from .bulletin_text import day_text
from .figures import stored_value, target_text, typed_back
from .words import gettext, name_of, notes_text, state_label


def title(doc: TemplateDoc, lang: str) -> str:
    info = doc.plan.plan
    name = info.title if lang == "zh" else (info.title_en or info.title)
    text = msg("{plan}: figures to import", plan=name).render(lang)
    return f"{text} · {doc.county}" if doc.county else text


def top_block(doc: TemplateDoc, lang: str) -> list[tuple[str, object, str]]:
    """The cells above the table: (label, value, what it means). The date is one for the sheet."""
    _ = gettext(lang)
    rows: list[tuple[str, object, str]] = [
        (_("as-of date"), doc.as_of, msg("every figure on this sheet is as of this date ({day}); change it here if "
                                         "needed, or give a row its own date in a column named 截至日期",
                                         day=day_text(doc.as_of, lang)).render(lang) if doc.as_of else "")]
    if doc.county:
        rows.append((_("county-level unit"), doc.county, _("every figure on this sheet is this unit's")))
    return rows


def target_cell(row: TemplateRow, doc: TemplateDoc, lang: str) -> str:
    """The target the sheet's unit works to: the city's, or on a county's sheet its own (任务分解);
    where it has none, say so with the city's for reference."""
    ind = row.indicator
    if doc.county is None:
        return target_text(ind, lang=lang)
    if ind.measure.value == "counties":  # a county's row of a counties indicator is its state: 完成, if asked of it
        own = ind.county_target(doc.county)
        if own is None:
            return "—"
        return state_label("done", lang) if own == 1 else msg("not asked of this unit").render(lang)
    if row.target is None:
        if ind.target is None and ind.relative is None:
            return "—"
        # (a target stated against the baseline, 低于基数, is the city's too, as a number is)
        return msg("none (city {target})", target=target_text(ind, lang=lang)).render(lang)
    text = target_text(ind, row.target, lang=lang)
    if not row.notes:
        return text
    return msg("{target} ({note})", target=text, note=notes_text(row.notes, lang)).render(lang)


def last_cell(row: TemplateRow, lang: str) -> str:
    """The last figure to read, with its date: ``1015个（2023-05-31）``; where the unit has
    none in the period but a baseline, the baseline, named so: ``基数 12人（2022-12-31）``."""
    if row.last is None and row.baseline is not None:
        return (f"{tr(BASELINE_WORD, lang)} {stored_value(row.baseline, row.indicator.unit, lang)}"
                f"{bracketed(row.baseline.as_of.isoformat(), lang)}")
    if row.last is None:
        return "—"
    return f"{stored_value(row.last, row.indicator.unit, lang)}{bracketed(row.last.as_of.isoformat(), lang)}"


def cells(doc: TemplateDoc, row: TemplateRow, lang: str) -> list[object]:
    """One row of the table, column by column (the template's columns)."""
    ind = row.indicator
    out: list[object] = []
    for column in doc.columns:
        header = column.header
        if column.field == "indicator":
            out.append(ind.id)
        elif header == "indicator name":
            out.append(name_of(ind, lang))
        elif header == "unit":  # a county gives its state on a counties indicator, not a percentage
            out.append(msg("state").render(lang) if doc.county is not None and ind.measure.value == "counties"
                       else ind.unit)
        elif header in ("target", "county target"):
            out.append(target_cell(row, doc, lang))
        elif header == "last figure":
            out.append(last_cell(row, lang))
        elif column.field == "value":
            out.append(typed_back(row.last, ind, lang, units=len(doc.plan.plan.counties)))
        elif header == "how to fill it in":
            out.append(doc.hint(ind).render(lang))
        else:
            out.append("")
    return out
