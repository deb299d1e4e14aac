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
_SENTENCE = re.compile(r"[^。；;|]+[。；;]?")
_CLAUSE = re.compile(r"[^,，。；;|]+")


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
    for m in _SENTENCE.finditer(text):
        body = m.group(0)
        if not body.strip(" |\n"):
            continue
        clauses = []
        for c in _CLAUSE.finditer(body):
            words = c.group(0)
            stripped = words.strip()
            if not stripped:
                continue
            lead = len(words) - len(words.lstrip())
            a = m.start() + c.start() + lead
            b = a + len(stripped)
            covers = tuple(dict.fromkeys(cover for s, e, cover in spans if s < b and e > a))
            clauses.append(Clause(stripped, tuple(w for w in COMMITMENT_WORDS if w in stripped), covers))
        if clauses:
            sentences.append(Sentence(len(sentences) + 1, body.strip(), tuple(clauses)))
    return CoverageDoc(plan, source, tuple(sentences))
