"""A cache of the parsed, validated ledger, so that large ledgers load fast.

The ledger TOML file is the only truth; this cache is derived from it and a reader uses
it only when it provably describes the exact bytes of the ledger file: the meta holds the
SHA-256 of every byte range of the ledger (``segments``: the whole file as last parsed,
then one range per append), plus the plan's fingerprint and this format's version. A
reader hashes the file against them; any change (an append, an edit by hand that keeps
the size and the mtime, a truncation) breaks a hash, and the cache is ignored and
rebuilt. Deleting the cache is always safe. Only a ledger that loaded without a problem
is ever cached.

A writer (holding the ledger lock) may skip the hashing when the file's ``stat``
signature (device, inode, size, mtime, ctime) is the one recorded when the ranges were
last proved: any write to the file changes its ctime, which cannot be set back. That
keeps ``record`` from re-reading a large ledger; every reader still checks the bytes.

Layout, per ledger (``KEY`` = hash of the ledger's absolute path):

* ``KEY.meta.json`` — ``{version, ledger, segments, plan, generation, rows_size, count,
  max_id, stat}``, replaced atomically;
* ``KEY.GENERATION.rows`` — marshal frames, each ``(sha256, payload)`` where payload is a
  marshalled list of rows (one tuple per entry); a frame whose digest does not match its
  payload makes the whole cache unusable, so a damaged cache file is never trusted.
  A generation file is only appended to (by a writer holding the ledger lock), so the
  first ``rows_size`` bytes named by a meta file are always the rows it describes.

Rows hold only ints, floats, strings, bools and None (``marshal``, not pickle: loading
a cache can never run code). Nothing here prints; every failure means "no cache".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import marshal
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from .models import Entry, State

FORMAT_VERSION = 3
CACHE_ENV = "EDUPLAN_CACHE_DIR"


def cache_dir() -> Path | None:
    env = os.environ.get(CACHE_ENV)
    if env == "":
        return None  # EDUPLAN_CACHE_DIR= (empty) turns the cache off
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "eduplan"


def _key(ledger: Path) -> str:
    return hashlib.sha256(str(ledger.resolve()).encode()).hexdigest()[:24]


MAX_SEGMENTS = 64  # past this many appends, a writer hashes the whole file into one range
_CHUNK = 1 << 20


def signature(st: os.stat_result) -> tuple[int, ...]:
    """What any write to a file changes (ctime cannot be set back by a user)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclasses.dataclass(frozen=True)
class Meta:
    segments: tuple[tuple[int, int, str], ...]  # (start, end, sha256) covering [0, size)
    plan: str
    generation: str
    rows_size: int
    count: int
    max_id: int
    stat: tuple[int, ...] | None = None  # the ledger's signature when the segments were proved

    @property
    def size(self) -> int:
        return self.segments[-1][1] if self.segments else 0

    def __post_init__(self) -> None:
        at = 0
        for start, end, digest in self.segments:
            if start != at or end < start or not isinstance(digest, str):
                raise ValueError("segments must cover the file without gaps")
            at = end
        if not all(isinstance(v, int) for v in (self.rows_size, self.count, self.max_id)):
            raise TypeError("sizes and counts are integers")


FRAME_ROWS = 4096
_STATES = {s.value: s for s in State}


def _shared(text: str | None) -> str | None:
    # The same string object for repeated texts: marshal writes it once and refers back.
    return sys.intern(text) if text is not None else None


def encode(e: Entry) -> tuple:
    return (
        e.id, _shared(e.indicator), e.as_of.toordinal(), _shared(e.by), _shared(e.recorded_at.isoformat()),
        _shared(e.county), e.value, e.numerator, e.denominator, e.state.value if e.state else None,
        e.supersedes, e.void, e.reason, e.note, e.source, _shared(e.batch),
    )


_dates: dict[int, dt.date] = {}  # one object per distinct day and time, shared by entries
_times: dict[str, dt.datetime] = {}


def decode(row: Sequence) -> Entry:
    (id_, indicator, as_of, by, recorded_at, county, value, numerator, denominator, state,
     supersedes, void, reason, note, source, batch) = row
    day = _dates.get(as_of)
    if day is None:
        day = _dates[as_of] = dt.date.fromordinal(as_of)
    stamp = _times.get(recorded_at)
    if stamp is None:
        stamp = _times[recorded_at] = dt.datetime.fromisoformat(recorded_at)
    return Entry(
        id_, indicator, day, by, stamp, county, value, numerator, denominator,
        _STATES[state] if state else None, supersedes, void, reason, note, source, batch,
    )


