"""How the plan covers its source text, sentence by sentence. Pure functions.

The text is cut into sentences (at 。；) and clauses (at commas, not at 、). A clause *commits to
something* when it contains one of :data:`COMMITMENT_WORDS` (完成, 实现, 确保, 建成, 新增,
达到, 创建, 培育, 争取, 减少 …). A clause is *covered* when a phrase the plan quotes overlaps
it: an indicator's ``source`` or ``also_stated``, the ``source`` of an indicator's pace, a
``[[not_tracked]]`` entry (considered, and not tracked for the reason given), or a
section's name (a heading). Every committing clause should be covered; the uncovered ones
are listed.
"""

from __future__ import annotations

import re

from .models import Plan
from .records import record

# Words that commit to something checkable by the end of the period. Words of continuing
# effort (推进, 深化, 完善, 加强, 健全, 优化 …) are not in the list: a clause with only those
# promises no end state.
COMMITMENT_WORDS: tuple[str, ...] = (
    "完成", "实现", "确保", "建成", "创成", "新建", "新增", "达到", "创建", "培育", "争取", "减少", "建立", "形成",
    "出台", "认定", "遴选", "评选", "引进", "筛查", "发布", "搭建", "开展", "上线", "投资", "实施", "扩大", "推动",
    "打造",
)
_SENTENCE_ENDS = "。；;|"  # a sentence ends after 。；; and before |
_CLAUSE_ENDS = ",，。；;|"
_OPEN, _CLOSE = "（(“‘《【", "）)”’》】"


def _pieces(text: str, ends: str, keep: str = "") -> list[tuple[int, str]]:
    """``text`` cut at the marks in ``ends`` outside brackets and quotes (a parenthesis's comma,
    as in 工作要点（合成示例，不列入跟踪）, cuts nothing); each piece with where it starts. A mark
    in ``keep`` stays with the piece it ends; the others are left out."""
    out: list[tuple[int, str]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in ends and depth == 0:
            end = i + 1 if ch in keep else i
            if end > start:
                out.append((start, text[start:end]))
            start = i + 1
    if start < len(text):
        out.append((start, text[start:]))
    return out
# A line that ends a sentence without punctuation: a heading (一、扩大优质学位供给), a title, or
# the last line before a blank one. Longer lines without it are prose wrapped by hand, whose
# sentence goes on on the next line.
_HEADING = 30
_LINE = re.compile(r"[^\n]*(?:\n|$)")


def _blocks(text: str) -> list[tuple[int, str]]:
    """The text cut where a line break ends a sentence: after a short line (a heading) or at a
    blank line; each part with where it starts."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _LINE.finditer(text):
        line = m.group(0)
        if not line:
            break
        if line.endswith("\n") and len(line.strip(" \t\r\n|\u3000")) <= _HEADING:
            out.append((start, text[start:m.end()]))
            start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


_BREAK = re.compile(r"(.?)[ \t\r\u3000]*\n\s*(.?)")


def _one_line(text: str) -> str:
    """Prose wrapped by hand, on one line: Chinese lines joined as they are (no space comes
    between two Chinese characters), other words with one space."""
    return _BREAK.sub(lambda m: m[1] + ("" if not m[1].isascii() or not m[2].isascii() else " ") + m[2], text)


@record
class Cover:
    """What covers a clause: ``kind`` indicator, pace, not_tracked or section; ``ref`` its id
    (for a not-tracked entry, its number from 1 in the plan)."""

    kind: str
    ref: str
    phrase: str


@record
class Clause:
    text: str
    words: tuple[str, ...]  # the commitment words it contains
    covered_by: tuple[Cover, ...]

    @property
    def commits(self) -> bool:
        return bool(self.words)

    @property
    def uncovered(self) -> bool:
        return self.commits and not self.covered_by


@record
class Sentence:
    number: int
    text: str
    clauses: tuple[Clause, ...]


@record(slots=False)
class CoverageDoc:
    plan: Plan
    source: str  # the source text's name, as the plan gives it
    sentences: tuple[Sentence, ...]

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(c for s in self.sentences for c in s.clauses)

    @property
    def uncovered(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.uncovered)

    @property
    def committing(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.commits)


def _spans(plan: Plan, text: str) -> list[tuple[int, int, Cover]]:
    quoted: list[tuple[str, Cover]] = []
    for ind in plan.indicators:
        quoted.append((ind.source, Cover("indicator", ind.id, ind.source)))
        quoted.extend((p, Cover("indicator", ind.id, p)) for p in ind.also_stated)
        if ind.pace is not None and ind.pace.source:
            quoted.append((ind.pace.source, Cover("pace", ind.id, ind.pace.source)))
    for n, nt in enumerate(plan.not_tracked, start=1):
        quoted.append((nt.source, Cover("not_tracked", str(n), nt.source)))
    for sec in plan.sections:
        quoted.append((sec.name, Cover("section", sec.id, sec.name)))
    spans = []
    for phrase, cover in quoted:
        if not phrase:
            continue
        at = text.find(phrase)
        while at != -1:
            spans.append((at, at + len(phrase), cover))
            at = text.find(phrase, at + 1)
    return spans


def coverage(plan: Plan, text: str, source: str = "") -> CoverageDoc:
    """The text's sentences, each clause with its commitment words and what covers it."""
    spans = _spans(plan, text)
    sentences = []
    for at, block in _blocks(text):
        for m_start, body in _pieces(block, _SENTENCE_ENDS, keep="。；;"):
            if not body.strip(" |\n"):
                continue
            clauses = []
            for c_start, words in _pieces(body, _CLAUSE_ENDS):
                stripped = words.strip()
                if not stripped:
                    continue
                lead = len(words) - len(words.lstrip())
                a = at + m_start + c_start + lead
                b = a + len(stripped)
                covers = tuple(dict.fromkeys(cover for s, e, cover in spans if s < b and e > a))
                joined = _one_line(stripped)
                clauses.append(Clause(joined, tuple(w for w in COMMITMENT_WORDS if w in joined), covers))
            if clauses:
                sentences.append(Sentence(len(sentences) + 1, _one_line(body.strip()), tuple(clauses)))
    return CoverageDoc(plan, source, tuple(sentences))
