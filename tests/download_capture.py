"""What a page's download buttons would hand the reader, for AppTest runs.

AppTest keeps Streamlit's media manager for one run only, so a test records what the buttons
register with it: the file name and the bytes (or, for a deferred download, the callable that
Streamlit would call on a click; `Downloads.content` calls it, as the click would).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager


@dataclass
class Downloads:
    eager: dict[str, bytes] = field(default_factory=dict)
    deferred: dict[str, Callable[[], Any]] = field(default_factory=dict)

    def names(self) -> set[str]:
        return set(self.eager) | set(self.deferred)

    def content(self, file_name: str) -> bytes:
        if file_name in self.eager:
            return self.eager[file_name]
        data = self.deferred[file_name]()
        return data if isinstance(data, bytes) else data.encode()


def record_downloads(monkeypatch: pytest.MonkeyPatch) -> Downloads:
    found = Downloads()
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def record_add(self, path_or_data, mimetype, coordinates, file_name=None, **kwargs):
        if file_name is not None and isinstance(path_or_data, bytes):
            found.eager[file_name] = path_or_data
        return add(self, path_or_data, mimetype, coordinates, file_name, **kwargs)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        if file_name is not None:
            found.deferred[file_name] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", record_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return found
