"""Where the pipeline reads and writes, taken from the environment once per call.

`DASBOR_DATA_DIR` is the one root of docs/contracts.md. The province is configuration, not a
constant: `DASBOR_PROVINSI` and `DASBOR_REFERENCE_DIR` choose the region list and crosswalk, so
the same pipeline runs for another province or, with the synthetic national reference, for the
whole country.
"""

import os
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr
from pathlib import Path

from pengguna import setelan  # the environment's shared settings, read in one place
from pipelines.contracts.datasets import DATASETS

# The pipeline's rooms take the upload sidecar's name from here (ingest never imports akun).
SIDECAR_SUFFIX = setelan.SIDECAR_SUFFIX

REPO_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = REPO_ROOT / "sql"
# The most memory DuckDB may hold for the warehouse (its buffer pool: cached table blocks, sorts,
# hash tables) before it spills to `<warehouse>.tmp/`. DuckDB's own default is 80% of the
# machine, which it fills with cached blocks of every table a run touched: the national run
# peaked at 7.5 GB with it. 2 GB leaves room within a 4 GB budget for the Polars frames of the
# KPI steps and Python itself; a bigger machine may raise it (a DuckDB size: "4GB", "1500MB").
DEFAULT_DUCKDB_MEMORY_LIMIT = "2GB"


def duckdb_memory_limit() -> str:
    """DASBOR_DUCKDB_MEMORY_LIMIT, else the default above."""
    return os.environ.get("DASBOR_DUCKDB_MEMORY_LIMIT") or DEFAULT_DUCKDB_MEMORY_LIMIT


# Every message is signed by the Dinas (docs/operations.md): the display name of the sender.
SENDER_NAME = "Dinas PMD Provinsi Kalimantan Tengah"


@dataclass(frozen=True)
class SmtpSettings:
    """The province's mail server, from DASBOR_SMTP_*; None when DASBOR_SMTP_HOST is unset."""

    host: str
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed or logged
    sender: str = formataddr((SENDER_NAME, "dasbor@localhost"))
    tls: str = "starttls"  # starttls, ssl or tidak
    timeout_seconds: float = 30.0

    @classmethod
    def from_env(cls) -> "SmtpSettings | None":
        host = os.environ.get("DASBOR_SMTP_HOST")
        if not host:
            return None
        tls = os.environ.get("DASBOR_SMTP_TLS", "starttls")
        if tls not in ("starttls", "ssl", "tidak"):
            raise ValueError(f"DASBOR_SMTP_TLS harus starttls, ssl atau tidak, bukan {tls!r}")
        return cls(
            host=host,
            port=int(os.environ.get("DASBOR_SMTP_PORT", "587")),
            user=os.environ.get("DASBOR_SMTP_PENGGUNA") or None,
            password=os.environ.get("DASBOR_SMTP_SANDI") or None,
            sender=named_sender(os.environ.get("DASBOR_SMTP_DARI")) or cls.sender,
            tls=tls,
        )


