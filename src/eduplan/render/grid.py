"""A fixed-width grid writer: the status table as rich would print it, without rich's layout engine.

Why it exists: start-up time. ``eduplan status`` prints about 70 rows in one rich ``Table`` per
section; rich measures, pads, wraps and crops every cell through ``Console.print``
(Table/Padding/Text.wrap/Segment.split_and_crop_lines), and importing ``rich.console``,
``rich.table`` and ``rich.text`` alone costs about 40 ms. The columns of the status table have
fixed widths decided beforehand, so nothing needs measuring: this module writes the same
characters directly and needs only ``rich.cells`` (and ``rich._wrap``). Measured on the bundled
plan with an empty ledger: the page took 86-95 ms to print through rich in a fresh process (35-41
ms once imported), 11-16 ms here (4-5 ms), the layout included; ``eduplan status`` went from
1.7-2.1x the import floor (``python -c "import typer, rich.console, rich.table, pydantic"``) to
1.15-1.33x (medians of 21 interleaved runs, on a shared 2-core machine whose load varied).

It produces the same output as rich for what the status table uses — byte for byte in a pipe, and
in colour (``color_system="standard"``) the same text with the same escape sequences, segment by
segment. The test ``tests/test_grid.py`` renders every page both ways and compares, so a rich
release that changes its layout shows up there. What it models, after rich's own code:

* :class:`Styled` — rich's ``Text``: a string, spans ``(start, end, style)`` in the order they were
  added, and a style for the whole (control codes that ``Text`` strips are stripped the same way);
* a printed line (``Console.print(text, width=…, crop=…)``): word-wrapped at the width, long words
  folded, tabs expanded to 8, lines cropped to the console's width;
* :class:`Grid` — ``Table(box=SIMPLE_HEAD, show_edge=False, pad_edge=False)`` whose columns all have
  a fixed width, ``overflow="fold"``, justified left or right, with a column style, the heading in
  bold over a ``─`` rule; a cell wraps in its column and the other cells of its row are padded
  below (the headings above); a table wider than the console shrinks as rich shrinks it.

Cell widths are measured with :func:`rich.cells.cell_len` (CJK characters take two cells) and
lines broken with rich's own small helpers (``rich.cells.chop_cells``, ``rich.cells.set_cell_size``)
and :func:`eduplan.render.linebreak.divide_line` (rich's ``divide_line`` with the Chinese rules for
punctuation at a line's ends, which rich's ``Text.wrap`` calls too once
:func:`eduplan.render.linebreak.install` has run), so the two ways agree on every character. Colours
(only on a terminal) are written as rich's ``Style.render`` writes them (see :class:`_Painter`).

Headings are taken as plain text (rich would read console markup such as ``[b]`` in a heading
given as a string; the status table's have none, in either language).

Renderers decide nothing about the data; this one decides nothing at all: the layout (which
columns, how wide, what each cell holds) is :func:`eduplan.render.table.status_page`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.cells import cell_len, set_cell_size

from .linebreak import divide_line

Span = tuple[int, int, str]
Seg = tuple[str, tuple[str, ...]]  # text and the styles that apply to it, outermost first

_STRIP = {7: None, 8: None, 11: None, 12: None, 13: None}  # what rich's Text drops (bell, backspace, VT, FF, CR)
_TRAILING_SPACE = re.compile(r"\s+$")
TAB_SIZE = 8
HEADER_STYLE = "table.header"  # rich's theme name for a table heading (bold)


def _strip(text: str) -> str:
    return text.translate(_STRIP) if not text.isprintable() else text


class Styled:
    """Text with styled spans, as rich's ``Text`` holds it: ``plain``, the ``spans``
    (start, end, style) in the order they were added, and ``style`` for the whole text."""

    __slots__ = ("plain", "style", "spans")

    def __init__(self, plain: str = "", style: str = "", spans: list[Span] | None = None):
        self.plain = _strip(plain)
        self.style = style
        self.spans = spans if spans is not None else []

    @classmethod
    def assemble(cls, *parts: str | Styled | tuple[str, str], style: str = "") -> Styled:
        """``Text.assemble``: strings, ``(string, style)`` pairs and styled texts one after another."""
        text = cls(style=style)
        for part in parts:
            if isinstance(part, (str, Styled)):
                text.append(part)
            else:
                text.append(*part)
        return text

    def append(self, text: str | Styled, style: str | None = None) -> Styled:
        if isinstance(text, Styled):
            if len(text.plain):
                at = len(self.plain)
                if text.style:
                    self.spans.append((at, at + len(text.plain), text.style))
                self.spans.extend((a + at, b + at, s) for a, b, s in text.spans)
                self.plain += text.plain
        elif text:
            clean = _strip(text)
            at = len(self.plain)
            if style:
                self.spans.append((at, at + len(clean), style))
            self.plain += clean
        return self

    def copy(self) -> Styled:
        return Styled(self.plain, self.style, list(self.spans))

    def __add__(self, other: str | Styled) -> Styled:
        return self.copy().append(other)

    def __str__(self) -> str:
        return self.plain

    def __len__(self) -> int:
        return len(self.plain)

    def __repr__(self) -> str:
        return f"Styled({self.plain!r}, {self.style!r}, {self.spans!r})"


class Column:
    """A column of fixed ``width`` cells (padding excluded), its heading, ``justify`` ("left" or
    "right") and a ``style`` for its cells (not its heading)."""

    __slots__ = ("header", "width", "justify", "style")

    def __init__(self, header: str, width: int, justify: str = "left", style: str | None = None):
        self.header, self.width, self.justify, self.style = header, width, justify, style


class Grid:
    """A table: its columns, its rows of :class:`Styled` cells, with the headings or without."""

    __slots__ = ("columns", "rows", "show_header")

    def __init__(self, columns: Sequence[Column], rows: Sequence[Sequence[Styled]] = (), show_header: bool = False):
        self.columns, self.rows, self.show_header = list(columns), list(rows), show_header


class Line:
    """A text printed on its own: wrapped at ``width`` (never wider than the page), cropped to
    the page's width unless ``crop`` is false."""

    __slots__ = ("text", "width", "crop")

    def __init__(self, text: Styled, width: int | None = None, crop: bool = True):
        self.text, self.width, self.crop = text, width, crop


