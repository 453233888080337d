"""The published snapshot: pinned once per page run, read on short-lived read-only connections.

- Each page run pins the snapshot it started with (a hard link, see `pin`), so a page never
  mixes two publishes.
- Each query opens an in-memory DuckDB connection, ATTACHes the pinned file READ_ONLY, reads
  and closes: no connection outlives a query, so the dashboard never blocks the pipeline and
  never keeps an old snapshot open (DuckDB caches database instances by path).
- `@snapshot_query` caches a query's result with `st.cache_data`, keyed by the snapshot
  version and the arguments: a newer snapshot has a new version, so it shows on the next
  interaction without a restart.
"""

import contextvars
import functools
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboards.data.settings import CACHE_TTL_S, snapshot_path

Version = tuple[str, int, int, int]
"""(path, inode, mtime_ns, size): changes whenever os.replace puts a new snapshot in place."""


class SnapshotMissing(RuntimeError):
    """No snapshot has been published yet."""


class SnapshotUnreadable(RuntimeError):
    """The snapshot exists but could not be read (wrong schema, damaged file)."""


class SnapshotBusy(SnapshotUnreadable):
    """Another process holds a write lock on the snapshot (DuckDB has no lock wait)."""


# --- one snapshot per page run ------------------------------------------------------------
# A page run makes several cached reads. If the pipeline swapped in a new snapshot between two
# of them, the page would mix two snapshots. So each run pins the snapshot it started with: a
# hard link to that file (same inode, immutable once published) under published/.pins/, and
# every read of the run goes through the link. os.replace of the published path cannot change
# what a link points to. Where the data directory is read-only, reads fall back to the path.

PIN_DIR_NAME = ".pins"
PINS_KEPT = 4
_PIN_KEY = "_snapshot_pin"


def _in_run() -> bool:
    """True inside a Streamlit script run (a page load), where a pin lives for the run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx(suppress_warning=True) is not None


def _pin_dir() -> Path:
    return snapshot_path().parent / PIN_DIR_NAME


def pin() -> Version | None:
    """Pin the current snapshot for this page run; None when nothing is published yet."""
    path = snapshot_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        if _in_run():
            st.session_state.pop(_PIN_KEY, None)
        return None
    pinned = _link(path)
    if pinned is not None:
        path, stat = pinned, pinned.stat()
    v = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if _in_run():
        st.session_state[_PIN_KEY] = v
    return v


def _link(path: Path) -> Path | None:
    """A hard link to the snapshot at `path`, named by its inode; None if links are impossible."""
    folder = _pin_dir()
    try:
        folder.mkdir(exist_ok=True)
        tmp = folder / f"tmp-{os.getpid()}-{id(folder)}.duckdb"
        tmp.unlink(missing_ok=True)
        os.link(path, tmp)  # the link, not the path, decides the version from here on
        stat = tmp.stat()
        target = folder / f"{stat.st_ino}-{stat.st_mtime_ns}.duckdb"
        if target.exists():
            tmp.unlink()
        else:
            os.replace(tmp, target)
        _prune(folder)
        return target
    except OSError:
        return None


def _prune(folder: Path) -> None:
    """Keep the newest pins: a run still reading an older one keeps its inode open anyway."""
    pins = sorted(folder.glob("*-*.duckdb"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in pins[PINS_KEPT:]:
        old.unlink(missing_ok=True)


def version() -> Version | None:
    """The snapshot this page run reads: the one pinned at its start, else pinned now."""
    pinned = st.session_state.get(_PIN_KEY) if _in_run() else None
    if pinned is not None and Path(pinned[0]).exists():
        return pinned
    return pin()


def is_available() -> bool:
    return version() is not None


def required_version() -> Version:
    v = version()
    if v is None:
        raise SnapshotMissing(str(snapshot_path()))
    return v


# --- the one place that talks to DuckDB ----------------------------------------------------

_reading: contextvars.ContextVar[Version] = contextvars.ContextVar("snapshot_being_read")


def current_path() -> Path:
    """The file the running `@snapshot_query` reads (the page run's pin)."""
    try:
        return Path(_reading.get()[0])
    except LookupError:
        raise RuntimeError("read() is only for functions decorated with @snapshot_query") from None


def read_many(queries: Sequence[tuple[str, Sequence[Any]]]) -> list[pd.DataFrame]:
    """Run parameterised queries against the snapshot on one short-lived connection."""
    path = str(current_path())
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS snap (READ_ONLY)", [path])
        con.execute("USE snap")
        return [con.execute(sql, list(params)).df() for sql, params in queries]
    except duckdb.IOException as e:
        if not Path(path).exists():
            raise SnapshotMissing(path) from e
        if "lock" in str(e).lower():
            raise SnapshotBusy(str(e)) from e
        raise SnapshotUnreadable(str(e)) from e
    except duckdb.Error as e:
        raise SnapshotUnreadable(str(e)) from e
    finally:
        con.close()


def read(sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """One parameterised query against the snapshot (inside a `@snapshot_query` function)."""
    return read_many([(sql, params)])[0]


_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def table_name(name: str) -> str:
    """A table name for SQL, quoted. Names cannot be bound as `?`, so only plain lower-case
    identifiers (as the snapshot's own catalogue names them) are accepted."""
    if not _IDENTIFIER.fullmatch(name):
        raise SnapshotUnreadable(f"nama tabel tidak sah: {name!r}")
    return f'"{name}"'


P = ParamSpec("P")
R = TypeVar("R")


def snapshot_query(func: Callable[P, R] | None = None, *, max_entries: int = 256) -> Any:
    """Cache a read of the snapshot on (snapshot version, arguments).

    The decorated function calls `read(...)`/`read_many(...)`; it reads the snapshot pinned for
    this page run, and raises SnapshotMissing when nothing is published. Arguments must be
    hashable by `st.cache_data` (values, lists, tuples).
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        def in_snapshot(v: Version, /, *args: Any, **kwargs: Any) -> R:
            token = _reading.set(v)
            try:
                return func(*args, **kwargs)
            finally:
                _reading.reset(token)

        # st.cache_data keys a function's cache on its module and qualified name: one cache
        # per decorated function. (No functools.wraps here: its __wrapped__ would make
        # Streamlit name the arguments after func's, one place off.)
        in_snapshot.__module__ = func.__module__
        in_snapshot.__name__, in_snapshot.__qualname__ = func.__name__, func.__qualname__
        cached = st.cache_data(ttl=CACHE_TTL_S, max_entries=max_entries, show_spinner=False)(
            in_snapshot
        )

        @functools.wraps(func)
        def query(*args: P.args, **kwargs: P.kwargs) -> R:
            return cached(required_version(), *args, **kwargs)

        return query

    return decorate(func) if func is not None else decorate
