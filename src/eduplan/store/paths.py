"""Where the files are, and which real file a path reaches.

Resolution order (the command line maps its flags onto the ``option`` arguments):

* plan: ``--plan``, then ``$EDUPLAN_PLAN``, then the bundled ``data/plan-2023.toml``;
* ledger: ``--ledger``, then ``$EDUPLAN_LEDGER``, then ``$XDG_DATA_HOME/eduplan/PLAN-ID.ledger.toml``;
* cache (the plan cache and the ledger index): ``$EDUPLAN_CACHE_DIR`` (empty: none), then
  ``$XDG_CACHE_HOME/eduplan``.

Everything that protects a file (its lock, "is this the ledger?") goes by the real file a
path reaches, through any symbolic links, never by the name it was given.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..errors import EduplanError, UsageError, os_error
from ..i18n import N_, msg

PLAN_ENV = "EDUPLAN_PLAN"
LEDGER_ENV = "EDUPLAN_LEDGER"
CACHE_ENV = "EDUPLAN_CACHE_DIR"
BUNDLED_PLAN = "plan-2023.toml"


def bundled_plan_path() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / BUNDLED_PLAN


def resolve_plan_path(option: str | os.PathLike | None) -> Path:
    if option is not None:
        return _given(option, "plan")
    env = os.environ.get(PLAN_ENV)
    if env:
        return Path(env)
    return bundled_plan_path()


def default_ledger_path(plan_id: str) -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "eduplan" / f"{plan_id}.ledger.toml"


def _given(option: str | os.PathLike, field: str) -> Path:
    """A path given on the command line: ``--ledger ""`` is no path (Path("") would be the current folder)."""
    if str(option) == "":
        raise UsageError(msg("the file name is empty"), field=field)
    return Path(option)


def resolve_ledger_path(option: str | os.PathLike | None, plan_id: str | Callable[[], str]) -> Path:
    """``--ledger``, else ``$EDUPLAN_LEDGER``, else the plan's default ledger (``plan_id`` may be
    a function: the plan is then read only where its id is needed)."""
    if option is not None:
        return _given(option, "ledger")
    env = os.environ.get(LEDGER_ENV)
    if env:
        return Path(env)
    return default_ledger_path(plan_id() if callable(plan_id) else plan_id)


def cache_dir() -> Path | None:
    env = os.environ.get(CACHE_ENV)
    if env == "":
        return None  # EDUPLAN_CACHE_DIR= (empty) turns the cache and the stored index off
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "eduplan"


def key_of(path: Path) -> str:
    return hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def real_path(path: Path) -> Path:
    """The file ``path`` reaches through symbolic links (it may not exist yet).

    A link that points to itself, or a chain too long, is an error with the path named; so is a
    path that is not text (bytes that are not UTF-8: a name a zip from another system left in
    GBK), which no message, index or ledger folder could name.
    """
    if str(path) == "":
        raise EduplanError(msg("the file name is empty"))
    if not str(path).isascii():
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:
            shown = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise EduplanError(msg("{path}: the name is not UTF-8 text (written in another encoding?); rename it",
                                   path=shown)) from None
    try:
        os.stat(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise os_error(path, exc, N_("following its symbolic links")) from None
        if exc.errno == errno.ENOTDIR:
            raise EduplanError(msg("{path}: a part of the path is not a folder", path=str(path))) from None
    return Path(os.path.realpath(path))


class NotRegular(OSError):
    """What :func:`read_regular` found instead of a regular file; ``kind`` says what (a msgid)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes, opened without blocking (a FIFO does not hang the command) and
    checked on what was opened (not on a name that could be swapped meanwhile); anything else
    raises :class:`NotRegular`, and a file over ``limit`` bytes (a link to a huge file) too."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        kind = file_kind(st)
        if kind is not None:
            raise NotRegular(kind)
        if limit is not None and st.st_size > limit:
            raise NotRegular(N_("a file too large for what it holds"))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read() if limit is None else fh.read(limit + 1)
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise NotRegular(N_("a file too large for what it holds"))
    return data


def file_kind(st: os.stat_result) -> str | None:
    """None for a regular file, else what it is (for a message)."""
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return N_("a folder")
    if stat.S_ISFIFO(mode):
        return N_("a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return N_("a device")
    if stat.S_ISSOCK(mode):
        return N_("a socket")
    return N_("not a regular file")


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def not_utf8(raw: bytes):
    """Why bytes are not UTF-8 text, and what to do, as a message: a file a Windows editor saved
    as UTF-16 or in the Chinese code page (GBK/GB18030) says so (staff open and save plans and
    ledgers in Notepad or WPS)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > 20:
        return msg("not UTF-8 text: the file is saved as UTF-16; save it again as UTF-8 (Save as, encoding UTF-8)")
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return msg("not UTF-8 text; save it again as UTF-8 (Save as, encoding UTF-8)")
    return msg("not UTF-8 text: the file looks saved as GBK (GB18030); save it again as UTF-8 (Save as, encoding UTF-8)")