class PlanCache:
    """A validated plan as plain data, under a key made of the plan's bytes and the rules."""

    def __init__(self, key: str):
        root = cache_dir()
        self.path = root / f"plan-{key[:32]}.json" if root else None

    def load(self) -> dict | None:
        if self.path is None:
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == FORMAT_VERSION else None

    def store(self, data: dict) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data | {"version": FORMAT_VERSION}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass


def _frame(rows: list[tuple]) -> bytes:
    payload = marshal.dumps(rows)
    return marshal.dumps((hashlib.sha256(payload).digest(), payload))


class LedgerCache:
    """The cache of one ledger file for one plan."""

    def __init__(self, ledger: Path, plan_fingerprint: str):
        self.ledger = ledger
        self.plan = plan_fingerprint
        root = cache_dir()
        self.root = root
        self.key = _key(ledger) if root else ""

    @property
    def _meta_path(self) -> Path:
        assert self.root is not None
        return self.root / f"{self.key}.meta.json"

    def _rows_path(self, generation: str) -> Path:
        assert self.root is not None
        return self.root / f"{self.key}.{generation}.rows"

    def meta(self) -> Meta | None:
        """The cache's description of the ledger (not yet checked against the file)."""
        if self.root is None:
            return None
        try:
            raw = json.loads(self._meta_path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                return None
            if raw.pop("version") != FORMAT_VERSION or raw.pop("ledger") != str(self.ledger.resolve()):
                return None
            raw["segments"] = tuple(tuple(seg) for seg in raw["segments"])
            raw["stat"] = tuple(raw["stat"]) if raw.get("stat") is not None else None
            meta = Meta(**raw)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return meta if meta.plan == self.plan else None

    @staticmethod
    def proves(meta: Meta, fh) -> bool:
        """Do the bytes of the open ledger file hash exactly to the meta's segments?"""
        if os.fstat(fh.fileno()).st_size != meta.size:
            return False
        fh.seek(0)
        for start, end, digest in meta.segments:
            hasher = hashlib.sha256()
            left = end - start
            while left:
                chunk = fh.read(min(_CHUNK, left))
                if not chunk:
                    return False
                hasher.update(chunk)
                left -= len(chunk)
            if hasher.hexdigest() != digest:
                return False
        return True

    def entries(self, meta: Meta) -> list[Entry] | None:
        try:
            with open(self._rows_path(meta.generation), "rb") as fh:
                data = fh.read(meta.rows_size)
            if len(data) != meta.rows_size:
                return None
            stream = io.BytesIO(data)
            del data
            out: list[Entry] = []
            while stream.tell() < meta.rows_size:
                digest, payload = marshal.load(stream)
                if hashlib.sha256(payload).digest() != digest:
                    return None
                out.extend(decode(r) for r in marshal.loads(payload))
        except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError):
            return None
        return out if len(out) == meta.count else None

    def _write_meta(self, meta: Meta) -> None:
        data = dataclasses.asdict(meta) | {"version": FORMAT_VERSION, "ledger": str(self.ledger.resolve())}
        tmp = self._meta_path.with_name(f"{self._meta_path.name}.{os.urandom(4).hex()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self._meta_path)

    def store(self, size: int, sha256: str, entries: Sequence[Entry], stat: tuple[int, ...] | None) -> Meta | None:
        """Cache a freshly parsed and validated ledger (its bytes' size and hash) as a new generation."""
        if self.root is None:
            return None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            generation = os.urandom(6).hex()
            rows = [encode(e) for e in entries]
            blob = b"".join(_frame(rows[i:i + FRAME_ROWS]) for i in range(0, len(rows), FRAME_ROWS))
            self._rows_path(generation).write_bytes(blob)
            meta = Meta(((0, size, sha256),) if size else (), self.plan, generation, len(blob), len(entries),
                        max((e.id for e in entries), default=0), stat)
            self._write_meta(meta)
            for old in self.root.glob(f"{self.key}.*.rows"):
                if old.name != self._rows_path(generation).name:
                    old.unlink(missing_ok=True)
            return meta
        except OSError:
            return None

    def extend(self, meta: Meta, segments: tuple[tuple[int, int, str], ...], new: Iterable[Entry],
               stat: tuple[int, ...] | None) -> None:
        """Record an append: the ledger's new byte ranges, the new rows (called under the ledger lock)."""
        if self.root is None:
            return
        new = list(new)
        try:
            blob = _frame([encode(e) for e in new])
            with open(self._rows_path(meta.generation), "r+b") as fh:
                fh.truncate(meta.rows_size)  # drop what a crashed writer may have left
                fh.seek(meta.rows_size)
                fh.write(blob)
            self._write_meta(dataclasses.replace(
                meta, segments=segments, rows_size=meta.rows_size + len(blob), count=meta.count + len(new),
                max_id=max([meta.max_id, *(e.id for e in new)]), stat=stat,
            ))
        except OSError:
            pass
