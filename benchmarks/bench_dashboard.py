"""Dashboard speed: server-side script runs per page and per filter change (p50/p95), and the
time until charts are drawn in headless Chromium, cold and warm.

Server side: a client speaking Streamlit's websocket protocol asks for a page run and times it
until `script_finished`, so the figure is the script run plus delivery on loopback, with no
browser rendering. The first run of each page fills the cache; the samples are the reruns a
user causes (page loads and filter changes) with a warm cache, as in normal use.

Load curve (`load_curve`, issue 23): N readers at once (1, 5, 10, 20, 40), each rerunning one
page over its own websocket for a fixed time, through the front door (`python -m
pipelines.serve --no-dagster`, 1 and 2 workers), and the same load against the baseline commit
(checked out with `git worktree add`, served by one bare `streamlit run`, as it was), on the
same snapshot in the same run. Per point: p50/p95 per page run and page runs per second; the
result is benchmarks/results/dashboard_load_kalteng.json and dashboard_load_kalteng.svg.

    python -m benchmarks.bench_dashboard --data-dir DIR [--reference-dir DIR] [--kab 62.06]
    python -m benchmarks.bench_dashboard --load --data-dir DIR [--quick]
"""

import argparse
import asyncio
import contextlib
import os
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.common import percentiles, report, results_dir
from tests.browser import (
    CHART,
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    served_dashboard,
    streamlit_alone,
    wait_rendered,
)

PAGES = ("ringkasan", "kabupaten", "isu", "prioritas", "desa", "kualitas-data", "metadata")


async def _run(ws, page: str, query: str) -> float:
    start = time.perf_counter()
    state = ClientState(query_string=query, page_name=page)  # every page has its own slug
    await ws.send(BackMsg(rerun_script=state).SerializeToString())
    while True:
        message = ForwardMsg()
        message.ParseFromString(await ws.recv())
        if message.WhichOneof("type") == "script_finished":
            return time.perf_counter() - start


async def server_side(url: str, kab: str, years: list[int], repeat: int) -> dict:
    uri = url.replace("http://", "ws://") + "/_stcore/stream"
    results = {}
    async with websockets.connect(uri, subprotocols=["streamlit"], max_size=None) as ws:
        for page in PAGES:
            query = f"kab={kab}" if page in ("kabupaten", "prioritas") else ""
            await _run(ws, page, query)  # fills the cache
            samples = [await _run(ws, page, query) for _ in range(repeat)]
            results[page] = percentiles(samples)
        # A filter change: the year and the kabupaten, as a user clicks through them.
        samples = []
        for i in range(repeat):
            query = f"tahun={years[i % len(years)]}&kab={kab if i % 2 else ''}"
            samples.append(await _run(ws, "kabupaten" if i % 2 else "ringkasan", query))
        results["ganti_filter"] = percentiles(samples)
    return {
        k: {"p50_s": round(v["p50"], 3), "p95_s": round(v["p95"], 3), "n": v["n"]}
        for k, v in results.items()
    }