BLANK = Line(Styled(""))  # an empty line, as ``Console.print()`` writes it


# --------------------------------------------------------------------------- text → lines


def _split_lines(plain: str, spans: list[Span]) -> list[tuple[str, list[Span]]]:
    """A text's lines (at ``\n``), each with the parts of the spans that fall on it."""
    if "\n" not in plain:
        return [(plain, list(spans))]
    lines, start = [], 0
    for line in plain.split("\n"):
        end = start + len(line)
        lines.append((line, _clip(spans, start, end) if spans else []))
        start = end + 1
    return lines


def _clip(spans: list[Span], start: int, end: int) -> list[Span]:
    """The spans over ``[start, end)``, counted from ``start`` (rich's ``Text.divide``)."""
    out = []
    for a, b, s in spans:
        lo, hi = max(0, a - start), min(b - start, end - start)
        if hi > lo:
            out.append((lo, hi, s))
    return out


def _trim(spans: list[Span], length: int) -> list[Span]:
    """Spans cut at a shorter text's end (rich's ``Text._trim_spans``)."""
    return [(a, b if b < length else min(length, b), s) for a, b, s in spans if a < length]


def _expand_tabs(plain: str, spans: list[Span], style: str) -> tuple[str, list[Span]]:
    """``Text.expand_tabs(8)`` of one line: each tab becomes spaces to the next multiple of 8 cells;
    the spans that reach a tab's end stretch over its spaces; the text's own style is laid over each
    piece between tabs (which splits its colour into one run per piece, as rich does)."""
    ends = [m.end() for m in re.finditer("\t", plain)]
    bounds = [0, *ends, len(plain)]
    pieces = list(zip(bounds, bounds[1:]))
    if plain.endswith("\t"):
        pieces.pop()
    out_plain, out_spans, position = [], [], 0
    for start, end in pieces:
        part, part_spans = plain[start:end], _clip(spans, start, end) if spans else []
        if part.endswith("\t"):
            part = part[:-1] + " "
            position += cell_len(part)
            remainder = position % TAB_SIZE
            if remainder:
                spaces = TAB_SIZE - remainder
                if part_spans:
                    part_spans = [(a, b + spaces if b >= len(part) else b, s) for a, b, s in part_spans]
                part += " " * spaces
                position += spaces
        else:
            position += cell_len(part)
        at = sum(len(p) for p in out_plain)
        if style:
            out_spans.append((at, at + len(part), style))
        out_spans.extend((a + at, b + at, s) for a, b, s in part_spans)
        out_plain.append(part)
    return "".join(out_plain), out_spans


