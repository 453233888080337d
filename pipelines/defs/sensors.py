"""The whole-pipeline job, and the inbox sensor that starts it when files arrive.

A file is ready only when its size and modification time are the same on two looks in a row
and it is not a lock or partial file (`~$x.xlsx`, `.part`, `.tmp`), so nothing is read while it
is still being copied. The run key carries each ready file's content hash (and mtime), so a
corrected file with the same name runs again, while the same tick seen twice launches once.
"""

import hashlib
import json

import dagster as dg

from pipelines.contracts.datasets import DATASETS
from pipelines.ingest.inbox import pending_files, sha256_of
from pipelines.settings import Settings

dasbor_lengkap = dg.define_asset_job(
    "dasbor_lengkap",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("laporan"),
    description="Ambil semua berkas di inbox, hitung ulang KPI, lalu terbitkan snapshot.",
)


def scan_inbox(settings: Settings) -> dict[str, list[int]]:
    """{dataset/name: [size, mtime_ns]} for every candidate file in every inbox folder."""
    seen = {}
    for dataset in DATASETS:
        for path in pending_files(settings.inbox(dataset)):
            stat = path.stat()
            seen[f"{dataset}/{path.name}"] = [stat.st_size, stat.st_mtime_ns]
    return seen


def ready_files(previous: dict[str, list[int]], current: dict[str, list[int]]) -> list[str]:
    """Files whose size and mtime did not change since the previous look."""
    return sorted(key for key, stat in current.items() if previous.get(key) == stat)


@dg.sensor(
    job=dasbor_lengkap,
    minimum_interval_seconds=5,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Memantau folder inbox/<dataset>/ dan menjalankan pipeline saat berkas masuk.",
)
def inbox_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    settings = Settings.from_env()
    settings.ensure_dirs()
    cursor = json.loads(context.cursor) if context.cursor else {}
    previous = cursor.get("seen", {})
    launched = set(cursor.get("launched", []))
    current = scan_inbox(settings)
    ready = ready_files(previous, current)

    identities = []
    for key in ready:
        _size, mtime = current[key]
        digest = sha256_of(settings.inbox_dir / key)
        identities.append(f"{key}:{digest}:{mtime}")
    fresh = [i for i in identities if i not in launched]
    new_cursor = json.dumps({"seen": current, "launched": sorted(set(identities))})
    if not fresh:
        waiting = len(current) - len(ready)
        return dg.SensorResult(
            skip_reason=f"{waiting} berkas masih disalin" if waiting else "inbox kosong",
            cursor=new_cursor,
        )
    run_key = "inbox-" + hashlib.sha256("|".join(identities).encode()).hexdigest()[:32]
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=run_key,
                tags={"dasbor/berkas": ", ".join(i.split(":")[0] for i in fresh)[:1000]},
            )
        ],
        cursor=new_cursor,
    )
