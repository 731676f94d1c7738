"""The Data page's session state: the uploads staged in this browser session (`data_files`:
{upload id: Staged}), each with the options its preview was made with and the preview, so widgets
rerun the page without reading the file again."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import streamlit as st

from pmo import uploads
from pmo.ingest import FileOutcome

PREVIEW_ROWS = 50
PUBLISH_ATTEMPTS = 15          # x 1 s: how long a publish waits for someone else's to finish
AUTO = "auto"
BUSY_MESSAGE = "Someone else is publishing; retry in a moment. Your previews are kept."


@dataclass
class Staged:
    """One uploaded file, the options its preview was made with, and the preview."""

    file_id: str
    name: str
    path: Path
    size: int
    outcome: FileOutcome | None = None
    problems: list[str] = field(default_factory=list)
    made_with: tuple | None = None            # (as_of, tool, date_order, mapping_path, currency, allow_empty)
    default_as_of: date | None = None         # the as-of the file gives itself (or today)
    needs_mapping: bool = False               # no importer recognised it: show the mapper
    mapping_path: Path | None = None
    headers: list[tuple[str, list[str]]] | None = None
    refusals: set = field(default_factory=set)    # IngestFailed.kinds of the last analysis (empty, currency)
    allow_empty: bool = False                 # the person confirmed publishing a file without rows

    @property
    def ok(self) -> bool:
        return self.outcome is not None and not self.problems


def staged_files() -> dict[str, Staged]:
    return st.session_state.setdefault("data_files", {})


def upload_dir() -> Path:
    d = st.session_state.get("data_tmpdir")
    if not d or not Path(d).is_dir():
        uploads.sweep_upload_dirs(Path(tempfile.gettempdir()))     # abandoned sessions' uploads
        d = tempfile.mkdtemp(prefix=uploads.UPLOAD_DIR_PREFIX)
        st.session_state["data_tmpdir"] = d
    return Path(d)


def drop_staged(entry: Staged) -> None:
    shutil.rmtree(entry.path.parent, ignore_errors=True)
    staged_files().pop(entry.file_id, None)


def clear_uploads() -> None:
    for e in list(staged_files().values()):
        drop_staged(e)
    st.session_state["data_done"] = set()
    st.session_state["data_gen"] = st.session_state.get("data_gen", 0) + 1   # a fresh, empty uploader