def _wrap(text: Styled, width: int, justify: str) -> list[tuple[str, list[Span], str]]:
    """``Text.wrap(width, justify, overflow="fold")``: the text's lines, each broken at spaces to fit
    (a word longer than the width folded), then justified: "left" pads with spaces, "right" strips
    trailing spaces and pads on the left, "default" leaves the line as it is."""
    plain, spans, style = text.plain, text.spans, text.style
    lines = _split_lines(plain, spans)
    out = []
    for line, line_spans in lines:
        if "\t" in line:
            line, line_spans = _expand_tabs(line, line_spans, style)
        offsets = divide_line(line, width, fold=True)
        if offsets:
            bounds = [0, *offsets, len(line)]
            pieces = [(line[a:b], _clip(line_spans, a, b) if line_spans else []) for a, b in zip(bounds, bounds[1:])]
        else:
            pieces = [(line, line_spans)]
        for piece, piece_spans in pieces:
            if len(piece) > width:  # rstrip_end: whitespace beyond the width (counted in characters, as rich does)
                space = _TRAILING_SPACE.search(piece)
                if space is not None:
                    keep = len(piece) - min(len(space.group(0)), len(piece) - width)
                    piece, piece_spans = piece[:keep], _trim(piece_spans, keep)
            if justify == "left":
                length = cell_len(piece)
                if length > width:
                    piece, piece_spans = _set_size(piece, piece_spans, width)
                if length < width:
                    piece += " " * (width - length)
            elif justify == "right":
                stripped = piece.rstrip()
                if stripped != piece:
                    piece, piece_spans = stripped, _trim(piece_spans, len(stripped))
                if cell_len(piece) > width:
                    piece, piece_spans = _set_size(piece, piece_spans, width)
                shift = width - cell_len(piece)
                if shift:
                    piece = " " * shift + piece
                    piece_spans = [(a + shift, b + shift, s) for a, b, s in piece_spans]
            if cell_len(piece) > width:
                piece, piece_spans = _set_size(piece, piece_spans, width)
            out.append((piece, piece_spans, style))
    return out


def _set_size(piece: str, spans: list[Span], width: int) -> tuple[str, list[Span]]:
    """``Text.truncate``: cut to ``width`` cells (a wide character cut in half becomes a space)."""
    cut = set_cell_size(piece, width)
    if cut != piece and len(cut) < len(piece):
        spans = _trim(spans, len(cut))
    return cut, spans