def browser_side(url: str, kab: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        start = time.perf_counter()
        page.goto(url, timeout=120_000)
        page.wait_for_selector(CHART, state="attached", timeout=120_000)
        cold = time.perf_counter() - start
        # Switching page as a user does: a click in the sidebar navigation, same session.
        page.goto(f"{url}/?kab={kab}", timeout=120_000)
        page.wait_for_selector(CHART, state="attached", timeout=120_000)
        warm = []
        for target in ("isu", "kabupaten", "prioritas", "isu"):
            start = time.perf_counter()
            page.click(f'[data-testid="stSidebarNav"] a[href*="/{target}"]')
            page.wait_for_url(f"**/{target}**", timeout=120_000)
            wait_rendered(page, 120_000)
            if target != "prioritas":
                page.wait_for_selector(CHART, state="attached", timeout=120_000)
            warm.append(time.perf_counter() - start)
        browser.close()
    return {
        "cold_first_chart_s": round(cold, 2),
        "warm_page_switch_s": [round(w, 2) for w in warm],
        "warm_switches": "isu, kabupaten, prioritas, isu (sidebar clicks)",
    }


def run(data_dir: Path, kab: str, repeat: int = 20, name: str = "dashboard") -> dict:
    import duckdb

    with duckdb.connect(str(data_dir / "published" / "dasbor.duckdb"), read_only=True) as con:
        years = [r[0] for r in con.execute("select distinct tahun from kpi order by 1").fetchall()]
        kpi_rows = con.execute("select count(*) from kpi").fetchall()[0][0]
    with served_dashboard(data_dir) as url:
        server = asyncio.run(server_side(url, kab, years, repeat))
        browser = browser_side(url, kab)
    worst_p95 = max(v["p95_s"] for v in server.values())
    return report(
        name,
        {
            "kpi_rows": kpi_rows,
            "server_side": server,
            "worst_p95_s": worst_p95,
            "browser": browser,
            "goal": "script run p95 < 0.3 s (Kalteng) / < 1 s (national); warm charts < 1.5 s",
        },
    )


# --- load curve ---------------------------------------------------------------------------------

BASELINE = "8944dfb"
"""The commit measured against (the code as issue 23 found it)."""
LOAD_PAGES = {
    "ringkasan": "tahun=2024",
    "kabupaten": "kab=62.03",
    "prioritas": "",
    "capaian-target": "",
}
SESSIONS = (1, 5, 10, 20, 40)
GOALS = {"p95_20_sessions_s": 1.5, "runs_per_s_20_sessions": 15.0, "p50_1_session_s": 0.1}


def _sticky_cookie(url: str, page: str) -> str | None:
    """The cookie the front door sets on the first GET of a page (which worker holds the
    session): sent with the websocket handshake, or the socket may land on another worker."""
    with urllib.request.urlopen(f"{url}/{page}", timeout=120) as r:
        cookies = [c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies) or None


async def _reader(url: str, page: str, query: str, window: dict, out: dict) -> None:
    """One reader: opens the page (a new session's first run, not measured), waits for every
    reader to be there, then reruns the page until the window closes. A run still going at
    the hard stop counts as unfinished, with its time so far."""
    cookie = await asyncio.to_thread(_sticky_cookie, url, page)
    headers = {"Cookie": cookie} if cookie else None
    uri = url.replace("http://", "ws://") + "/_stcore/stream"
    # no handshake timeout: forty readers opening at once wait for a busy server, as people do
    async with websockets.connect(
        uri,
        subprotocols=["streamlit"],
        max_size=None,
        additional_headers=headers,
        open_timeout=None,
    ) as ws:
        await _run(ws, page, query)
        window["ready"] += 1
        if window["ready"] == window["sessions"] and not window["open"].is_set():
            window["start"] = time.perf_counter()
            window["open"].set()
        await window["open"].wait()
        stop = window["start"] + window["seconds"]
        while time.perf_counter() < stop:
            began = time.perf_counter()
            try:
                await _run(ws, page, query)
            except asyncio.CancelledError:
                out["unfinished"].append(time.perf_counter() - began)
                raise
            ended = time.perf_counter()
            out["samples"].append(ended - began)
            out["in_window"] += ended <= stop


async def _warm(url: str, page: str, query: str) -> None:
    """One run to its end, however long: the server's first run of a page fills its caches."""
    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
    ) as ws:
        await _run(ws, page, query)


async def _point(url: str, page: str, query: str, sessions: int, seconds: float) -> dict:
    out: dict = {"samples": [], "unfinished": [], "in_window": 0}
    window = {"sessions": sessions, "seconds": seconds, "ready": 0, "open": asyncio.Event()}
    tasks = [asyncio.create_task(_reader(url, page, query, window, out)) for _ in range(sessions)]
    # The window opens when every reader has its page, or after a minute with those that do
    # (the rest join late); a reader that fails stops the point with its error.
    opened = asyncio.create_task(window["open"].wait())
    deadline = time.perf_counter() + 60
    while not opened.done():
        done, _ = await asyncio.wait(
            [opened, *tasks], timeout=max(0.1, deadline - time.perf_counter()),
            return_when=asyncio.FIRST_COMPLETED,
        )  # fmt: skip
        failed = [t for t in done if t is not opened and t.exception() is not None]
        if failed:
            for task in tasks:
                task.cancel()
            raise failed[0].exception()
        if time.perf_counter() >= deadline and not opened.done():
            window["start"] = time.perf_counter()
            window["open"].set()
    await opened
    # runs started in the window may finish up to one window later, then they are cut off
    _, pending = await asyncio.wait(tasks, timeout=2 * seconds)
    for task in pending:
        task.cancel()
    for result in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(result, Exception):
            raise result
    samples = out["samples"] + out["unfinished"]
    point = {
        "sessions": sessions,
        "runs": len(out["samples"]),
        "unfinished": len(out["unfinished"]),
        "runs_per_s": round(out["in_window"] / seconds, 2),
    }
    if len(samples) >= 2:
        pct = percentiles(samples)
        point |= {"p50_s": round(pct["p50"], 3), "p95_s": round(pct["p95"], 3)}
        # with unfinished runs in the sample, the percentiles are lower bounds
        point["at_least"] = bool(out["unfinished"])
    else:
        point |= {"p50_s": None, "p95_s": None, "at_least": True}
    return point