def named_sender(address: str | None) -> str | None:
    """DASBOR_SMTP_DARI as given, with the Dinas's name added when it is a bare address."""
    if not address:
        return None
    name, mailbox = parseaddr(address)
    return address if name else formataddr((SENDER_NAME, mailbox))


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    reference_dir: Path
    provinsi: str
    max_file_bytes: int
    max_xlsx_uncompressed_bytes: int
    # A file is taken once its size and mtime have held this long (docs/contracts.md); a run waits at
    # most `settle_max_wait_seconds` for young files and leaves one still changing for later.
    settle_seconds: float = 3.0
    settle_max_wait_seconds: float = 30.0
    # Mail delivery (docs/operations.md): with no host, messages become .eml files in kotak_keluar/.
    smtp: "SmtpSettings | None" = None
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT
    # Where readers reach the dashboard (links in messages): the front door, not a worker.
    public_url: str = "http://127.0.0.1:8501"

    @classmethod
    def from_env(cls) -> "Settings":
        data_dir = setelan.data_dir().resolve()
        reference_dir = setelan.reference_dir().resolve()
        return cls(
            data_dir=data_dir,
            reference_dir=reference_dir,
            provinsi=os.environ.get("DASBOR_PROVINSI", "62"),
            max_file_bytes=setelan.max_file_bytes(),
            max_xlsx_uncompressed_bytes=int(
                float(os.environ.get("DASBOR_MAX_XLSX_UNCOMPRESSED_MB", "1024")) * 1024**2
            ),
            settle_seconds=float(os.environ.get("DASBOR_SETTLE_SECONDS", "3")),
            settle_max_wait_seconds=float(os.environ.get("DASBOR_SETTLE_MAX_WAIT_SECONDS", "30")),
            smtp=SmtpSettings.from_env(),
            duckdb_memory_limit=duckdb_memory_limit(),
            public_url=(os.environ.get("DASBOR_URL_PUBLIK") or cls.public_url).rstrip("/"),
        )

    # --- the folders of docs/contracts.md ---------------------------------------------------
    @property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"

    def inbox(self, dataset: str) -> Path:
        return self.inbox_dir / dataset

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def rejected_dir(self) -> Path:
        return self.data_dir / "rejected"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse" / "dasbor.duckdb"

    @property
    def published_path(self) -> Path:
        return self.data_dir / "published" / "dasbor.duckdb"

    @property
    def outbox_dir(self) -> Path:
        # Messages written instead of sent when no mail server is configured.
        return self.data_dir / "kotak_keluar"

    @property
    def accounts_dir(self) -> Path:
        # The account store (pengguna.store), owner-only; the notification jobs read recipients.
        return self.data_dir / "akun"

    @property
    def upload_key_path(self) -> Path:
        # The key the upload page signs sidecars with; the accounts' folder, owner-only.
        return self.data_dir / "akun" / "kunci_unggah"

    # --- reference data -----------------------------------------------------------------
    @property
    def wilayah_csv(self) -> Path:
        return self.reference_dir / f"wilayah_{self.provinsi}.csv"

    @property
    def bps_crosswalk_csv(self) -> Path:
        return self.reference_dir / f"kode_bps_kemendagri_{self.provinsi}.csv"

    @property
    def idm_thresholds_csv(self) -> Path:
        # Thresholds are the same for every province; they live beside the code's reference.
        return REPO_ROOT / "data" / "reference" / "idm_ambang_status.csv"

    @property
    def priority_weights_csv(self) -> Path:
        # The reference folder's own weights, else the shipped ones: the dashboard has resolved
        # the file the same way, and the run publishes what it used (bobot_desa_prioritas).
        own = self.reference_dir / "bobot_desa_prioritas.csv"
        return own if own.is_file() else REPO_ROOT / "data" / "reference" / own.name

    @property
    def targets_csv(self) -> Path:
        # The official targets shipped with their sources (docs/contracts.md, Targets); a reference
        # folder may carry its own. Analysts add and replace targets through the inbox.
        own = self.reference_dir / "target_kpi.csv"
        return own if own.is_file() else REPO_ROOT / "data" / "reference" / own.name

    @property
    def calendar_csv(self) -> Path:
        # The example reporting calendar (docs/operations.md); a reference folder may carry its own.
        # Analysts replace it pair by pair through the jadwal_pelaporan inbox.
        own = self.reference_dir / "jadwal_pelaporan.csv"
        return own if own.is_file() else REPO_ROOT / "data" / "reference" / own.name

    def ensure_dirs(self) -> None:
        """Create every folder of the data directory; safe to call on each run."""
        for path in (
            *(self.inbox(name) for name in DATASETS),
            self.archive_dir,
            self.rejected_dir,
            self.warehouse_path.parent,
            self.published_path.parent,
        ):
            path.mkdir(parents=True, exist_ok=True)
