"""Read what a download button would save: the bytes and file name AppTest's media store was given.

AppTest keeps a download's bytes in an in-memory media store made afresh for each run and shows
only its URL; recording every file handed to that store lets a test read the file a click saves.
"""

from pathlib import PurePosixPath

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


@pytest.fixture
def saved_files(monkeypatch):
    """Return a dict file id -> (bytes, file name) of every file the app offered for download."""
    files: dict[str, tuple[bytes, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (path_or_data, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return files


def download_of(at, key: str, files: dict) -> tuple[bytes, str]:
    """Return the (bytes, file name) the download button with this key saves."""
    [button] = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    return files[PurePosixPath(button.proto.url).stem]
