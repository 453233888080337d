"""The published snapshot: pinned once per page run, read on short-lived read-only connections.

- Each page run pins the snapshot it started with (a hard link, see `pin`), so a page never
  mixes two publishes.
- Each query opens an in-memory DuckDB connection, ATTACHes the pinned file READ_ONLY, reads
  and closes: no connection outlives a query, so the dashboard never blocks the pipeline and
  never keeps an old snapshot open (DuckDB caches database instances by path).
- `@snapshot_query` caches a query's result, keyed by the snapshot version and the
  arguments: a newer snapshot has a new version, so it shows on the next interaction without a
  restart. `@snapshot_view` keeps what a page builds from those results (figures, display
  tables) under the same key.
"""

import contextvars
import functools
import os
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


P = ParamSpec("P")
R = TypeVar("R")


def _own_copy(value: Any, top: bool = True) -> Any:
    """A cached result the caller may change freely, made without copying data: pandas'
    copy-on-write gives a shallow copy its own columns the moment it is written to, so the
    cached frame never changes. A dict or list result is copied (one level), with shallow
    copies of the frames in it; other results (values, tuples, frozensets) are immutable."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if top and isinstance(value, dict):
        return {k: _own_copy(v, top=False) for k, v in value.items()}
    if top and isinstance(value, list):
        return [_own_copy(v, top=False) for v in value]
    return value


def _cached_per_version(
    func: Callable[..., R], max_entries: int, copy: bool, reads: bool
) -> Callable[..., R]:
    """func cached with `st.cache_resource` on (snapshot version, arguments).

    cache_resource, not cache_data: cache_data unpickles a fresh copy on every call, which was
    most of a warm page run's time (twenty readers each load every page's frames many times).
    With `copy`, each caller gets its own shallow copy (see `_own_copy`); without, every caller
    gets the very same object, which callers must treat as read-only.
    """

    def in_snapshot(v: Version, /, *args: Any, **kwargs: Any) -> R:
        if not reads:
            return func(*args, **kwargs)
        token = _reading.set(v)
        try:
            return func(*args, **kwargs)
        finally:
            _reading.reset(token)

    # Streamlit keys a function's cache on its module and qualified name: one cache per
    # decorated function. (No functools.wraps here: its __wrapped__ would make Streamlit name
    # the arguments after func's, one place off.)
    in_snapshot.__module__ = func.__module__
    in_snapshot.__name__, in_snapshot.__qualname__ = func.__name__, func.__qualname__
    cached = st.cache_resource(ttl=CACHE_TTL_S, max_entries=max_entries, show_spinner=False)(
        in_snapshot
    )

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> R:
        result = cached(required_version(), *args, **kwargs)
        return _own_copy(result) if copy else result

    return call


def snapshot_query(func: Callable[P, R] | None = None, *, max_entries: int = 256) -> Any:
    """Cache a read of the snapshot on (snapshot version, arguments).

    The decorated function calls `read(...)`/`read_many(...)`; it reads the snapshot pinned for
    this page run, and raises SnapshotMissing when nothing is published. Arguments must be
    hashable by Streamlit's caches (values, lists, tuples). Each caller gets its own copy of
    the result to change as it likes (see `_own_copy`).
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        return _cached_per_version(func, max_entries, copy=True, reads=True)

    return decorate(func) if func is not None else decorate


def snapshot_view(func: Callable[P, R] | None = None, *, max_entries: int = 64) -> Any:
    """Keep what a page builds from the snapshot (a Plotly figure, a display table, a lookup)
    on (snapshot version, arguments), so a warm page run only sends it.

    The decorated function builds from `data.*` reads and the arguments alone (filter values,
    never a widget or `st.*` call). Every caller gets the same object: treat it as read-only
    (st.plotly_chart and st.dataframe only read what they are given). A new snapshot has a
    new version, so it is built again on the next run that asks for it.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        return _cached_per_version(func, max_entries, copy=False, reads=False)

    return decorate(func) if func is not None else decorate


@snapshot_view(max_entries=256)
def kept(key: tuple[Any, ...], *, _build: Callable[[], R]) -> R:
    """`_build()`, kept on (snapshot version, `key`): what a page builds for its filters.

    `key` names the section and every filter value it depends on (e.g. `("peta_desa", kab,
    tahun, kpi_id)`); `_build` reads only the snapshot and those values. Streamlit hashes the
    key alone (a leading underscore exempts `_build`), so a warm run neither rebuilds nor
    fingerprints the content. Shared like `@snapshot_view` results: read-only.
    """
    return _build()
