"""The one resource: where the data directory is, and access to the warehouse in it."""

import dagster as dg

from pipelines.settings import Settings
from pipelines.warehouse.db import Warehouse


class DasborResource(dg.ConfigurableResource):
    """Settings come from the environment (DASBOR_DATA_DIR, ...) unless a test overrides them."""

    data_dir: str | None = None

    def settings(self) -> Settings:
        settings = Settings.from_env()
        if self.data_dir:
            from dataclasses import replace
            from pathlib import Path

            settings = replace(settings, data_dir=Path(self.data_dir).resolve())
        settings.ensure_dirs()
        return settings

    def warehouse(self) -> Warehouse:
        settings = self.settings()
        return Warehouse(settings.warehouse_path, memory_limit=settings.duckdb_memory_limit)
