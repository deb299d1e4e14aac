"""Results derived from the index, kept in it until the next write: the data-quality digest,
that a ledger folder breaks none of the rules across its files, and the bulletins as shown
(:func:`shown_key`: the very text a `report` showed, read back when it is asked again).

Checking every surviving entry against the data-quality rules is the costly part of the
monthly bulletin (seconds for 100,000 entries); its digest depends only on the
entries, the plan, the date and the code that judges. So it is kept in the index under a key
naming all but the entries (:func:`key`), and tagged with the index's *generation*, which every
write to the index advances (:meth:`eduplan.store.index.Index.writing`): a result computed
from entries that have changed since can never be read back. Entries are kept as references
and read from the index again, so that a finding shows the entry as the index holds it.

The encoding is JSON with tags for what JSON lacks (a date, a tuple, a message with its
parameters); a value of any other type is not kept (the result is computed each time).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.models import Entry, Plan

if TYPE_CHECKING:  # (imported where a digest is read back: a folder's check needs only keys)
    from ..core.rules import Finding, QualityDigest
from ..i18n import Msg, PerLang

VERSION = 1  # of this encoding


class NotKept(TypeError):
    """A value this encoding cannot carry exactly."""


def sources() -> list[Path]:
    """The files whose code judges what is kept: the pure core, the plan's reading (the plan's
    file is named by its fingerprint; how it is read, defaults and thresholds, by the schema),
    each file's rules and the rules across a ledger folder, the service that asks, the messages."""
    here = Path(__file__).resolve().parents[1]
    return sorted((here / "core").glob("*.py")) + [
        here / "store" / "schema.py", here / "store" / "planfile.py", here / "store" / "ledger.py",
        here / "store" / "folder.py", here / "services" / "quality.py", here / "i18n.py"]


@cache
def _code() -> str:
    """What judges, as a hash of :func:`sources` and the version (a change to a rule, a message
    or a threshold's default makes earlier results unusable)."""
    from .. import __version__

    h = hashlib.sha256(f"{VERSION} {__version__}".encode())
    for path in sources():
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


SHOWN = "shown:"  # the key of an output as a command showed it begins so (:func:`shown_key`)
SHOWN_MOST = 8  # outputs kept at most at once (each up to SHOWN_CHARS): the newest
SHOWN_CHARS = 8_000_000  # an output longer than this (a bulletin of some 200,000 entries' month) is not kept


def shown_key(kind: str, plan: Plan, day: dt.date, **options: Any) -> str:
    """The key of an output of ``kind`` as shown: the plan, the day, the options that make and
    show it (a format, a language, a terminal's width) and the code of the whole package, which
    both makes the document and renders it (:func:`_package`)."""
    return SHOWN + key(kind, plan, day, code=_package(), **options)


@cache
def _package() -> str:
    """The package's code and message catalogues as the names, sizes and modification times of
    their files (a stat each, 1.0–1.8 ms in a new process: hashing their 1 MB of text would cost
    a command 10 ms), and the version. Any edit, install or checkout of a file changes its time."""
    from .. import __version__

    here = str(Path(__file__).resolve().parents[1])
    files, folders = [], [here]
    while folders:
        with os.scandir(folders.pop()) as found:
            for f in found:
                if f.is_dir(follow_symlinks=False):
                    if f.name != "__pycache__":
                        folders.append(f.path)
                elif f.name.endswith((".py", ".mo")):
                    st = f.stat()
                    files.append(f"{f.path[len(here):]}\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join([f"{VERSION} {__version__}", *sorted(files)]).encode()).hexdigest()


def key(kind: str, plan: Plan, day: dt.date | None = None, *, code: str | None = None, **options: Any) -> str:
    """The key of a result of ``kind`` for this plan, day (where it has one), options and code
    (``code``: what stands for it, by default :func:`_code`, the files that judge)."""
    text = json.dumps([kind, plan.fingerprint, day.isoformat() if day else None, sorted(options.items()),
                       _code() if code is None else code])
    return hashlib.sha256(text.encode()).hexdigest()


def _enc(v: Any) -> Any:
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    if isinstance(v, PerLang):
        return {"p": {k: _enc(x) for k, x in v.by_lang.items()}}
    if isinstance(v, Msg):
        return {"m": [v.text, v.plural, v.n, {k: _enc(x) for k, x in v.params.items()}]}
    if isinstance(v, dt.datetime):
        raise NotKept(v)
    if isinstance(v, dt.date):
        return {"d": v.isoformat()}
    if isinstance(v, list):
        return [_enc(x) for x in v]
    if isinstance(v, tuple):
        return {"t": [_enc(x) for x in v]}
    if isinstance(v, dict) and all(isinstance(k, str) for k in v):
        return {"o": {k: _enc(x) for k, x in v.items()}}
    raise NotKept(v)


def _dec(v: Any) -> Any:
    if isinstance(v, list):
        return [_dec(x) for x in v]
    if not isinstance(v, dict):
        return v
    (tag, x), = v.items()
    if tag == "m":
        text, plural, n, params = x
        return Msg(text, plural, n, {k: _dec(p) for k, p in params.items()})
    if tag == "p":
        return PerLang({k: _dec(y) for k, y in x.items()})
    if tag == "d":
        return dt.date.fromisoformat(x)
    if tag == "t":
        return tuple(_dec(y) for y in x)
    return {k: _dec(y) for k, y in x.items()}


def _exact(v: Any) -> bool:
    """Do str/int/float/bool subclasses (an enum member) stand where the plain type must?"""
    return v is None or type(v) in (str, bool, int, float)


def _finding(f: Finding) -> list:
    if not all(_exact(x) for x in (f.rule, f.indicator, f.county, f.by)):
        raise NotKept(f)
    return [f.rule, _enc(f.message), f.indicator, f.county, [[e.office, e.id] for e in f.entries],
            f.as_of.isoformat() if f.as_of else None, _enc(dict(f.params)), f.by]


def encode_digest(d: QualityDigest) -> str:
    """A digest as text; :class:`NotKept` if a value cannot be carried exactly."""
    return json.dumps({"as_of": d.as_of.isoformat(), "summary": dict(d.summary), "checked": d.checked,
                       "listed": [_finding(f) for f in d.listed]}, ensure_ascii=False)


def decode_digest(text: str, entries_at: Callable[[list[tuple[str, int]]], dict[tuple[str, int], Entry]]
                  ) -> QualityDigest | None:
    """The digest again, the entries of its findings read with ``entries_at`` (references →
    entries); None when the text is not a digest this encoding wrote (a damaged index) or an
    entry is not there: then it is judged again."""
    from ..core.rules import Finding, QualityDigest

    try:
        data = json.loads(text)
        rows = data["listed"]
        entries = entries_at(sorted({(o, i) for row in rows for o, i in row[4]}))
        listed = []
        for rule, message, indicator, county, refs, as_of, params, by in rows:
            named = tuple(entries[(o, i)] for o, i in refs)
            listed.append(Finding(rule, _dec(message), indicator, county, named,
                                  dt.date.fromisoformat(as_of) if as_of else None, _dec(params), by))
        return QualityDigest(dt.date.fromisoformat(data["as_of"]), dict(data["summary"]), tuple(listed),
                             int(data["checked"]))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
