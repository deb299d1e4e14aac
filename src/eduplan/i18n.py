"""The words people read, in their language: standard gettext catalogues.

Every sentence is written in the code as an English ``msgid`` and translated when it is
shown. The Chinese catalogue is ``locale/zh_CN/LC_MESSAGES/eduplan.po`` (the source a
translator edits) and its compiled ``eduplan.mo`` (what :mod:`gettext` reads); English is
the msgids themselves. ``tools/i18n.py`` extracts the msgids, updates the ``.po`` and
compiles the ``.mo``; ``tests/test_i18n.py`` fails when a msgid has no translation or when
the ``.mo`` is stale.

The core never chooses a language: it builds :class:`Msg` values (a msgid and its
parameters) and the renderers turn them into text with :func:`text`. Markers:

* ``msg("unknown county {county}", county=...)`` — a sentence with parameters;
* ``nmsg("{n} entry", "{n} entries", n)`` — a sentence with a plural;
* ``N_("Indicator")`` — a constant string to translate later with :func:`tr`.

What a plan calls its whole and its units (:class:`Terms`: 全市 and 县（市、区） by default; 全县
and 乡镇（街道） in a county bureau's plan, 全省 and 设区市 in a province's) is put into every
sentence as it is translated, before its parameters: the catalogues are written in a city's
words and a plan of another level is read in its own (:func:`use_terms`).

Language choice (:func:`choose`): ``--lang``, then ``$EDUPLAN_LANG``, then the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh*`` is Chinese, any other language English;
``C``/``POSIX``/unset say nothing), else the plan's own language.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gettext
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")
DOMAIN = "eduplan"
LOCALE_DIR = Path(__file__).with_name("locale")
LANG_ENV = "EDUPLAN_LANG"
_GETTEXT_NAMES = {"zh": "zh_CN", "en": "en"}


def N_(text: str) -> str:
    """Mark a constant for translation; :func:`tr` translates it where it is shown."""
    return text


class Msg:
    """A sentence for a person: an English msgid (and plural), with its parameters.

    Parameters are shown in the reader's language too: a Msg inside a Msg is translated,
    a list is joined the way the language lists things (、 or ", ").
    """

    __slots__ = ("text", "plural", "n", "params")

    def __init__(self, text: str, plural: str | None = None, n: int | None = None, params: Mapping[str, Any] | None = None):
        self.text = text
        self.plural = plural
        self.n = n
        self.params = dict(params or {})

    def render(self, lang: str) -> str:
        t = translator(lang)
        template = t.ngettext(self.text, self.plural, self.n or 0) if self.plural is not None else t.gettext(self.text)
        if _TERMS[0] is not DEFAULT_TERMS:
            template = _TERMS[0].worded(template, lang)
        values = {k: _param(v, lang) for k, v in self.params.items()}
        if self.plural is not None:
            values.setdefault("n", self.n)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation must not hide the message
            try:
                return self.text.format(**values)
            except (KeyError, IndexError, ValueError):
                return self.text

    def __repr__(self) -> str:
        return f"Msg({self.text!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.text, self.plural, self.n, self.params) == (
            other.text, other.plural, other.n, other.params)

    __hash__ = None  # type: ignore[assignment]


class PerLang(Msg):
    """Words a plan gives in each language rather than a sentence to translate (its sections named
    the way it names them: 主要任务一 / Main task 1), as a parameter of a Msg: the reader's
    language's, else the first given."""

    __slots__ = ("by_lang",)

    def __init__(self, by_lang: Mapping[str, Any]):
        super().__init__("")
        self.by_lang = dict(by_lang)

    def render(self, lang: str) -> str:
        return show(self.by_lang[lang] if lang in self.by_lang else next(iter(self.by_lang.values()), ""), lang)

    def __repr__(self) -> str:
        return f"PerLang({self.by_lang!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PerLang) and self.by_lang == other.by_lang

    __hash__ = None  # type: ignore[assignment]


def msg(template: str, /, **params: Any) -> Msg:
    return Msg(template, params=params)


def nmsg(singular: str, plural: str, n: int, /, **params: Any) -> Msg:
    return Msg(singular, plural, n, params)