@contextlib.contextmanager
def _baseline_tree(commit: str):
    """The baseline commit's files in a temporary git worktree, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="dasbor-baseline-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=REPO,
                       check=True, capture_output=True)  # fmt: skip
        try:
            yield tree
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO,
                           check=False, capture_output=True)  # fmt: skip


def load_curve(
    data_dir: Path,
    *,
    pages: dict[str, str] = LOAD_PAGES,
    sessions: tuple[int, ...] = SESSIONS,
    workers: tuple[int, ...] = (1, 2),
    seconds: float = 12.0,
    baseline: str | None = BASELINE,
    name: str = "dashboard_load_kalteng",
) -> dict:
    """The load curve of each page for each setup, points interleaved (page, N, setup) so the
    machine's noise falls on every setup alike; ratios are baseline over current."""
    setups: dict[str, contextlib.AbstractContextManager] = {
        f"{w}_pekerja": served_dashboard(data_dir, workers=w) for w in workers
    }
    with contextlib.ExitStack() as stack:
        if baseline is not None:
            tree = stack.enter_context(_baseline_tree(baseline))
            setups = {"baseline": streamlit_alone(data_dir, tree), **setups}
        urls = {label: stack.enter_context(server) for label, server in setups.items()}
        curves: dict[str, dict[str, list]] = {label: {} for label in urls}
        for page, query in pages.items():
            for url in urls.values():
                asyncio.run(_warm(url, page, query))
            for n in sessions:
                for label, url in urls.items():
                    point = asyncio.run(_point(url, page, query, n, seconds))
                    curves[label].setdefault(page, []).append(point)
                    print(label, page, point, flush=True)  # noqa: T201 - progress
    record = {
        "snapshot": str(data_dir),
        "baseline_commit": baseline,
        "seconds_per_point": seconds,
        "pages": pages,
        "goals": GOALS,
        "curves": curves,
        "ratios_baseline_over_current": _ratios(curves),
        "goals_met": _goals_met(curves),
    }
    result = report(name, record)
    plot = results_dir() / f"{name}.svg"
    plot.write_text(svg_plot(curves), encoding="utf-8")
    return result


def _at(points: list[dict], n: int) -> dict | None:
    return next((p for p in points if p["sessions"] == n), None)


def _ratios(curves: dict) -> dict:
    """baseline / current per page, setup and N: p95 (higher is better) and runs/s (the
    current's over the baseline's)."""
    if "baseline" not in curves:
        return {}
    result: dict = {}
    for label, by_page in curves.items():
        if label == "baseline":
            continue
        for page, points in by_page.items():
            for point in points:
                old = _at(curves["baseline"][page], point["sessions"])
                if old is None:
                    continue
                entry = {}
                if old["p95_s"] and point["p95_s"]:
                    entry["p95_faster_x"] = round(old["p95_s"] / point["p95_s"], 1)
                if old["runs_per_s"] and point["runs_per_s"]:
                    entry["runs_per_s_x"] = round(point["runs_per_s"] / old["runs_per_s"], 1)
                result.setdefault(label, {}).setdefault(page, {})[point["sessions"]] = entry
    return result


def _goals_met(curves: dict) -> dict:
    result: dict = {}
    for label, by_page in curves.items():
        if label == "baseline":
            continue
        for page, points in by_page.items():
            one, twenty = _at(points, 1), _at(points, 20)
            checks = {}
            if one and one["p50_s"] is not None:
                checks["p50_1_session"] = one["p50_s"] <= GOALS["p50_1_session_s"]
            if twenty:
                checks["p95_20_sessions"] = (
                    twenty["p95_s"] is not None
                    and not twenty["at_least"]
                    and twenty["p95_s"] <= GOALS["p95_20_sessions_s"]
                )
                checks["runs_per_s_20_sessions"] = (
                    twenty["runs_per_s"] >= GOALS["runs_per_s_20_sessions"]
                )
            result.setdefault(label, {})[page] = checks
    return result