def _segments(plain: str, spans: list[Span], style: str) -> list[Seg]:
    """One wrapped line as rich renders it: a run of text for each stretch between span ends,
    styled by the spans over it in the order they were added (the line's own style first)."""
    every = [(0, len(plain), style), *spans] if style else spans
    if not every:
        return [(plain, ())] if plain else []
    cuts = sorted({0, len(plain), *(a for a, _, _ in every), *(b for _, b, _ in every)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = plain[a:b]
        if piece:
            out.append((piece, tuple(s for x, y, s in every if x <= a and y >= b)))
    return out


def _fit(line: list[Seg], width: int, pad: tuple[str, ...] | None) -> list[Seg]:
    """``Segment.adjust_line_length``: pad a short line with spaces in ``pad``'s style (``None``:
    leave it short), crop a long one."""
    length = sum(cell_len(t) for t, _ in line)
    if length < width:
        return line + [(" " * (width - length), pad)] if pad is not None else line
    if length > width:
        out, used = [], 0
        for text, style in line:
            size = cell_len(text)
            if used + size < width:
                out.append((text, style))
                used += size
            else:
                out.append((set_cell_size(text, width - used), style))
                break
        return out
    return line


def _with(style: str | None, line: list[Seg]) -> list[Seg]:
    return [(t, (style, *s)) for t, s in line] if style else line


def _cell(text: Styled, width: int, left: int, right: int, justify: str, style: str | None,
          color: bool) -> list[list[Seg]]:
    """One cell's lines, ``left + width + right`` cells each: the text wrapped in its width and
    padded (rich's ``Padding`` around the cell, then the column's style over all of it)."""
    if width < 1:
        return []
    wrapped = _fitting(text, width, justify, color)
    if wrapped is None:
        wrapped = [_fit(_segments(plain, spans, own), width, ()) for plain, spans, own in _wrap(text, width, justify)]
    lines = []
    for line in wrapped:
        if left:
            line = [(" " * left, ()), *line]
        if right:
            line.append((" " * right, ()))
        lines.append(_with(style, line) if color else line)
    return lines


def _fitting(text: Styled, width: int, justify: str, color: bool) -> list[list[Seg]] | None:
    """The lines of a text each of whose lines fits in the width (most cells), justified; ``None``
    for any other text. Without a tab, a zero-width joiner or an emoji selector a line's width is
    the sum of its characters' and rich breaks a line that fits nowhere: what is left is padding.
    Without colour a line is one run of text."""
    plain, spans = text.plain, text.spans
    if "\t" in plain or "\u200d" in plain or "\ufe0f" in plain:
        return None
    lines = _split_lines(plain, spans)
    out = []
    for line, line_spans in lines:
        if len(line) > width or (size := cell_len(line)) > width:
            return None
        if justify == "right":
            stripped = line.rstrip()
            if stripped != line:
                size, line_spans = cell_len(stripped), _trim(line_spans, len(stripped))
            shift = width - size
            line = " " * shift + stripped
            if line_spans and shift:
                line_spans = [(a + shift, b + shift, s) for a, b, s in line_spans]
        elif size < width:
            line += " " * (width - size)
        out.append(_segments(line, line_spans, text.style) if color else [(line, ())])
    return out


def _widths(columns: Sequence[Column], page_width: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Each column's width with its padding, as rich's ``Table`` sets it (a table wider than the page
    loses cells from every column evenly), and each column's padding (left, right)."""
    n = len(columns)
    pads = [(0 if k == 0 else 1, 0 if k == n - 1 else 1) for k in range(n)]
    room = page_width - (n - 1)  # the rules between the columns
    if room < 1:
        widths = [1] * n
    else:
        widths = [min(c.width + sum(p), room) or 1 for c, p in zip(columns, pads)]
    if sum(widths) > room:
        widths = _reduce(sum(widths) - room, widths)
        widths = [0 if w < 1 else min(c.width + sum(p), w) for w, c, p in zip(widths, columns, pads)]
    return widths, pads


def _reduce(total: int, values: list[int]) -> list[int]:
    """``rich._ratio.ratio_reduce(total, [1] * n, values, values)``."""
    ratios = [1 if v else 0 for v in values]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    out = []
    for ratio, value in zip(ratios, values):
        if ratio and total_ratio > 0:
            cut = min(value, round(ratio * total / total_ratio))
            out.append(value - cut)
            total -= cut
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _grid(grid: Grid, page_width: int, color: bool) -> list[list[Seg]]:
    """The table's lines; every line is as wide as the table (cropped to the page if wider)."""
    widths, pads = _widths(grid.columns, page_width)
    rows: list[tuple[bool, Sequence[Styled]]] = []
    if grid.show_header:
        rows.append((True, [Styled(c.header) for c in grid.columns]))
    rows.extend((False, r) for r in grid.rows)
    layout = [(col.justify, col.style, width, left, right) for col, width, (left, right) in zip(grid.columns, widths, pads)]
    out: list[list[Seg]] = []
    for header, cells in rows:
        rendered = []
        for text, (justify, style, width, left, right) in zip(cells, layout):
            if header:
                style = HEADER_STYLE
            rendered.append((_cell(text, width - left - right, left, right, justify, style, color), width, style))
        height = max(len(lines) for lines, _, _ in rendered)
        if all(len(lines) == 1 for lines, _, _ in rendered):  # most rows: one line
            line: list[Seg] = []
            for n, (lines, _, _) in enumerate(rendered):
                if n:
                    line.append((" ", ()))  # the rule between two columns
                line.extend(lines[0])
            out.append(line)
        else:
            shaped = []
            for lines, width, style in rendered:
                blank = [(" " * width, (style,) if style else ())]
                extra = [blank] * (height - len(lines))
                lines = extra + lines if header else lines + extra  # headings sit at the bottom, cells at the top
                lines += [[(" " * width, ())]] * (max(1, height) - len(lines))
                shaped.append(lines)
            for k in range(max(1, height)):
                line = []
                for n, lines in enumerate(shaped):
                    if n:
                        line.append((" ", ()))
                    line.extend(lines[k])
                out.append(line)
        if header:
            out.append([("─" * (sum(widths) + len(widths) - 1), ())])
    if sum(widths) + len(widths) - 1 > page_width:  # narrower than its columns can be: cropped, as rich crops it
        out = [_fit(line, page_width, None) for line in out]
    return out


def _printed(line: Line, page_width: int) -> list[list[Seg]]:
    """``Console.print(text, width=…)``: the text wrapped at the width, one list of runs a line."""
    width = min(line.width, page_width) if line.width is not None else page_width
    if width < 1:
        return []
    text = line.text
    # Console.print joins what it prints into a new text, whose spans start with the text's own style
    flat = Styled(text.plain, "", ([(0, len(text.plain), text.style)] if text.style and text.plain else []) + text.spans)
    return [_segments(plain, spans, own) for plain, spans, own in _wrap(flat, width, "default")]


# --------------------------------------------------------------------------- lines → text


def write(blocks: Iterable[Line | Grid], width: int, color: bool) -> str:
    """The blocks one after another, as a ``Console(width=width)`` would print them: plain text, or
    with colour escapes (rich's standard colour system) when ``color``."""
    lines: list[list[Seg]] = []
    for block in blocks:
        if isinstance(block, Grid):
            lines.extend(_grid(block, width, color))
        elif block.crop:
            lines.extend(_fit(line, width, None) for line in _printed(block, width))
        else:
            lines.extend(_printed(block, width))
    if not color:
        return "".join(["".join([t for t, _ in line]) + "\n" for line in lines])
    paint = _Painter()
    return "".join(["".join([paint(t, s) for t, s in line]) + "\n" for line in lines])


class _Painter:
    """Text in its styles with ANSI escapes, as rich's ``Style.render`` writes them for the standard
    colour system: ``ESC[<codes>m text ESC[0m``. The styles the status table uses (attributes such
    as bold and dim, the 16 standard colours, ``on`` a background) are encoded here, as rich
    combines and encodes them; any other style is handed to rich (``rich.style``, imported then:
    importing it and ``rich.color`` costs about 10 ms of every start on a terminal)."""

    def __init__(self):
        self.cache: dict[tuple[str, ...], str] = {}

    def __call__(self, text: str, styles: tuple[str, ...]) -> str:
        if not styles or not text:
            return text
        codes = self.cache.get(styles)
        if codes is None:
            codes = self.cache[styles] = _sgr(styles)
        return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


# rich.style.Style: the bit of each attribute, and the SGR code of each bit
_ATTRIBUTES = {"bold": 0, "b": 0, "dim": 1, "d": 1, "italic": 2, "i": 2, "underline": 3, "u": 3, "blink": 4,
               "blink2": 5, "reverse": 6, "r": 6, "conceal": 7, "c": 7, "strike": 8, "s": 8, "underline2": 9,
               "uu": 9, "frame": 10, "encircle": 11, "overline": 12, "o": 12}
_ATTRIBUTE_CODES = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "21", "51", "52", "53")
_COLOURS = {name: n for n, name in enumerate(
    ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "bright_black", "bright_red",
     "bright_green", "bright_yellow", "bright_blue", "bright_magenta", "bright_cyan", "bright_white"))}
_THEMED = {HEADER_STYLE: "bold"}  # rich's default theme names used here, and what they stand for


def _parse(style: str) -> tuple[int, int, int | None, int | None] | None:
    """A style definition as (attributes set, attributes given, colour, background), colours as
    numbers 0-15 (-1 for ``default``); ``None`` when it is anything else."""
    style = _THEMED.get(style, style)
    on, off, colour, background = 0, 0, None, None
    words = iter(style.lower().split())
    for word in words:
        if word == "on":
            name = next(words, "")
            background = -1 if name == "default" else _COLOURS.get(name)
            if background is None:
                return None
        elif word == "not":
            bit = _ATTRIBUTES.get(next(words, ""))
            if bit is None:
                return None
            off |= 1 << bit
            on &= ~(1 << bit)
        elif word in _ATTRIBUTES:
            on |= 1 << _ATTRIBUTES[word]
            off &= ~(1 << _ATTRIBUTES[word])
        elif word in _COLOURS or word == "default":
            colour = _COLOURS.get(word, -1)
        else:
            return None
    return on, on | off, colour, background


def _sgr(styles: tuple[str, ...]) -> str:
    """The SGR codes of styles laid one over another (a later colour wins, attributes add up)."""
    attributes = given = 0
    colour = background = None
    for style in styles:
        parsed = _parse(style)
        if parsed is None:
            return _rich_sgr(styles)
        on, mask, fg, bg = parsed
        attributes = (attributes & ~mask) | (on & mask)
        given |= mask
        colour = fg if fg is not None else colour
        background = bg if bg is not None else background
    codes = [code for bit, code in enumerate(_ATTRIBUTE_CODES) if attributes & given & (1 << bit)]
    for number, base in ((colour, 30), (background, 40)):
        if number is not None:
            codes.append(str(base + 9 if number < 0 else base + number if number < 8 else base + 60 + number - 8))
    return ";".join(codes)


def _rich_sgr(styles: tuple[str, ...]) -> str:
    from rich.color import ColorSystem
    from rich.default_styles import DEFAULT_STYLES
    from rich.style import Style

    style = Style.combine([DEFAULT_STYLES.get(s) or Style.parse(s) for s in styles])
    rendered = style.render("x", color_system=ColorSystem.STANDARD)
    return rendered[2:rendered.index("m")] if rendered != "x" else ""
