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

Language choice (:func:`choose`): ``--lang``, then ``$EDUPLAN_LANG``, then the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh*`` is Chinese, any other language English;
``C``/``POSIX``/unset say nothing), else the plan's own language.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import os
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
    return translator(lang).gettext(text)


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
