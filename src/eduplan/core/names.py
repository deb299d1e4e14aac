"""Names people type: indicators, county-level units and sections, matched exactly or by a
documented short form that is the whole input; anything else is refused with suggestions.

* an indicator: its id, or its exact Chinese (or English) name;
* a county: its name (椒江区), or its short form (:func:`short_form`: 椒江, 景宁 for 景宁畲族自治县);
  ``全市`` (or the plan's own word for its whole, ``[terms]``: 全县), the plan's city name (台州市,
  台州) or ``city`` for the city-wide figure. A short
  form two units share (江北 for 江北区 and 江北县) is refused, listing both; a plan in which
  a unit's full name also means another is refused when it is validated (:func:`name_clashes`);
* a section: its id (``matter-1``), its kind and number (实事一, 行动3, 重点二, or with the
  plan's own word for the kind: 主要任务四), or its name (党建为纲, 一是党建为纲, 增加学位资源供给).

A near miss (a wrong or missing character, the document's own wording) is never taken:
the error lists what the person may have meant. Pure functions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from typing import Generic, TypeVar

from ..errors import EduplanError, UsageError
from ..i18n import LANGS, Flag, Msg, PerLang, msg, tr
from .models import Indicator, Office, Plan, Section, SectionKind, whole_words
from .records import record
from .status_words import STATUS_WORDS
from .text import refuse_invisible

T = TypeVar("T")

ORDINALS = "一二三四五六七八九十"
KIND_WORDS = {SectionKind.FOCUS: ("重点", "focus"), SectionKind.ACTION: ("行动", "action"),
              SectionKind.MATTER: ("实事", "matter")}


@record
class Match(Generic[T]):
    """What a name was taken as, and whether it was a short form (said in confirmations)."""

    value: T
    typed: str
    exact: bool


def clean(text: str, field: str | None = None) -> str:
    """NFKC and surrounding space; invisible characters (format controls such as a
    right-to-left mark, control characters) are refused, shown as escapes where they stand."""
    return refuse_invisible(unicodedata.normalize("NFKC", text).strip(), field)


def _one_edit(a: str, b: str) -> bool:
    """Is ``a`` one wrong, missing or extra character away from ``b``?"""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _suggest(typed: str, names: dict[str, str], extra: list[str] = ()) -> list[str]:
    """Up to five candidates (display strings) for a near miss."""
    lowered = typed.lower()
    out: list[str] = list(extra)
    for key, shown in names.items():
        if _one_edit(lowered, key.lower()) and shown not in out:
            out.append(shown)
    for key in difflib.get_close_matches(lowered, [k.lower() for k in names], n=5, cutoff=0.6):
        shown = next(v for k, v in names.items() if k.lower() == key)
        if shown not in out:
            out.append(shown)
    return out[:5]


# --------------------------------------------------------------------------- indicators


def _label(thing: Indicator | Section) -> str:
    """An indicator or a section as a suggestion is compared with the others: ``new-places (新增学位)``."""
    return f"{thing.id} ({thing.name})"


def _as_words(labels: Sequence[str], things: Sequence[Indicator | Section]) -> list[Msg]:
    """Suggestions (:func:`_label` texts) as the reader's language writes them:
    ``new-places（新增学位）`` in Chinese."""
    by_label = {_label(t): t for t in things}
    return [msg("{id} ({name})", id=by_label[x].id, name=by_label[x].name) for x in labels]


def find_indicator(plan: Plan, text: str) -> Match[Indicator]:
    """An indicator by id or by its exact name; else an error listing near misses."""
    typed = clean(text, "indicator")
    ind = plan.indicator(typed)
    if ind is not None:
        return Match(ind, typed, True)
    # an id in capitals or with underscores (ids are small letters and hyphens: no other could be meant),
    # a Chinese name with a stray space inside (新建 公办幼儿园)
    ind = plan.indicator(typed.lower().replace("_", "-"))
    if ind is not None:
        return Match(ind, typed, False)
    for candidate in plan.indicators:
        if typed in (candidate.name, candidate.name_en) or typed.lower() == candidate.name_en.lower():
            return Match(candidate, typed, True)
    for candidate in plan.indicators:
        if " " in typed and typed.replace(" ", "") == candidate.name.replace(" ", ""):
            return Match(candidate, typed, False)
    if not typed:
        raise EduplanError(msg("no indicator given; `eduplan plan` lists them"), field="indicator")
    names: dict[str, str] = {}
    for i in plan.indicators:
        names[i.id] = _label(i)
        names[i.name] = _label(i)
        if i.name_en:
            names[i.name_en] = _label(i)
    # the document's own wording: the typed words stand in the phrase the indicator was read from
    worded = [_label(i) for i in plan.indicators if len(typed) >= 2 and (typed in i.source or typed in i.name)]
    close = _suggest(typed, names, worded[:3])
    if close:
        raise EduplanError(msg("unknown indicator '{text}'; did you mean: {choices}?", text=typed,
                               choices=_as_words(close, plan.indicators)), field="indicator")
    raise EduplanError(msg("unknown indicator '{text}'; `eduplan plan` lists them", text=typed), field="indicator")


# --------------------------------------------------------------------------- counties


# China's ethnic groups, as the names of autonomous counties and banners write them (景宁畲族自治县,
# 双江拉祜族佤族布朗族傣族自治县, 巴里坤哈萨克自治县): national names, not any plan's
ETHNIC_GROUPS = (
    "柯尔克孜", "乌孜别克", "维吾尔", "哈萨克", "塔吉克", "达斡尔", "鄂温克", "鄂伦春", "俄罗斯", "塔塔尔", "蒙古", "土家",
    "布依", "朝鲜", "哈尼", "傈僳", "东乡", "仡佬", "拉祜", "纳西", "仫佬", "锡伯", "景颇", "撒拉", "布朗", "毛南",
    "普米", "阿昌", "基诺", "德昂", "保安", "裕固", "门巴", "独龙", "赫哲", "高山", "珞巴", "汉", "壮", "回", "满", "苗",
    "彝", "藏", "侗", "瑶", "白", "黎", "傣", "畲", "佤", "水", "羌", "土", "怒", "京")
_GROUPS = f"(?:(?:{'|'.join(ETHNIC_GROUPS)})族?)"
# 景宁畲族自治县, 延边朝鲜族自治州 (the group is named); a region may name none (西藏自治区, 内蒙古自治区)
_AUTONOMOUS = re.compile(rf"(.{{2,}}?){_GROUPS}+自治[县旗州]|(.{{2,}}?){_GROUPS}*自治区")
_SUFFIXES = ("特别行政区", "街道", "地区", "区", "市", "县", "旗", "镇", "乡", "省", "盟")
# zones named for what they are, not where: 东城新区 is not 东城新, nor 高新技术产业开发区 高新技术产业开发
# zones called by their own short word, as staff call them (a plan's unit named 高新区 is 高新, as 经开区 is 经开)
_CALLED_ZONES = ("高新区", "经开区")
_ZONES = ("新区", "开发区", "高新区", "园区", "管理区", "度假区", "试验区", "合作区", "示范区", "保税区", "功能区")


def short_form(county: str) -> str | None:
    """The documented short form of a county-level unit's name, as people call it: 椒江区 →
    椒江, 鄂托克旗 → 鄂托克, an autonomous county by its place name (景宁畲族自治县 → 景宁);
    a township's or a street's (城关镇 → 城关, 东湖街道 → 东湖) where a plan's units are those;
    a province's, a prefecture's or a league's (浙江省 → 浙江, 延边朝鲜族自治州 → 延边, 广西壮族自治区
    → 广西, 阿里地区 → 阿里, 锡林郭勒盟 → 锡林郭勒) where the plan is a province's.
    At least two characters are left (萧县 has none). A zone (东城新区, 经济技术开发区) has none:
    cut, it would name nothing (东城新); but a unit named 高新区 or 经开区 is called 高新 or 经开."""
    m = _AUTONOMOUS.fullmatch(county)
    if m:
        return m[1] or m[2]
    if county in _CALLED_ZONES:
        return county[:-1]
    if "自治" in county or county.endswith(_ZONES):
        return None
    for suffix in _SUFFIXES:
        if county.endswith(suffix) and len(county) - len(suffix) >= 2:
            return county[:-len(suffix)]
    return None


def unit_called(unit: str | None) -> str | Msg:
    """A unit as a sentence names it: a county by its name, the whole (None) as the plan calls it
    (全市, 全县; city-wide)."""
    return unit if unit else msg("city-wide")


def units_named(typed: str, city: str, counties: Sequence[str], whole: str = "全市") -> list[str | None]:
    """Every unit ``typed`` may mean, in the plan's order, the city-wide figure (None) last: a
    county by its name or short form; the city by 全市, 全市合计, city (the plan's own word for its
    whole and its total instead where it has one: 全县, 全县合计), its name or short form."""
    meant: list[str | None] = [c for c in counties if typed in (c, short_form(c))]
    if typed in whole_words(whole) or (whole == "全市" and typed.lower() == "city") or (
            city and typed in (city, short_form(city))):
        meant.append(None)
    return meant


def name_clashes(city: str, counties: Sequence[str], whole: str = "全市") -> list[tuple[int | None, str, str | None]]:
    """The units a plan leaves without a name of their own: (index of the county, its name, the
    other unit that name also means, None for the city). A county whose full name also means the
    city (余姚市 as the city and a county) or another county (江北 beside 江北区) could never be
    named; a short form two units share (江北 for 江北区 and 江北县) is no clash: the full names
    stay, and the short form is refused where it is typed."""
    clashes: list[tuple[int | None, str, str | None]] = []
    for i, county in enumerate(counties):
        for other in units_named(county, city, counties, whole):
            if other != county:
                clashes.append((i, county, other))
    return clashes


def find_county(plan: Plan, text: str | None) -> Match[str | None]:
    """A county-level unit (None for the city-wide figure); else an error with suggestions. A name
    that may mean two units (a short form they share) is refused, listing their full names."""
    if text is None:
        return Match(None, "", True)
    typed = clean(text, "county")
    whole = plan.terms.whole
    meant = units_named(typed, plan.plan.city, plan.plan.counties, whole)
    if len(meant) == 1:
        unit = meant[0]
        return Match(unit, typed, typed == (unit or whole))
    if meant:
        city = msg("{name} (city-wide)", name=plan.plan.city) if plan.plan.city else unit_called(None)
        choices = [unit or city for unit in meant]
        raise EduplanError(msg("'{text}' may mean more than one unit: {choices}; give the full name",
                               text=typed, choices=choices), field="county")
    level = plan.terms.level
    if typed in {f"{level}本级", f"{level}级", f"{plan.plan.city}本级"}:
        # the city's own office (市本级 报送): not a unit figures are kept for; its figure is the whole's
        raise EduplanError(msg("'{text}' is who reports, not a unit of figures: for the city-wide figure leave "
                               "{county} out; for a county's, give its name (the plan's are {all})", text=typed,
                               county=Flag("county"), all=plan.plan.counties), field="county")
    names = {c: c for c in plan.plan.counties}
    names.update({short_form(c): c for c in plan.plan.counties if short_form(c)})
    extra = [c for c in plan.plan.counties if len(typed) >= 2 and short_form(c) and typed.startswith(short_form(c))]
    close = _suggest(typed, names, extra)
    everyone = [*plan.plan.counties, unit_called(None)]
    if close:
        raise EduplanError(msg("unknown county-level unit '{text}'; did you mean: {choices}? (the plan's are {all})",
                               text=typed, choices=close, all=everyone), field="county")
    raise EduplanError(msg("unknown county-level unit '{text}'; the plan's are {all}", text=typed, all=everyone),
                       field="county")


# --------------------------------------------------------------------------- offices


def find_office(plan: Plan, text: str) -> Match[Office]:
    """A recording office by its name, a county's short form for that county's office, or 全市
    (the plan's city, where it names one) for the one office that reports the city-wide figure."""
    typed = clean(text, "office")
    office = plan.office(typed)
    if office is not None:
        return Match(office, typed, True)
    if typed in whole_words(plan.terms.whole) or (plan.plan.city and typed == plan.plan.city):
        city = [o for o in plan.offices if None in o.units]
        if len(city) == 1:
            return Match(city[0], typed, False)
    shortened = [o for o in plan.offices if len(o.units) == 1 and o.units[0] is not None
                 and typed == short_form(o.units[0]) and o.name == o.units[0]]
    if len(shortened) == 1:
        return Match(shortened[0], typed, False)
    if shortened:  # a short form two offices share (江北 for 江北区 and 江北县)
        raise EduplanError(msg("'{text}' may mean more than one office: {choices}; give the full name",
                               text=typed, choices=[o.name for o in shortened]), field="office")
    names = {o.name: o.name for o in plan.offices}
    close = _suggest(typed, names)
    everyone = [o.name for o in plan.offices]
    if close:
        raise EduplanError(msg("unknown office '{text}'; did you mean: {choices}? (the plan's offices are {all})",
                               text=typed, choices=close, all=everyone), field="office")
    raise EduplanError(msg("unknown office '{text}'; the plan's offices are {all}", text=typed, all=everyone),
                       field="office")


def who_records(plan: Plan, unit: str | None) -> Msg:
    """Who records a unit's figures, said to an office that may not: the office by name where it is
    not named after the unit (the city-wide figure: 全市的数据由台州市教育局填报), else "its own office"."""
    owners = [o.name for o in plan.offices if unit in o.units]
    if not owners:  # the plan's [[offices]] leave it out: nobody can record it until one reports it
        return msg("no office of the plan reports {unit}: add it to an office's reports in the plan's [[offices]]",
                   unit=unit_called(unit))
    if owners != [unit]:
        if unit is None:
            return msg("the city-wide figures are recorded by {owner}", owner=owners)
        return msg("{unit}'s figures are recorded by {owner}", unit=unit, owner=owners)
    return msg("{unit}'s figures are recorded by its own office", unit=unit_called(unit))


# --------------------------------------------------------------------------- sections


_COUNTED = re.compile(r"^[一二两三四五六七八九十百\d]+[个大项件条]?(?=..)")


def kind_words(plan: Plan) -> dict[SectionKind, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The words a person may put before a section's number, per kind: Chinese and English.
    The plan's own name for the kind (``[section_kinds]``: 主要任务, and 重点 for 六个重点) and the
    generic word (重点, focus), unless another kind of the plan calls itself by that word."""
    own: dict[SectionKind, tuple[list[str], list[str]]] = {}
    for s in plan.sections:
        if s.kind in own:
            continue
        zh = [_COUNTED.sub("", s.kind_name)] if s.kind_name else []  # 六个重点 → 重点: 重点一, never 六个重点一
        own[s.kind] = (zh, [s.kind_name_en] if s.kind_name_en else [])
    words = {}
    for kind, (zh_own, en_own) in own.items():
        zh_kind, en_kind = KIND_WORDS[kind]
        taken_zh = {w for k, (z, _) in own.items() if k != kind for w in z}
        taken_en = {w.lower() for k, (_, e) in own.items() if k != kind for w in e}
        zh = zh_own + [zh_kind] * (zh_kind not in taken_zh and zh_kind not in zh_own)
        en = en_own + [en_kind] * (en_kind not in taken_en and en_kind not in {w.lower() for w in en_own})
        words[kind] = (tuple(zh), tuple(en))
    return words


def section_names(section: Section, words: tuple[tuple[str, ...], tuple[str, ...]] | None = None) -> list[str]:
    """Every way a person may name a section (all matched exactly, spaces and case aside);
    ``words``: the words for its kind (:func:`kind_words`), by default the generic ones."""
    n = section.number
    ordinal = ORDINALS[n - 1] if 1 <= n <= 10 else str(n)
    zh_words, en_words = words or ((KIND_WORDS[section.kind][0],), (KIND_WORDS[section.kind][1],))
    names = [section.id, section.name]
    for zh_kind in zh_words:
        names += [f"{zh_kind}{ordinal}", f"{zh_kind}{n}", f"第{ordinal}{zh_kind}"]
    for en_kind in en_words:
        names += [f"{en_kind}{n}", f"{en_kind} {n}"]
    names += [f"{ordinal}是{section.name}", f"{ordinal}、{section.name}"]
    if section.kind == SectionKind.MATTER and "实事" in zh_words:
        names.append(f"第{ordinal}件实事")
    if section.kind == SectionKind.FOCUS and "重点" in zh_words:
        names.append(f"第{ordinal}个重点")
    if section.name_en:
        names.append(section.name_en)
    stripped = section.name.strip("“”\"")
    if stripped != section.name:
        names.append(stripped)
    return names


def section_examples(plan: Plan, lang: str) -> list[str]:
    """How the plan's sections may be named, for an error: a section of each kind by its kind
    and number (主要任务一 / Main task 1), the first one by its name."""
    words = kind_words(plan)
    out: list[str] = []
    seen: set[SectionKind] = set()
    for s in plan.sections:
        if s.kind in seen:
            continue
        seen.add(s.kind)
        zh, en = words[s.kind]
        generic = KIND_WORDS[s.kind][lang == "en"]
        held = generic in (w.lower() for w in (en if lang == "en" else zh))
        shorter = held and any(generic in w.lower() and w.lower() != generic for w in (en if lang == "en" else zh))
        if lang == "en":  # the generic word where the plan's own holds it (matter for Practical matter)
            out.append(f"{generic if shorter else en[0]} {s.number}")
        else:  # (实事 for 教育实事)
            out.append(f"{generic if shorter else zh[0]}{ORDINALS[s.number - 1] if 1 <= s.number <= 10 else s.number}")
    first = plan.sections[0]
    out.append((first.name_en or first.name) if lang == "en" else first.name)
    return list(dict.fromkeys(out))


def find_section(plan: Plan, text: str) -> Match[Section]:
    typed = clean(text, "section")
    key = typed.replace(" ", "").lower()
    words = kind_words(plan)
    for section in plan.sections:
        for name in section_names(section, words[section.kind]):
            if key == name.replace(" ", "").lower():
                return Match(section, typed, typed == section.id)
    names = {name: _label(s) for s in plan.sections for name in section_names(s, words[s.kind])}
    close = _suggest(typed, names)
    if close:
        raise EduplanError(msg("unknown section '{text}'; did you mean: {choices}?", text=typed,
                               choices=_as_words(close, plan.sections)), field="section")
    if not plan.sections:
        raise EduplanError(msg("unknown section '{text}'; the plan has no sections", text=typed), field="section")
    raise EduplanError(msg("unknown section '{text}'; name it like {examples} or {id}", text=typed,
                           examples=PerLang({lang: section_examples(plan, lang) for lang in LANGS}),
                           id=plan.sections[0].id), field="section")


# --------------------------------------------------------------------------- lead units


def find_lead(plan: Plan, text: str) -> Match[str]:
    """A lead unit (牵头单位) by its exact name, as the plan writes it; else an error with suggestions."""
    typed = clean(text)
    leads = plan.leads
    known = list(dict.fromkeys((*leads, *plan.plan.units)))
    if typed in known:
        return Match(typed, typed, True)
    if not leads:
        raise EduplanError(msg("the plan names no lead units (牵头单位)"), field="lead")
    close = _suggest(typed, {name: name for name in known}, [n for n in known if len(typed) >= 2 and typed in n][:3])
    if close:
        raise EduplanError(msg("unknown lead unit '{text}'; did you mean: {choices}?", text=typed, choices=close),
                           field="lead")
    raise EduplanError(msg("unknown lead unit '{text}'; the plan's are {all}", text=typed, all=list(leads)),
                       field="lead")


# --------------------------------------------------------------------------- statuses


def _status_key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def find_status(text: str, field: str = "status", among: tuple[str, ...] = tuple(STATUS_WORDS)) -> str:
    """A status (its code, ``on_track``) by its code or by the word a table prints for it in
    either language (正常, on track); else a usage error listing the choices."""
    typed = clean(text, field)
    key = _status_key(typed)
    for code in among:
        if key in {_status_key(code), *(_status_key(tr(STATUS_WORDS[code], lang)) for lang in LANGS)}:
            return code
    raise UsageError(msg("unknown status '{text}'; the choices are {all} (or their codes: {codes})", text=typed,
                         all=[msg(STATUS_WORDS[c]) for c in among], codes=list(among)), field=field)