@functools.cache
def translator(lang: str) -> gettext.NullTranslations:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[_GETTEXT_NAMES[lang]])


def tr(text: str, lang: str) -> str:
    """Translate a constant marked with :func:`N_`."""
    out = translator(lang).gettext(text)
    return out if _TERMS[0] is DEFAULT_TERMS else _TERMS[0].worded(out, lang)


def plural_en(word: str) -> str:
    """county → counties, township → townships, branch → branches."""
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclasses.dataclass(frozen=True)
class Terms:
    """What a plan calls the whole it covers and the units that report to it.

    The catalogues speak of a city and its counties (全市, 县（市、区）; city-wide, county); a plan
    of a county bureau (全县, 乡镇（街道）), a district (全区), a province (全省, 设区市) or of any
    other units (学校, 学区) gives its own words, and every sentence says them instead.
    """

    whole: str = "全市"  # the whole, as the text names it: 全市数据, 代表全市
    units: str = "县（市、区）"  # its units, as a heading names them
    whole_en: str = "city"  # city-wide, the city's target
    unit_en: str = "county"  # a county, each county's figure
    units_en: str = ""  # the plural (counties); empty: made from unit_en

    @property
    def level(self) -> str:
        """The whole's own level in one character or word: 市 (市本级, 市级单位), 县, 省."""
        return self.whole[1:] if self.whole.startswith("全") and len(self.whole) > 1 else self.whole

    @property
    def plural_en(self) -> str:
        """The units in English, more than one: counties, townships."""
        return self.units_en or plural_en(self.unit_en)

    @property
    def unit(self) -> str:
        """A unit in one word: 县 (各县, 县级目标, 达标县) for 县（市、区）, 乡镇 for 乡镇（街道）."""
        return re.sub(r"[（(][^）)]*[）)]$", "", self.units) or self.units

    def worded(self, template: str, lang: str) -> str:
        """A translated template (before its parameters go in) in these words."""
        if lang == "zh":
            return _ZH_WORDS.sub(lambda m: self._zh(m.group(0)), template)
        return _EN_WORDS.sub(lambda m: m.group(0) if _a_code(m) else self._en(m.group(0)), template)

    def _zh(self, word: str) -> str:
        if word == "全市":
            return self.whole
        if word.startswith("县"):  # 县（市、区）, 县(市、区), 县
            return self.units if len(word) > 1 else self.unit
        return self.level + word[1:]  # 市本级, 市级

    def _en(self, word: str) -> str:
        if word == "全市":
            return self.whole
        low = word.lower()
        if low.startswith("count"):
            new = self.plural_en if low.startswith("counties") else self.unit_en
            new += low[len("counties" if low.startswith("counties") else "county"):]
        else:
            new = self.whole_en + low[len("city"):]
        return new[:1].upper() + new[1:] if word[:1].isupper() else new


# the words of a city's plan in the catalogues: in Chinese 全市, 市本级, 市级, 县（市、区） and 县
# alone (but not “县”, a name's last character); in English city, county and counties as words
# (not --county, for_city, or a plan file's code: a "counties" indicator, "(counties or both)")
_ZH_WORDS = re.compile(r"全市|市本级|市级|县[（(]市、区[）)]|(?<!“)县(?!”)")
# (never a placeholder's name, {county}: the sentence would lose its value, and fall back to the city's words)
_EN_WORDS = re.compile(r"全市|(?<![-\w{])(?:[Cc]ity(?:-wide)?|[Cc]ount(?:y|ies)(?:-level)?)(?![-\w}])")


def _a_code(m: re.Match) -> bool:
    """Is the word a plan file's code (measure = "counties", reported_by = "counties")?"""
    after = m.string[m.end():]
    return m.group(0) == "counties" and (after.startswith(" indicator") or (
        m.string[m.start() - 1:m.start()] == "(" and after.startswith(" or both")))


DEFAULT_TERMS = Terms()
_TERMS: list[Terms] = [DEFAULT_TERMS]  # the words of the plan in use (one plan a command)


def current_terms() -> Terms:
    """The words of the plan in use."""
    return _TERMS[0]