def svg_plot(curves: dict, width: int = 980, panel_h: int = 260) -> str:
    """p95 per page run against readers, one panel per page, one line per setup, log scale;
    drawn as plain SVG (no plotting library or browser needed)."""
    import math

    colours = {"baseline": "#b2182b", "1_pekerja": "#2c6fbb", "2_pekerja": "#1b9e77"}
    labels = {"baseline": f"sebelum ({BASELINE}, 1 proses)", "1_pekerja": "sekarang, 1 pekerja",
              "2_pekerja": "sekarang, 2 pekerja"}  # fmt: skip
    pages = list(next(iter(curves.values())).keys()) if curves else []
    cols = 2
    rows = max(1, math.ceil(len(pages) / cols))
    pw, margin = width // cols, {"l": 56, "r": 16, "t": 34, "b": 40}
    height = rows * panel_h + 40
    lo, hi = 0.01, 100.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           'font-family="Arial, sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>']  # fmt: skip
    for i, page in enumerate(pages):
        x0, y0 = (i % cols) * pw, (i // cols) * panel_h
        ax_w, ax_h = pw - margin["l"] - margin["r"], panel_h - margin["t"] - margin["b"]
        sessions = sorted({p["sessions"] for c in curves.values() for p in c.get(page, [])})
        if not sessions:
            continue

        def sx(n, x0=x0, ax_w=ax_w, sessions=sessions):
            k = sessions.index(n)
            return x0 + margin["l"] + (ax_w * k / max(1, len(sessions) - 1))

        def sy(v, y0=y0, ax_h=ax_h):
            v = min(max(v, lo), hi)
            return y0 + margin["t"] + ax_h * (1 - (math.log10(v) - math.log10(lo)) / 4)

        out.append(f'<text x="{x0 + margin["l"]}" y="{y0 + 20}" font-weight="bold">'
                   f"{page}: p95 per page run (detik)</text>")  # fmt: skip
        for v in (0.01, 0.1, 1, 10, 100):
            y = sy(v)
            out.append(f'<line x1="{x0 + margin["l"]}" x2="{x0 + margin["l"] + ax_w}" y1="{y:.1f}" '
                       f'y2="{y:.1f}" stroke="#e6e6e6"/>')  # fmt: skip
            out.append(f'<text x="{x0 + margin["l"] - 6}" y="{y + 4:.1f}" text-anchor="end">'
                       f"{v:g}</text>")  # fmt: skip
        y15 = sy(1.5)
        out.append(f'<line x1="{x0 + margin["l"]}" x2="{x0 + margin["l"] + ax_w}" y1="{y15:.1f}" '
                   f'y2="{y15:.1f}" stroke="#111" stroke-dasharray="4 3"/>')  # fmt: skip
        out += [f'<text x="{sx(n):.1f}" y="{y0 + panel_h - margin["b"] + 16}" '
                f'text-anchor="middle">{n}</text>' for n in sessions]  # fmt: skip
        out.append(f'<text x="{x0 + margin["l"] + ax_w / 2}" y="{y0 + panel_h - 8}" '
                   'text-anchor="middle">pembaca bersamaan</text>')  # fmt: skip
        for label, by_page in curves.items():
            pts = [(p["sessions"], p["p95_s"]) for p in by_page.get(page, []) if p["p95_s"]]
            if not pts:
                continue
            path = " ".join(f"{sx(n):.1f},{sy(v):.1f}" for n, v in pts)
            colour = colours.get(label, "#555")
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       'stroke-width="2.5"/>')  # fmt: skip
            out += [f'<circle cx="{sx(n):.1f}" cy="{sy(v):.1f}" r="3.5" fill="{colour}"/>'
                    for n, v in pts]  # fmt: skip
    legend_y = height - 12
    for k, label in enumerate(curves):
        x = 20 + k * 260
        out.append(f'<rect x="{x}" y="{legend_y - 10}" width="14" height="4" '
                   f'fill="{colours.get(label, "#555")}"/>')  # fmt: skip
        out.append(f'<text x="{x + 20}" y="{legend_y - 4}">{labels.get(label, label)}</text>')
    out.append(f'<text x="{width - 20}" y="{legend_y - 4}" text-anchor="end">'
               "garis putus-putus: sasaran 1,5 s</text>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--reference-dir", type=Path)
    parser.add_argument("--kab", default="62.06")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--name", default="dashboard")
    parser.add_argument("--load", action="store_true", help="the load curve (issue 23)")
    parser.add_argument("--quick", action="store_true", help="a short load curve, for a smoke run")
    parser.add_argument("--seconds", type=float, default=12.0, help="per load-curve point")
    args = parser.parse_args()
    if args.reference_dir:
        os.environ["DASBOR_REFERENCE_DIR"] = str(args.reference_dir)
    if args.load and args.quick:
        load_curve(args.data_dir, pages={"ringkasan": "tahun=2024"}, sessions=(1, 2),
                   workers=(1,), seconds=2.0, baseline=None,
                   name="dashboard_load_quick")  # fmt: skip
    elif args.load:
        load_curve(args.data_dir, seconds=args.seconds)
    else:
        run(args.data_dir, args.kab, args.repeat, args.name)
