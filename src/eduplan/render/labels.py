"""Words shown to people, in Chinese and English."""

from __future__ import annotations

STATUS_LABELS = {
    "zh": {"done": "已完成", "on_track": "正常", "lagging": "滞后", "behind": "落后", "no_data": "无数据"},
    "en": {"done": "done", "on_track": "on track", "lagging": "lagging", "behind": "behind", "no_data": "no data"},
}
STATE_LABELS = {
    "zh": {"done": "完成", "in-progress": "进行中", "not-started": "未开始"},
    "en": {"done": "done", "in-progress": "in progress", "not-started": "not started"},
}
MEASURE_LABELS = {
    "zh": {"flow": "累计", "level": "比例", "counties": "县数", "milestone": "节点"},
    "en": {"flow": "flow", "level": "level", "counties": "counties", "milestone": "milestone"},
}
KIND_LABELS = {
    "zh": {"focus": "六个重点", "action": "十大行动", "matter": "教育实事"},
    "en": {"focus": "Focus area", "action": "Action", "matter": "Practical matter"},
}
ORDINALS = "一二三四五六七八九十"


def section_title(section, lang: str) -> str:
    n = section.number
    if lang == "en":
        return f"{KIND_LABELS['en'][section.kind.value]} {n}: {section.name_en or section.name}"
    ordinal = ORDINALS[n - 1] if 1 <= n <= 10 else str(n)
    return f"{KIND_LABELS['zh'][section.kind.value]} · {ordinal}是{section.name}" if section.kind.value == "focus" \
        else f"{KIND_LABELS['zh'][section.kind.value]} · {ordinal}、{section.name}"


def name_of(indicator, lang: str) -> str:
    return (indicator.name_en or indicator.name) if lang == "en" else indicator.name


def status_label(status: str, lang: str) -> str:
    return STATUS_LABELS[lang][status]


def state_label(state: str | None, lang: str) -> str:
    return STATE_LABELS[lang].get(state or "", "—")
