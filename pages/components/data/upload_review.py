"""An upload read before it is stored: what the reader found, and the user's choices on it."""

from dataclasses import dataclass

import streamlit as st

from core.data.ingest import IngestResult, read_table
from core.data.limits import TableLimits, limits_from_environment
from core.data.markers import findings_table, values_look
from core.data.schema import coerce_schema, infer_schema
from core.data.reupload import read_sidecar, recognise_download
from core.data.upload import UploadChoices, apply_choices
from pages.components.text import show_plain

MARKER_LABELS = {
    "missing": "Treat them as missing (numeric columns become numbers again)",
    "keep": "Keep them as values",
}
REPEAT_LABELS = {
    "rename": "Keep every column, repeats renamed name.1, name.2 (nothing is lost)",
    "drop_identical": "Drop repeats whose values are identical to the first (repeats that differ stay, renamed)",
}


@dataclass(frozen=True)
class ReadOutcome:
    """The table read from an upload, or why it was refused."""

    file_id: str
    result: IngestResult | None
    error: str | None = None


def upload_limit_bytes() -> int:
    return int(st.get_option("server.maxUploadSize")) * 1024 * 1024


def read_upload(upload) -> ReadOutcome:
    """Return what reading the uploaded file gave (cached per upload, so reruns do not re-read)."""
    try:
        limits = limits_from_environment()
    except ValueError as error:
        return ReadOutcome(upload.file_id, None, str(error))
    return _read(upload.file_id, upload.name, upload_limit_bytes(), limits, upload.getvalue())


@st.cache_resource(max_entries=2, show_spinner="Reading the file…")
def _read(file_id: str, name: str, max_bytes: int, limits: TableLimits, _data: bytes) -> ReadOutcome:
    # A refusal is cached too: a file over the caps is not read again on every rerun.
    try:
        return ReadOutcome(file_id, read_table(_data, name, max_bytes=max_bytes, limits=limits))
    except ValueError as error:
        return ReadOutcome(file_id, None, str(error))


def review_upload(outcome: ReadOutcome, sidecar=None) -> IngestResult | None:
    """Show what was found and the choices it needs; return the table to store, or None if refused.

    A download of this app uploaded again (with its sidecar, when given) gets its row ids back.
    """
    recognised = _recognised(outcome.file_id, sidecar.file_id if sidecar else "", outcome,
                             sidecar.getvalue() if sidecar else None)
    if recognised.result is None:
        st.error(recognised.error, icon=":material/error:")
        st.caption("Nothing was stored.")
        return None
    result = recognised.result
    choices = UploadChoices(repeats=_repeat_choice(result), markers=_marker_choice(result))
    prepared = _prepared(recognised.file_id, choices, result)
    _show_notes(prepared.notes + _date_notes(outcome.file_id, choices, prepared))
    return prepared


def _repeat_choice(result: IngestResult) -> str:
    if not result.repeats:
        return "rename"
    st.warning("The file repeats column names:", icon=":material/content_copy:")
    show_plain(", ".join(map(repr, result.repeats)))  # the file's own text: shown literally
    choice = st.radio("Repeated column names", list(REPEAT_LABELS), format_func=REPEAT_LABELS.get,
                      key="ds.upload_repeats")
    st.caption("Default: keep every column, so no value is lost.")
    return choice


def _marker_choice(result: IngestResult) -> str:
    if not result.markers:
        return "missing"
    st.warning(f"{values_look(result.markers)} like missing-value markers (such as ?, NA or -): on the known list, and unlike the "
               "rest of their column.", icon=":material/help:")
    st.dataframe(findings_table(result.markers), hide_index=True, key="ds.upload_markers_table")
    choice = st.radio("Missing-value markers", list(MARKER_LABELS), format_func=MARKER_LABELS.get,
                      key="ds.upload_markers")
    st.caption("Default: treat them as missing, so the profile counts them and a numeric column stays numeric.")
    return choice


@st.cache_resource(max_entries=2, show_spinner=False)
def _recognised(data_id: str, sidecar_id: str, _outcome: ReadOutcome, _sidecar: bytes | None) -> ReadOutcome:
    # Keyed by both files: the sidecar's content hash check recomputes the stored form once per pair.
    if _outcome.result is None:
        return _outcome
    file_id = f"{data_id}+{sidecar_id}"
    try:
        sidecar = read_sidecar(_sidecar) if _sidecar is not None else None
        return ReadOutcome(file_id, recognise_download(_outcome.result, sidecar))
    except ValueError as error:
        return ReadOutcome(file_id, None, str(error))


@st.cache_resource(max_entries=4, show_spinner=False)
def _prepared(file_id: str, choices: UploadChoices, _result: IngestResult) -> IngestResult:
    # Every widget on the page reruns the script; the choices are applied once per choice.
    return apply_choices(_result, choices)


@st.cache_resource(max_entries=4, show_spinner=False)
def _date_notes(file_id: str, choices: UploadChoices, _prepared: IngestResult) -> tuple[str, ...]:
    # Storing converts date columns only when every value parses; say beforehand which stay text.
    return coerce_schema(_prepared.frame, infer_schema(_prepared.frame)).notes


def _show_notes(notes: tuple[str, ...]) -> None:
    with st.container(border=True, key="ds.upload_notes"):
        st.caption("What was found in the file (saved with the version as its note):")
        for note in notes:
            show_plain(note)  # column names are the file's text: shown literally, never as Markdown
