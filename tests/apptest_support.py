"""What the AppTest-based tests share: the app started with URL parameters, and what a download
button delivers when it is clicked."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def app(timeout: float = 60, **params: str | list[str]) -> AppTest:
    """app.py in AppTest with PARAMS in its URL (set before the first run, as a link would)."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def data_page(**params: str | list[str]) -> AppTest:
    """The page "Daten & Downloads" after a first run of app.py with PARAMS in its URL."""
    return app(**params).run().switch_page("pages/data.py").run()


def rows_shown(at: AppTest) -> int:
    """How many rows the table of partnerships (the one with a partnership_id column) shows."""
    return len(next(d.value for d in at.dataframe if "partnership_id" in d.value.columns))


class RecordingManager(MediaFileManager):
    """AppTest's media file manager, kept so a test can click a download button and read its file.

    AppTest shows a download button but not the file behind it, and removes its runtime (with the
    manager) after every run: this subclass, put in AppTest's place by conftest, keeps the managers.
    """

    made: list[MediaFileManager] = []

    def __init__(self, storage: MemoryMediaFileStorage) -> None:
        super().__init__(storage)
        RecordingManager.made.append(self)


def clicked(button) -> bytes:
    """What a click on BUTTON (an AppTest download button) delivers: its file is made on click."""
    file_id = button.proto.deferred_file_id
    assert file_id, f"{button.proto.id} should make its file on click"
    for manager in reversed(RecordingManager.made):
        try:
            url = manager.execute_deferred(file_id)
        except MediaFileStorageError as error:
            if "not found" in str(error):
                continue  # another run's manager
            raise
        stored = manager.read_file(Path(urlparse(url).path).stem)
        assert stored is not None, url
        return stored.content
    raise AssertionError(f"no file behind {button.proto.id}")


def downloaded(at: AppTest, key: str) -> bytes:
    """What a click on the download button with widget key KEY delivers."""
    return clicked(next(b for b in at.get("download_button") if b.proto.id.endswith(key)))