def use_terms(terms: Terms) -> None:
    """Speak in ``terms`` from now on (the command line does it as it loads the plan)."""
    _TERMS[0] = terms


@contextlib.contextmanager
def terms_of(terms: Terms):
    """Speak in ``terms`` within the block (a library reading two plans, a test)."""
    before = _TERMS[0]
    _TERMS[0] = terms
    try:
        yield
    finally:
        _TERMS[0] = before


def text(value: Any, lang: str) -> str:
    """Anything a person reads: a Msg translated, a string as it is."""
    return show(value, lang)


def separator(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def clause_separator(lang: str) -> str:
    """Between clauses of one remark: ``；`` in Chinese, ``; `` in English."""
    return "；" if lang == "zh" else "; "


def gap_after(text: str) -> str:
    """What goes between ``text`` and what follows it on the line: nothing after Chinese
    punctuation (``…（见附录二）。按数据截至日期…``, ``列出：`eduplan check```), a space after
    anything else (``… appendix 2). Counted by …``)."""
    return "" if text[-1:] in "。：；！？，" else " "


def colon(lang: str) -> str:
    """Between a label and what it says: ``来源：…`` in Chinese, ``source: …`` in English."""
    return "：" if lang == "zh" else ": "


def bracketed(text: str, lang: str) -> str:
    """An aside after a word: ``完成（2023-06-30）`` in Chinese, ``done (2023-06-30)`` in English."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


class Flag:
    """An input named in a sentence (record it again with --force): the library names the
    parameter (``force=True``, ``as_of``); the command line shows its option (``--force``,
    ``--as-of``) through :func:`use_flags`. ``example`` is what follows it (``NAME``), ``True``
    for a switch."""

    __slots__ = ("field", "example")

    def __init__(self, field: str, example: str | bool | None = None):
        self.field = field
        self.example = example  # a msgid (NAME), translated where shown

    def render(self, lang: str) -> str:
        option = _FLAGS[0].get(self.field) if _FLAGS[0] is not None else None
        example = tr(self.example, lang) if isinstance(self.example, str) else self.example
        if option is not None:
            return option if example in (None, True) else f"{option} {example}"
        return self.field if example is None else f"{self.field}={example}"

    def __str__(self) -> str:
        return self.render("en")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Flag) and (self.field, self.example) == (other.field, other.example)

    def __repr__(self) -> str:
        return f"Flag({self.field!r}, {self.example!r})"

    __hash__ = None  # type: ignore[assignment]


_FLAGS: list[Mapping[str, str] | None] = [None]  # the command line's options by field, while it runs


def use_flags(options: Mapping[str, str] | None) -> None:
    """Name inputs as these options (the command line, for its run); None: as the library's parameters."""
    _FLAGS[0] = options


def _param(value: Any, lang: str) -> Any:
    """A parameter as it goes into a template: numbers stay numbers (for format specs)."""
    if isinstance(value, bool):
        return show(value, lang)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return show(value, lang)


def show(value: Any, lang: str) -> str:
    if isinstance(value, Msg):
        return value.render(lang)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return tr("yes", lang) if value else tr("no", lang)
    if isinstance(value, (list, tuple, set, frozenset)):
        return separator(lang).join(show(v, lang) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Flag):
        return value.render(lang)
    return str(value)


def _from_locale(environ: Mapping[str, str]) -> str | None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if not value:
            continue
        name = value.split(".")[0].split("@")[0].strip().lower()
        if name in ("c", "posix", ""):
            return None  # the first locale variable that is set decides, and C says nothing
        return "zh" if name.startswith("zh") else "en"
    return None


def choose(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The language asked for, or None when nothing asks (then the plan's language applies)."""
    environ = os.environ if environ is None else environ
    if explicit:
        return explicit
    env = environ.get(LANG_ENV, "").strip().lower()
    if env:
        if env.startswith("zh"):
            return "zh"
        if env.startswith("en"):
            return "en"
    return _from_locale(environ)


def language(explicit: str | None, plan_lang: str | None, environ: Mapping[str, str] | None = None) -> str:
    chosen = choose(explicit, environ)
    if chosen in LANGS:
        return chosen
    return plan_lang if plan_lang in LANGS else "zh"
