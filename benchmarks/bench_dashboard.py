"""Dashboard speed: server-side script runs per page and per filter change (p50/p95), and the
time until charts are drawn in headless Chromium, cold and warm.

Server side: a client speaking Streamlit's websocket protocol asks for a page run and times it
until `script_finished`, so the figure is the script run plus delivery on loopback, with no
browser rendering. The first run of each page fills the cache; the samples are the reruns a
user causes (page loads and filter changes) with a warm cache, as in normal use.

    python -m benchmarks.bench_dashboard --data-dir DIR [--reference-dir DIR] [--kab 62.06]
"""

import argparse
import asyncio
import os
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.common import percentiles, report
from tests.browser import CHART, CHROMIUM, CHROMIUM_ARGS, served_dashboard, wait_rendered

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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--reference-dir", type=Path)
    parser.add_argument("--kab", default="62.06")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--name", default="dashboard")
    args = parser.parse_args()
    if args.reference_dir:
        os.environ["DASBOR_REFERENCE_DIR"] = str(args.reference_dir)
    run(args.data_dir, args.kab, args.repeat, args.name)
